-- The statement one GET .../chatwoot-integration sends to PostgreSQL: the token
-- lookup joined with the integration (find_also_related), as SeaORM builds it;
-- run with pgbench -M prepared like sqlx binds them.
-- Keep in step with crates/infrastructure/src/db/ and bench/sqlite_ceiling.c.
\if :ready = 0
\set k :client_id % :n
SELECT id AS iid, token_hash AS th, 1 AS ready FROM instances ORDER BY id OFFSET :k LIMIT 1 \gset
\endif
\set one 1
SELECT "instances"."id" AS "A_id", "instances"."name" AS "A_name", "instances"."description" AS "A_description", "instances"."token_hash" AS "A_token_hash", "instances"."created_at" AS "A_created_at", "instances"."updated_at" AS "A_updated_at", "chatwoot_integrations"."id" AS "B_id", "chatwoot_integrations"."instance_id" AS "B_instance_id", "chatwoot_integrations"."enabled" AS "B_enabled", "chatwoot_integrations"."account_id" AS "B_account_id", "chatwoot_integrations"."inbox_id" AS "B_inbox_id", "chatwoot_integrations"."chatwoot_url" AS "B_chatwoot_url", "chatwoot_integrations"."chatwoot_access_token" AS "B_chatwoot_access_token", "chatwoot_integrations"."n8n_webhook" AS "B_n8n_webhook", "chatwoot_integrations"."enabled_group" AS "B_enabled_group", "chatwoot_integrations"."display_attendant" AS "B_display_attendant", "chatwoot_integrations"."start_conversation_as" AS "B_start_conversation_as", "chatwoot_integrations"."query" AS "B_query", "chatwoot_integrations"."revision" AS "B_revision", "chatwoot_integrations"."created_at" AS "B_created_at", "chatwoot_integrations"."updated_at" AS "B_updated_at", "chatwoot_integrations"."deleted_at" AS "B_deleted_at" FROM "instances" LEFT JOIN "chatwoot_integrations" ON "instances"."id" = "chatwoot_integrations"."instance_id" WHERE "instances"."token_hash" = :th LIMIT :one;
