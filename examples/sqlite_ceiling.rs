//! The database ceiling of the benchmarks on SQLite (bench/run.sh): the SQL
//! statements one request of the service runs, token lookup included, issued
//! with no HTTP and no mapping to domain values, over the service's own
//! driver and pools: `infrastructure::db::connect` with the service's
//! settings (`config/`, `APP_DATABASE__*`, `DATABASE_URL`), and the request
//! pool beside it that the repository runs these statements on. What the
//! service reaches against this is what its own code costs.
//!
//! The statements are those of `crates/infrastructure/src/db/` as SeaORM
//! renders them for SQLite (the PostgreSQL twins, captured from the server
//! log, are in `bench/sql/`); keep the three in step.
//!
//! Usage: `DATABASE_URL=sqlite://… sqlite_ceiling set|get CONNECTIONS SECONDS`
//! on a database the service has filled (instances with an integration);
//! `BENCH_HOT=1` puts every task on the first instance. Prints one JSON line.

use std::time::{Duration, Instant};

use infrastructure::db::{self, RequestPool};
use infrastructure::settings::Settings;
use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};

const FIND_INSTANCE_BY_TOKEN: &str = r#"SELECT "instances"."id", "instances"."name", "instances"."description", "instances"."token_hash", "instances"."created_at", "instances"."updated_at" FROM "instances" WHERE "instances"."token_hash" = ? LIMIT ?"#;

const FIND_INTEGRATION: &str = r#"SELECT "chatwoot_integrations"."id", "chatwoot_integrations"."instance_id", "chatwoot_integrations"."enabled", "chatwoot_integrations"."account_id", "chatwoot_integrations"."inbox_id", "chatwoot_integrations"."chatwoot_url", "chatwoot_integrations"."chatwoot_access_token", "chatwoot_integrations"."n8n_webhook", "chatwoot_integrations"."enabled_group", "chatwoot_integrations"."display_attendant", "chatwoot_integrations"."start_conversation_as", "chatwoot_integrations"."query", "chatwoot_integrations"."revision", "chatwoot_integrations"."created_at", "chatwoot_integrations"."updated_at", "chatwoot_integrations"."deleted_at" FROM "chatwoot_integrations" WHERE "chatwoot_integrations"."instance_id" = ? LIMIT ?"#;

const UPSERT: &str = r#"INSERT INTO "chatwoot_integrations" ("id", "instance_id", "enabled", "account_id", "inbox_id", "chatwoot_url", "chatwoot_access_token", "n8n_webhook", "enabled_group", "display_attendant", "start_conversation_as", "query", "revision", "created_at", "updated_at", "deleted_at") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT ("instance_id") DO UPDATE SET "enabled" = "excluded"."enabled", "account_id" = "excluded"."account_id", "inbox_id" = "excluded"."inbox_id", "chatwoot_url" = "excluded"."chatwoot_url", "chatwoot_access_token" = "excluded"."chatwoot_access_token", "n8n_webhook" = "excluded"."n8n_webhook", "enabled_group" = "excluded"."enabled_group", "display_attendant" = "excluded"."display_attendant", "start_conversation_as" = "excluded"."start_conversation_as", "updated_at" = "excluded"."updated_at", "deleted_at" = "excluded"."deleted_at", "revision" = "chatwoot_integrations"."revision" + ? RETURNING *"#;

fn statement(sql: &str, values: Vec<Value>) -> Statement {
    Statement::from_sql_and_values(DbBackend::Sqlite, sql, values)
}

#[derive(Clone)]
struct Target {
    instance_id: String,
    token_hash: String,
}

