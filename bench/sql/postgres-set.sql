-- The statements one POST .../chatwoot-integration (Set) sends to PostgreSQL,
-- token lookup included (the upsert returns the row it leaves: RETURNING *),
-- as captured from the server log with
-- log_statement = 'all' on a scratch database; values are bound parameters as
-- sqlx sends them (run with pgbench -M prepared). Keep in step with
-- crates/infrastructure/src/db/ and bench/sqlite_ceiling.c.
--
-- Once per client (-D ready=0): pick this client's instance, one per client,
-- and the values a request would bind.
\if :ready = 0
\set k :client_id % :n
SELECT id AS iid, token_hash AS th, gen_random_uuid()::text AS newid,
       (extract(epoch FROM now()) * 1000)::bigint AS now,
       'https://chat.example.com' AS url, 'user-token' AS tok, 'pending' AS sca,
       't' AS yes, 'f' AS no, 1 AS ready
  FROM instances ORDER BY id OFFSET :k LIMIT 1 \gset
\endif
\set one 1
\set acc 12
-- One inbox per instance, its position by id, as bench/wrk.lua sets it.
\set inbox :k + 1
SELECT "instances"."id" AS "A_id", "instances"."name" AS "A_name", "instances"."description" AS "A_description", "instances"."token_hash" AS "A_token_hash", "instances"."created_at" AS "A_created_at", "instances"."updated_at" AS "A_updated_at", "chatwoot_integrations"."id" AS "B_id", "chatwoot_integrations"."instance_id" AS "B_instance_id", "chatwoot_integrations"."enabled" AS "B_enabled", "chatwoot_integrations"."account_id" AS "B_account_id", "chatwoot_integrations"."inbox_id" AS "B_inbox_id", "chatwoot_integrations"."chatwoot_url" AS "B_chatwoot_url", "chatwoot_integrations"."chatwoot_access_token" AS "B_chatwoot_access_token", "chatwoot_integrations"."n8n_webhook" AS "B_n8n_webhook", "chatwoot_integrations"."enabled_group" AS "B_enabled_group", "chatwoot_integrations"."display_attendant" AS "B_display_attendant", "chatwoot_integrations"."start_conversation_as" AS "B_start_conversation_as", "chatwoot_integrations"."query" AS "B_query", "chatwoot_integrations"."revision" AS "B_revision", "chatwoot_integrations"."created_at" AS "B_created_at", "chatwoot_integrations"."updated_at" AS "B_updated_at", "chatwoot_integrations"."deleted_at" AS "B_deleted_at" FROM "instances" LEFT JOIN "chatwoot_integrations" ON "instances"."id" = "chatwoot_integrations"."instance_id" WHERE "instances"."token_hash" = :th LIMIT :one;
INSERT INTO "chatwoot_integrations" ("id", "instance_id", "enabled", "account_id", "inbox_id", "chatwoot_url", "chatwoot_access_token", "n8n_webhook", "enabled_group", "display_attendant", "start_conversation_as", "query", "revision", "created_at", "updated_at", "deleted_at") SELECT :newid, "instances"."id", :yes, :acc, :inbox, :url, :tok, NULL, :no, :yes, :sca, NULL, :one, :now, :now, NULL FROM "instances" WHERE "instances"."id" = :iid FOR NO KEY UPDATE ON CONFLICT ("instance_id") DO UPDATE SET "enabled" = "excluded"."enabled", "account_id" = "excluded"."account_id", "inbox_id" = "excluded"."inbox_id", "chatwoot_url" = "excluded"."chatwoot_url", "chatwoot_access_token" = "excluded"."chatwoot_access_token", "n8n_webhook" = "excluded"."n8n_webhook", "enabled_group" = "excluded"."enabled_group", "display_attendant" = "excluded"."display_attendant", "start_conversation_as" = "excluded"."start_conversation_as", "updated_at" = "excluded"."updated_at", "deleted_at" = "excluded"."deleted_at", "revision" = "chatwoot_integrations"."revision" + :one RETURNING *;
