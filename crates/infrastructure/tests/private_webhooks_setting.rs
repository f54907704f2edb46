//! `CHATWOOT_ALLOWS_PRIVATE_WEBHOOKS`: false unless the operator says
//! Chatwoot runs with `SAFE_FETCH_ALLOW_PRIVATE_NETWORK=true`.

use std::collections::HashMap;

use infrastructure::settings::Settings;

fn load(env: &[(&str, &str)]) -> Result<Settings, String> {
    let no_files = tempfile::tempdir().expect("temp dir");
    let env: HashMap<String, String> = env
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    Settings::load_from(no_files.path(), &env).map_err(|e| e.to_string())
}

#[test]
fn private_webhooks_are_not_allowed_unless_the_variable_says_so() {
    let default = load(&[]).expect("defaults");
    assert!(!default.chatwoot.check.allows_private_webhooks);
    let allowed = load(&[("CHATWOOT_ALLOWS_PRIVATE_WEBHOOKS", "true")]).expect("set");
    assert!(allowed.chatwoot.check.allows_private_webhooks);
    let refused = load(&[("CHATWOOT_ALLOWS_PRIVATE_WEBHOOKS", "yes please")])
        .err()
        .expect("not a boolean");
    assert!(
        refused.contains("CHATWOOT_ALLOWS_PRIVATE_WEBHOOKS")
            || refused.contains("allows_private_webhooks"),
        "{refused}"
    );
}