/// One request's statements, as the repository issues them.
async fn one_request(db: &RequestPool, kind: &str, t: &Target) -> Result<(), String> {
    let err = |e: sea_orm::DbErr| e.to_string();
    db.query_one(statement(
        FIND_INSTANCE_BY_TOKEN,
        vec![t.token_hash.clone().into(), 1u64.into()],
    ))
    .await
    .map_err(err)?
    .ok_or("token not found")?;
    let find = || {
        statement(
            FIND_INTEGRATION,
            vec![t.instance_id.clone().into(), 1u64.into()],
        )
    };
    if kind == "get" {
        db.query_one(find()).await.map_err(err)?;
        return Ok(());
    }
    let now = chrono_millis();
    // One statement: the upsert returns the row it leaves.
    db.write_one(statement(
        UPSERT,
        vec![
            uuid::Uuid::new_v4().to_string().into(),
            t.instance_id.clone().into(),
            true.into(),
            12i64.into(),
            Some(3i64).into(),
            "https://chat.example.com".into(),
            "user-token".into(),
            Option::<String>::None.into(),
            false.into(),
            true.into(),
            "pending".into(),
            Option::<String>::None.into(),
            1i64.into(),
            now.into(),
            now.into(),
            Option::<i64>::None.into(),
            1i64.into(),
        ],
    ))
    .await
    .map_err(err)?
    .ok_or("the upsert returned no row")?;
    Ok(())
}

fn chrono_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    let [_, kind, connections, seconds] = args.as_slice() else {
        return Err("usage: sqlite_ceiling set|get CONNECTIONS SECONDS".to_owned());
    };
    let connections: usize = connections.parse().map_err(|e| format!("{e}"))?;
    let duration = Duration::from_secs(seconds.parse().map_err(|e| format!("{e}"))?);
    let hot = std::env::var("BENCH_HOT").is_ok_and(|v| v == "1");

    let settings = Settings::load().map_err(|e| e.to_string())?;
    let db = db::connect(&settings.driver_database_url(), &settings.database.pool())
        .await
        .map_err(|e| e.to_string())?;
    let targets: Vec<Target> = db
        .query_all(statement(
            "SELECT id, token_hash FROM instances ORDER BY id",
            vec![],
        ))
        .await
        .map_err(|e| e.to_string())?
        .iter()
        .map(|row| {
            Ok(Target {
                instance_id: row.try_get("", "id")?,
                token_hash: row.try_get("", "token_hash")?,
            })
        })
        .collect::<Result<_, sea_orm::DbErr>>()
        .map_err(|e| e.to_string())?;
    if targets.is_empty() {
        return Err("no instances in the database".to_owned());
    }
    let requests = RequestPool::beside(&db, 1).map_err(|e| e.to_string())?;

    let started = Instant::now();
    let deadline = started + duration;
    let tasks: Vec<_> = (0..connections)
        .map(|i| {
            // One instance per task, as one gateway instance per connection.
            let target = targets[if hot { 0 } else { i % targets.len() }].clone();
            let db = requests.clone();
            let kind = kind.clone();
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut errors = 0u64;
                while Instant::now() < deadline {
                    let t0 = Instant::now();
                    // Reads complete without waiting (they run inline), so
                    // without this one task per thread would run to the
                    // deadline and the others never. Inside the timing, as
                    // a request sent on an HTTP connection waits for its
                    // turn on the worker and `wrk` counts that wait.
                    tokio::task::yield_now().await;
                    match one_request(&db, &kind, &target).await {
                        Ok(()) => latencies.push(t0.elapsed().as_micros() as u64),
                        Err(e) => {
                            if errors == 0 {
                                eprintln!("sqlite_ceiling: {e}");
                            }
                            errors += 1;
                        }
                    }
                }
                (latencies, errors)
            })
        })
        .collect();
    let mut all = Vec::new();
    let mut errors = 0;
    for task in tasks {
        let (latencies, e) = task.await.map_err(|e| e.to_string())?;
        all.extend(latencies);
        errors += e;
    }
    let elapsed = started.elapsed();
    all.sort_unstable();
    let pct = |p: f64| {
        all.get(((all.len() as f64) * p) as usize)
            .copied()
            .unwrap_or(0)
    };
    println!(
        r#"{{"requests":{},"duration_us":{},"p50_us":{},"p99_us":{},"errors":{}}}"#,
        all.len(),
        elapsed.as_micros(),
        pct(0.50),
        pct(0.99),
        errors
    );
    requests.close().await;
    db.close().await.map_err(|e| e.to_string())?;
    Ok(())
}
