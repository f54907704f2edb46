-- The statements one GET .../chatwoot-integration sends to PostgreSQL, token
-- lookup included, as captured from the server log with log_statement = 'all'
-- on a scratch database; run with pgbench -M prepared like sqlx binds them.
-- Keep in step with crates/infrastructure/src/db/ and bench/sqlite_ceiling.c.
\if :ready = 0
\set k :client_id % :n
SELECT id AS iid, token_hash AS th, 1 AS ready FROM instances ORDER BY id OFFSET :k LIMIT 1 \gset
\endif
\set one 1
SELECT "instances"."id", "instances"."name", "instances"."description", "instances"."token_hash", "instances"."created_at", "instances"."updated_at" FROM "instances" WHERE "instances"."token_hash" = :th LIMIT :one;
SELECT "chatwoot_integrations"."id", "chatwoot_integrations"."instance_id", "chatwoot_integrations"."enabled", "chatwoot_integrations"."account_id", "chatwoot_integrations"."inbox_id", "chatwoot_integrations"."chatwoot_url", "chatwoot_integrations"."chatwoot_access_token", "chatwoot_integrations"."n8n_webhook", "chatwoot_integrations"."enabled_group", "chatwoot_integrations"."display_attendant", "chatwoot_integrations"."start_conversation_as", "chatwoot_integrations"."query", "chatwoot_integrations"."revision", "chatwoot_integrations"."created_at", "chatwoot_integrations"."updated_at", "chatwoot_integrations"."deleted_at" FROM "chatwoot_integrations" WHERE "chatwoot_integrations"."instance_id" = :iid LIMIT :one;
