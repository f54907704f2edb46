//! `check [INSTANCE_ID]`: the status of integrations, as the status route
//! answers it, for cron and monitors.

use application::{AppError, IntegrationStatus};
use domain::Instance;
use futures_util::stream::{self, StreamExt, TryStreamExt};
use http_adapter::dto::{InstanceStatusBody, IntegrationStatusBody};

use crate::{json, AppServices};

/// At most this many instances are checked at once, so that a long list
/// does not open a burst of connections to the Chatwoot servers.
const AT_ONCE: usize = 4;

/// What a check found: the JSON to print, and whether it calls for
/// attention (exit 1), with the reason when it is not a failed check.
#[derive(Debug)]
pub struct Checked {
    pub json: String,
    pub all_well: bool,
    pub notes: Vec<String>,
}

/// The status of the instance's live integration, or, without an id, of
/// every instance that has one (in the order `instance list` gives). Each
/// is run as the status route runs it; only reading the database can fail.
pub async fn check(services: &AppServices, instance_id: Option<&str>) -> Result<Checked, AppError> {
    match instance_id {
        Some(id) => {
            let instance = services.find_instance(id).await?;
            let status = services.integration_status(&instance).await?;
            let verdict = Verdict::of([&status]);
            Ok(verdict.with(json(&IntegrationStatusBody::from(&status))?))
        }
        None => {
            let instances = services.list_instances().await?;
            let checked: Vec<Option<(Instance, IntegrationStatus)>> = stream::iter(instances)
                .map(|instance| async move {
                    match services.integration_status(&instance).await {
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
            let checked: Vec<_> = checked.into_iter().flatten().collect();
            let verdict = Verdict::of(checked.iter().map(|(_, status)| status));
            let bodies: Vec<InstanceStatusBody> = checked
                .iter()
                .map(|(instance, status)| InstanceStatusBody {
                    instance_id: instance.id.to_string(),
                    status: IntegrationStatusBody::from(status),
                })
                .collect();
            Ok(verdict.with(json(&bodies)?))
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

    fn with(self, json: String) -> Checked {
        Checked {
            json,
            all_well: self.all_well,
            notes: self.notes,
        }
    }
}
