//! Every write the service acknowledged (201) survives a SIGKILL: on SQLite
//! (WAL, synchronous FULL) and on PostgreSQL.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::Value;

use crate::common::{service_env, sqlite_url, unchecked_set_body, ADMIN};
use crate::support::databases::TestDatabase;
use crate::support::process::{workdir, Service, PATIENCE};
use crate::support::{integration_path, TestInstance};
use crate::support::{skipped, Backend};

const INSTANCES: usize = 12;
const WRITERS: usize = 4;
/// Kill once this many sets were acknowledged: enough to be mid-stream.
const ACKS_BEFORE_KILL: usize = 150;

/// Per instance: the last value acknowledged, and the one sent after it
/// (possibly in flight when the process died, so possibly stored).
#[derive(Debug, Default, Clone, Copy)]
struct Progress {
    acknowledged: i64,
    attempted: i64,
}

/// Notes a step of instance `id` in the progress the writers share.
fn note(progress: &Mutex<HashMap<String, Progress>>, id: &str, step: impl FnOnce(&mut Progress)) {
    let mut all = progress.lock().expect("progress");
    step(all.entry(id.to_owned()).or_default());
}

fn token_for(account: i64) -> String {
    format!("durable-token-{account}")
}

async fn acknowledged_sets_survive_a_sigkill(dir: &Path, database_url: &str) {
    let env = service_env(database_url, "false");
    let service = Service::start(dir, &env).await;
    let mut instances = Vec::new();
    for n in 0..INSTANCES {
        instances.push(
            service
                .create_instance_as(ADMIN, &format!("durable-{n}"))
                .await,
        );
    }
    let progress: Arc<Mutex<HashMap<String, Progress>>> = Arc::default();
    let acks = Arc::new(AtomicUsize::new(0));

    // Each writer owns its instances, so the writes to one instance are
    // sequential and "the last acknowledged value" is well defined.
    let mut writers = Vec::new();
    for share in instances.chunks(INSTANCES / WRITERS) {
        let share = share.to_vec();
        let (client, base) = (service.client.clone(), service.base.clone());
        let (progress, acks) = (progress.clone(), acks.clone());
        writers.push(tokio::spawn(async move {
            let deadline = Instant::now() + PATIENCE;
            for account in 1i64.. {
                for TestInstance { id, token } in &share {
                    note(&progress, id, |seen| seen.attempted = account);
                    let sent = client
                        .request(Method::POST, format!("{base}{}", integration_path(id)))
                        .bearer_auth(token)
                        .json(&unchecked_set_body(account, &token_for(account)))
                        .send()
                        .await;
                    match sent {
                        Ok(res) if res.status() == 201 => {
                            note(&progress, id, |seen| seen.acknowledged = account);
                            acks.fetch_add(1, Ordering::SeqCst);
                        }
                        // The process is gone: the stream ends here.
                        _ => return,
                    }
                }
                if Instant::now() > deadline {
                    return;
                }
            }
        }));
    }

    let deadline = Instant::now() + PATIENCE;
    while acks.load(Ordering::SeqCst) < ACKS_BEFORE_KILL {
        assert!(
            Instant::now() < deadline,
            "too few writes acknowledged\n{}",
            service.process.output()
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let mut process = service.process;
    process.signal("KILL");
    let status = process.wait_exit(PATIENCE).await;
    assert!(!status.success(), "killed, not exited: {status}");
    for writer in writers {
        tokio::time::timeout(PATIENCE, writer)
            .await
            .expect("writers stop once the process is gone")
            .expect("writer task");
    }
    let progress = progress.lock().expect("progress").clone();
    assert_eq!(progress.len(), INSTANCES, "every instance was written to");

    let restarted = Service::start(dir, &env).await;
    for (id, seen) in &progress {
        let res = restarted.get(&integration_path(id), Some(ADMIN)).await;
        if seen.acknowledged == 0 {
            // Only an unacknowledged write was ever sent: either outcome is right.
            assert!(
                matches!(res.status().as_u16(), 200 | 404),
                "{id}: {}",
                res.status()
            );
            continue;
        }
        assert_eq!(
            res.status(),
            200,
            "{id}: an acknowledged integration is there"
        );
        let body: Value = res.json().await.expect("JSON");
        let stored = body["accountId"].as_i64().expect("accountId");
        assert!(
            stored == seen.acknowledged || stored == seen.attempted,
            "{id}: stored {stored}, acknowledged {}, in flight {}",
            seen.acknowledged,
            seen.attempted
        );
        assert_eq!(
            body["chatwootAccessToken"],
            token_for(stored).as_str(),
            "{body}"
        );
    }
    let (status, _) = restarted.stop().await;
    assert!(status.success(), "{status}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_sqlite_every_acknowledged_set_survives_a_sigkill_mid_stream() {
    let dir = workdir();
    let url = sqlite_url(dir.path(), "durable.sqlite");
    acknowledged_sets_survive_a_sigkill(dir.path(), &url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_postgres_every_acknowledged_set_survives_a_sigkill_mid_stream() {
    if skipped(Backend::Postgres) {
        return;
    }
    let dir = workdir();
    let db = TestDatabase::create(Backend::Postgres).await;
    acknowledged_sets_survive_a_sigkill(dir.path(), &db.url).await;
}
