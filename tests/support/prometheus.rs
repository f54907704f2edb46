//! Reading the Prometheus text format, as a scraper does.

use prom_text_format_parser::Metric;

/// The value of the one sample of `metric` with exactly these labels.
pub fn sample_value(metric: &Metric, labels: &[(&str, &str)]) -> f64 {
    let found: Vec<f64> = metric
        .samples
        .iter()
        .filter(|s| s.labels.len() == labels.len())
        .filter(|s| {
            labels
                .iter()
                .all(|(k, v)| s.labels.iter().any(|l| l.key == *k && l.value == *v))
        })
        .map(|s| s.value.value.as_f64())
        .collect();
    assert_eq!(
        found.len(),
        1,
        "{}{labels:?}: {:?}",
        metric.name,
        metric.samples
    );
    found[0]
}
