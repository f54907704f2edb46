//! Loading the settings: the built-in defaults, files, `APP_*` variables
//! and the documented names, typed once; every fault named on one line.

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use infrastructure::settings::{Settings, SettingsError};

fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn empty_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// A config folder holding `files`, each a name and its text.
fn dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = empty_dir();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("write config");
    }
    dir
}

/// The settings of the files in `dir` and the variables `vars`.
fn load_in(dir: &Path, vars: &[(&str, &str)]) -> Result<Settings, SettingsError> {
    Settings::load_from(dir, &env(vars))
}

/// The settings of `vars` over the built-in defaults, with no file.
fn load(vars: &[(&str, &str)]) -> Settings {
    load_in(empty_dir().path(), vars).expect("loads")
}

/// The one line that refuses `vars`, with no file.
fn refused(vars: &[(&str, &str)]) -> String {
    let refusal = load_in(empty_dir().path(), vars).expect_err("refused");
    refusal.to_string()
}

fn webhook(settings: Settings) -> Option<String> {
    settings.chatwoot.webhook.map(|t| t.as_str().to_owned())
}

/// The values themselves are the file's; the README's table is checked
/// against it (`crates/infrastructure/tests/documented/defaults.rs`).
#[test]
fn without_any_file_the_built_in_defaults_serve_sqlite_on_loopback_with_the_check_on() {
    let s = load(&[]);
    assert!(s.database_url.starts_with("sqlite:"), "{}", s.database_url);
    assert!(s.listen_addr.ip().is_loopback(), "{}", s.listen_addr);
    assert!(s.chatwoot_verify);
    assert!(s.admin_token.is_none());
    assert!(s.database.max_connections > 0);
    assert_eq!(
        s.metrics_addr, None,
        "metrics are off unless METRICS_ADDR is set"
    );
    assert_eq!(s.chatwoot.webhook, None, "no webhook template");
    assert!(
        s.token_cipher.is_none(),
        "token encryption is off without a key"
    );
    assert!(!s.chatwoot.check.allows_private_webhooks);
    assert_eq!(s.chatwoot.throttle_wait, Duration::from_secs(60));
}

#[test]
fn http_workers_0_means_one_per_core_and_any_other_count_is_taken() {
    let zero = load(&[("APP_HTTP__WORKERS", "0")]);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    assert_eq!(zero.http.workers.get(), cores);
    assert_eq!(load(&[("APP_HTTP__WORKERS", "3")]).http.workers.get(), 3);
}

#[test]
fn documented_variables_override_files_and_app_variables() {
    let dir = dir_with(&[(
        "default.toml",
        "listen_addr = \"0.0.0.0:9000\"\nchatwoot_verify = true\n[chatwoot]\ntimeout_ms = 1234\n",
    )]);
    let vars = [
        ("LISTEN_ADDR", "127.0.0.1:7000"),
        ("CHATWOOT_VERIFY", "false"),
        ("APP_CHATWOOT__CONNECT_TIMEOUT_MS", "250"),
        ("DATABASE_URL", "postgres://localhost/x"),
    ];
    let s = load_in(dir.path(), &vars).expect("loads");
    assert_eq!(s.listen_addr.to_string(), "127.0.0.1:7000");
    assert!(!s.chatwoot_verify);
    assert_eq!(s.chatwoot.check.timeout, Duration::from_millis(1234));
    assert_eq!(s.chatwoot.check.connect_timeout, Duration::from_millis(250));
    assert_eq!(s.database_url, "postgres://localhost/x");
}

#[test]
fn app_env_selects_a_second_file_over_the_default_one() {
    let dir = dir_with(&[
        ("default.toml", "listen_addr = \"127.0.0.1:1\"\n"),
        ("production.toml", "listen_addr = \"127.0.0.1:2\"\n"),
    ]);
    let s = load_in(dir.path(), &[("APP_ENV", "production")]).expect("loads");
    assert_eq!(s.listen_addr.to_string(), "127.0.0.1:2");
}

/// A value its setting cannot take stops the start, named by the variable
/// the user set.
#[test]
fn a_value_of_the_wrong_kind_is_reported_by_its_variable_name() {
    for (name, value) in [
        ("LISTEN_ADDR", "nowhere"),
        ("METRICS_ADDR", "nowhere"),
        ("CHATWOOT_VERIFY", "maybe"),
        ("CHATWOOT_ALLOWS_PRIVATE_WEBHOOKS", "yes please"),
        ("CHATWOOT_THROTTLE_WAIT_MS", "soon"),
    ] {
        let message = refused(&[(name, value)]);
        assert!(message.contains(name), "{message}");
    }
}

#[test]
fn metrics_are_served_on_metrics_addr_when_it_is_set() {
    let on = load(&[("METRICS_ADDR", "127.0.0.1:9464")]);
    assert_eq!(
        on.metrics_addr.map(|a| a.to_string()).as_deref(),
        Some("127.0.0.1:9464")
    );
}

