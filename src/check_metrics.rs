//! `check --format prometheus`: the statuses in the Prometheus text format,
//! for node_exporter's textfile collector.

use application::{AppError, IntegrationStatus};
use domain::Instance;
use prometheus_client::encoding::{prometheus_text, EncodeLabelSet};
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;
use std::sync::atomic::AtomicU64;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct InstanceLabels {
    instance_id: String,
    instance_name: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CheckLabels {
    instance_id: String,
    check: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct IdLabels {
    instance_id: String,
}

/// One gauge per instance for `healthy`, `enabled` and when it was checked,
/// and one per check that ran. `healthy` is 1 only when it is `true`: an
/// integration not checked (`CHATWOOT_VERIFY=false`) is not known to work.
pub fn encode(statuses: &[(Instance, IntegrationStatus)]) -> Result<String, AppError> {
    let healthy = Family::<InstanceLabels, Gauge>::default();
    let enabled = Family::<InstanceLabels, Gauge>::default();
    let check_ok = Family::<CheckLabels, Gauge>::default();
    let checked_at = Family::<IdLabels, Gauge<f64, AtomicU64>>::default();
    for (instance, status) in statuses {
        let labels = InstanceLabels {
            instance_id: instance.id.to_string(),
            instance_name: instance.name.as_str().to_owned(),
        };
        healthy
            .get_or_create(&labels)
            .set(i64::from(status.healthy() == Some(true)));
        enabled
            .get_or_create(&labels)
            .set(i64::from(status.enabled));
        for (name, outcome) in status.report.steps() {
            if let Some(ok) = outcome.ok() {
                let labels = CheckLabels {
                    instance_id: labels.instance_id.clone(),
                    check: name.as_str(),
                };
                check_ok.get_or_create(&labels).set(i64::from(ok));
            }
        }
        let id = IdLabels {
            instance_id: labels.instance_id.clone(),
        };
        // Milliseconds as seconds: exact to the millisecond in an f64.
        let seconds = status.checked_at.millis() as f64 / 1000.0;
        checked_at.get_or_create(&id).set(seconds);
    }

    let mut registry = Registry::default();
    registry.register(
        "chatwoot_integration_healthy",
        "1 when every check of the instance's integration passed, else 0 (also when not checked)",
        healthy,
    );
    registry.register(
        "chatwoot_integration_enabled",
        "1 when the instance's integration is enabled, else 0 (a disabled one does not count for the exit code)",
        enabled,
    );
    registry.register(
        "chatwoot_integration_check_ok",
        "1 when the check passed, 0 when it failed; absent when it did not run",
        check_ok,
    );
    registry.register(
        "chatwoot_integration_checked_timestamp_seconds",
        "When the checks of the instance's integration started, in seconds since the Unix epoch",
        checked_at,
    );
    let mut text = String::new();
    prometheus_text::encode(&mut text, &registry).map_err(|error| {
        log::error!("cannot print the Prometheus text: {error}");
        AppError::Internal
    })?;
    Ok(text)
}
