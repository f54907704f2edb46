//! `check [INSTANCE_ID]`: the status of integrations, as the status route
//! answers it, for cron and monitors.

use std::time::Duration;

use application::{AppError, IntegrationStatus};
use domain::Instance;
use futures_util::stream::{self, StreamExt, TryStreamExt};
use http_adapter::dto::{InstanceStatusBody, IntegrationStatusBody};

use crate::cli::OutputFormat;
use crate::{json, AppServices};

/// At most this many instances are checked at once, so that a long list
/// does not open a burst of connections to the Chatwoot servers.
const AT_ONCE: usize = 4;

/// What a check found: each instance with its status, and whether it calls
/// for attention (exit 1), with the reason when it is not a failed check.
#[derive(Debug)]
pub struct Checked {
    pub statuses: Vec<(Instance, IntegrationStatus)>,
    /// One instance was asked for: its status is printed alone, not in a list.
    pub one: bool,
    pub all_well: bool,
    pub notes: Vec<String>,
}

impl Checked {
    /// The statuses as `format` prints them.
    pub fn render(&self, format: OutputFormat) -> Result<String, AppError> {
        match (format, self.statuses.as_slice()) {
            (OutputFormat::Json, [(_, status)]) if self.one => {
                json(&IntegrationStatusBody::from(status))
            }
            (OutputFormat::Json, _) => {
                let bodies: Vec<InstanceStatusBody> = self
                    .statuses
                    .iter()
                    .map(|(instance, status)| InstanceStatusBody {
                        instance_id: instance.id.to_string(),
                        status: IntegrationStatusBody::from(status),
                    })
                    .collect();
                json(&bodies)
            }
            (OutputFormat::Prometheus, statuses) => crate::check_metrics::encode(statuses),
        }
    }
}

/// The status of the instance's live integration, or, without an id, of
/// every instance that has one (in the order `instance list` gives). Each
/// is run as the status route runs it, and once more after `throttle_wait`
/// when Chatwoot limited its requests; only reading the database can fail.
pub async fn check(
    services: &AppServices,
    instance_id: Option<&str>,
    throttle_wait: Duration,
) -> Result<Checked, AppError> {
    match instance_id {
        Some(id) => {
            let instance = services.find_instance(id).await?;
            let status = status_of(services, &instance, throttle_wait).await?;
            Ok(Checked::of(vec![(instance, status)], true))
        }
        None => {
            let instances = services.list_instances().await?;
            let checked: Vec<Option<(Instance, IntegrationStatus)>> = stream::iter(instances)
                .map(|instance| async move {
                    match status_of(services, &instance, throttle_wait).await {
                        Ok(status) => Ok(Some((instance, status))),
                        Err(AppError::NotFound(_)) => Ok(None),
                        Err(error) => Err(error),
                    }
                })
                // In order: the output follows the list, whichever
                // Chatwoot answers first.
                .buffered(AT_ONCE)
                .try_collect()
                .await?;
            Ok(Checked::of(checked.into_iter().flatten().collect(), false))
        }
    }
}

/// The status, run again once after `wait` when a check met Chatwoot's rate
/// limiter: the limit counts per minute, so a later run may pass.
async fn status_of(
    services: &AppServices,
    instance: &Instance,
    wait: Duration,
) -> Result<IntegrationStatus, AppError> {
    let status = services.integration_status(instance).await?;
    if !status.report.throttled() {
        return Ok(status);
    }
    log::warn!(
        "instance {}: Chatwoot limited requests (HTTP 429); checking again in {} ms (CHATWOOT_THROTTLE_WAIT_MS)",
        instance.id,
        wait.as_millis()
    );
    actix_web::rt::time::sleep(wait).await;
    services.integration_status(instance).await
}

impl Checked {
    fn of(statuses: Vec<(Instance, IntegrationStatus)>, one: bool) -> Self {
        let verdict = Verdict::of(statuses.iter().map(|(_, status)| status));
        Self {
            statuses,
            one,
            all_well: verdict.all_well,
            notes: verdict.notes,
        }
    }
}

/// The exit code's rule: all is well when every enabled integration is
/// healthy. A disabled one is shown but does not count: nothing goes
/// through it. An enabled one that was not checked (`CHATWOOT_VERIFY=false`)
/// is not well: a monitor must not report as working what it did not check.
struct Verdict {
    all_well: bool,
    notes: Vec<String>,
}

impl Verdict {
    fn of<'a>(statuses: impl IntoIterator<Item = &'a IntegrationStatus>) -> Self {
        let enabled: Vec<_> = statuses.into_iter().filter(|s| s.enabled).collect();
        let unchecked = enabled.iter().any(|status| status.healthy().is_none());
        let notes = if unchecked {
            vec![
                "CHATWOOT_VERIFY=false: the checks did not run, so nothing is known to work"
                    .to_owned(),
            ]
        } else {
            Vec::new()
        };
        Self {
            all_well: enabled.iter().all(|status| status.healthy() == Some(true)),
            notes,
        }
    }
}