#[test]
fn the_webhook_template_is_read_from_its_variable_and_empty_means_unset() {
    assert_eq!(load(&[("CHATWOOT_WEBHOOK_URL", "")]).chatwoot.webhook, None);
    let raw = "https://gw.example.com/chatwoot/webhook/{instanceId}";
    let set = load(&[("CHATWOOT_WEBHOOK_URL", raw)]);
    assert_eq!(webhook(set).as_deref(), Some(raw));
}

#[test]
fn the_webhook_template_variable_overrides_the_config_file() {
    let dir = dir_with(&[(
        "default.toml",
        "[chatwoot]\nwebhook_url = \"https://file.example.com/{instanceName}\"\n",
    )]);
    let from_file = load_in(dir.path(), &[]).expect("loads");
    let file_template = "https://file.example.com/{instanceName}";
    assert_eq!(webhook(from_file).as_deref(), Some(file_template));
    let env_template = "https://env.example.com/{instanceId}";
    let from_env = load_in(dir.path(), &[("CHATWOOT_WEBHOOK_URL", env_template)]);
    assert_eq!(
        webhook(from_env.expect("loads")).as_deref(),
        Some(env_template)
    );
}

#[test]
fn an_invalid_webhook_template_stops_the_start_with_one_line_naming_it() {
    for (raw, reason) in [
        (
            "https://gw.example.com/{instance}",
            "unknown placeholder {instance}",
        ),
        (
            "https://gw.example.com/{instanceId",
            "not part of a placeholder",
        ),
        ("gw.example.com/{instanceId}", "not a valid URL"),
    ] {
        let message = refused(&[("CHATWOOT_WEBHOOK_URL", raw)]);
        assert!(
            message.starts_with("invalid configuration: CHATWOOT_WEBHOOK_URL "),
            "{message}"
        );
        assert!(message.contains(reason), "{raw}: {message}");
        assert_eq!(message.lines().count(), 1, "{message}");
    }
}

/// An unknown database scheme, a malformed encryption key.
#[test]
fn a_refused_url_or_key_starts_the_line_with_its_variable() {
    for (name, value) in [
        ("DATABASE_URL", "oracle://x"),
        ("APP_SECURITY__TOKEN_ENCRYPTION_KEY", "too-short"),
    ] {
        let message = refused(&[(name, value)]);
        let start = format!("invalid configuration: {name}");
        assert!(message.starts_with(&start), "{message}");
    }
}

#[test]
fn every_invalid_setting_is_named_on_the_one_line() {
    let message = refused(&[
        ("DATABASE_URL", "oracle://x"),
        ("APP_CHATWOOT__TIMEOUT_MS", "0"),
        ("APP_DATABASE__MAX_CONNECTIONS", "0"),
        ("APP_HTTP__BODY_TIMEOUT_MS", "0"),
    ]);
    assert!(!message.contains('\n'), "{message}");
    for fault in [
        "DATABASE_URL must start with sqlite:, postgres://, postgresql://, mysql://, mariadb://",
        "chatwoot.timeout_ms must be greater than 0",
        "database.max_connections must be greater than 0",
        "http.body_timeout_ms must be greater than 0",
    ] {
        assert!(message.contains(fault), "{fault} not in {message}");
    }
}

#[test]
fn mariadb_urls_are_handed_to_the_mysql_driver() {
    let s = load(&[("DATABASE_URL", "mariadb://root@h/db")]);
    assert_eq!(s.driver_database_url(), "mysql://root@h/db");
}

#[test]
fn a_key_of_digits_only_is_read_as_hex_not_as_a_number() {
    let (current, previous) = ("1".repeat(64), "2".repeat(64));
    let s = load(&[
        ("APP_SECURITY__TOKEN_ENCRYPTION_KEY", &current),
        ("APP_SECURITY__PREVIOUS_TOKEN_ENCRYPTION_KEYS", &previous),
    ]);
    assert!(s.token_cipher.is_some());
}

#[test]
fn a_malformed_encryption_key_is_never_echoed_nor_are_previous_keys_taken_alone() {
    let message = refused(&[("APP_SECURITY__TOKEN_ENCRYPTION_KEY", "too-short")]);
    assert!(
        !message.contains("too-short"),
        "never echo a key: {message}"
    );
    let key = "1".repeat(64);
    let alone = refused(&[("APP_SECURITY__PREVIOUS_TOKEN_ENCRYPTION_KEYS", &key)]);
    assert!(
        alone.contains("APP_SECURITY__TOKEN_ENCRYPTION_KEY"),
        "previous keys alone must fail: {alone}"
    );
}

#[test]
fn private_webhooks_are_allowed_when_the_variable_says_so() {
    let allowed = load(&[("CHATWOOT_ALLOWS_PRIVATE_WEBHOOKS", "true")]);
    assert!(allowed.chatwoot.check.allows_private_webhooks);
}

#[test]
fn the_throttle_wait_is_taken_from_its_variable() {
    let set = load(&[("CHATWOOT_THROTTLE_WAIT_MS", "250")]);
    assert_eq!(set.chatwoot.throttle_wait, Duration::from_millis(250));
}
