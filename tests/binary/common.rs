//! What the binary tests share: tokens, bodies and raw reads of the database.

use std::path::Path;

use sea_orm::{ConnectionTrait, Database, Statement};
use serde_json::{json, Value};

pub use crate::support::assert_error_shape;

pub const ADMIN: &str = "binary-test-admin-token-4f1c9a0d2b";

/// A Set body that does not need Chatwoot (`CHATWOOT_VERIFY=false`); the
/// URL is a closed loopback port that is never called.
pub fn unchecked_set_body(account: i64, token: &str) -> Value {
    json!({
        "accountId": account,
        "chatwootURL": "http://127.0.0.1:9",
        "chatwootAccessToken": token,
        "integrationOptions": {"startConversationAs": "pending"},
    })
}

/// The settings every served test starts with: the database, the admin
/// token and whether Set checks with Chatwoot (`"true"` or `"false"`).
pub fn service_env<'a>(url: &'a str, verify: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("DATABASE_URL", url),
        ("ADMIN_TOKEN", ADMIN),
        ("CHATWOOT_VERIFY", verify),
    ]
}

pub fn sqlite_url(dir: &Path, file: &str) -> String {
    format!("sqlite://{}", dir.join(file).display())
}

/// Rows of a query as strings, read behind the service's back.
pub async fn raw_rows(url: &str, sql: &str) -> Vec<Vec<String>> {
    let db = Database::connect(url).await.expect("raw connection");
    let rows = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .expect("raw query");
    let columns = rows
        .first()
        .map(|row| row.column_names())
        .unwrap_or_default();
    let out = rows
        .iter()
        .map(|row| {
            columns
                .iter()
                .map(|c| {
                    row.try_get::<String>("", c)
                        .or_else(|_| row.try_get::<i64>("", c).map(|v| v.to_string()))
                        .unwrap_or_else(|e| panic!("column {c}: {e}"))
                })
                .collect()
        })
        .collect();
    db.close().await.expect("close raw connection");
    out
}
