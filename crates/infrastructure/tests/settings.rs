//! Loading the settings: the built-in defaults, files, `APP_*` variables
//! and the documented names, typed once; every fault named on one line.

use std::collections::HashMap;
use std::time::Duration;

use infrastructure::settings::Settings;
fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn empty_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// The values themselves are the file's; the README's table is checked
/// against it (`crates/infrastructure/tests/documented/defaults.rs`).
#[test]
fn without_any_file_the_built_in_defaults_serve_sqlite_on_loopback_with_the_check_on() {
    let dir = empty_dir();
    let s = Settings::load_from(dir.path(), &env(&[])).expect("defaults load");
    assert!(s.database_url.starts_with("sqlite:"), "{}", s.database_url);
    assert!(s.listen_addr.ip().is_loopback(), "{}", s.listen_addr);
    assert!(s.chatwoot_verify);
    assert!(s.admin_token.is_none());
    assert!(s.database.max_connections > 0);
}

#[test]
fn http_workers_0_means_one_per_core_and_any_other_count_is_taken() {
    let dir = empty_dir();
    let zero = Settings::load_from(dir.path(), &env(&[("APP_HTTP__WORKERS", "0")])).expect("loads");
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    assert_eq!(zero.http.workers.get(), cores);
    let set = Settings::load_from(dir.path(), &env(&[("APP_HTTP__WORKERS", "3")])).expect("loads");
    assert_eq!(set.http.workers.get(), 3);
}

#[test]
fn documented_variables_override_files_and_app_variables() {
    let dir = empty_dir();
    std::fs::write(
        dir.path().join("default.toml"),
        "listen_addr = \"0.0.0.0:9000\"\nchatwoot_verify = true\n[chatwoot]\ntimeout_ms = 1234\n",
    )
    .expect("write config");
    let s = Settings::load_from(
        dir.path(),
        &env(&[
            ("LISTEN_ADDR", "127.0.0.1:7000"),
            ("CHATWOOT_VERIFY", "false"),
            ("APP_CHATWOOT__CONNECT_TIMEOUT_MS", "250"),
            ("DATABASE_URL", "postgres://localhost/x"),
        ]),
    )
    .expect("loads");
    assert_eq!(s.listen_addr.to_string(), "127.0.0.1:7000");
    assert!(!s.chatwoot_verify);
    assert_eq!(s.chatwoot.check.timeout, Duration::from_millis(1234));
    assert_eq!(s.chatwoot.check.connect_timeout, Duration::from_millis(250));
    assert_eq!(s.database_url, "postgres://localhost/x");
}

#[test]
fn app_env_selects_a_second_file_over_the_default_one() {
    let dir = empty_dir();
    std::fs::write(
        dir.path().join("default.toml"),
        "listen_addr = \"127.0.0.1:1\"\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("production.toml"),
        "listen_addr = \"127.0.0.1:2\"\n",
    )
    .expect("write");
    let s = Settings::load_from(dir.path(), &env(&[("APP_ENV", "production")])).expect("loads");
    assert_eq!(s.listen_addr.to_string(), "127.0.0.1:2");
}

#[test]
fn a_bad_listen_address_is_reported_by_its_variable_name() {
    let dir = empty_dir();
    let err = Settings::load_from(dir.path(), &env(&[("LISTEN_ADDR", "nowhere")]))
        .expect_err("must fail");
    assert!(err.to_string().contains("LISTEN_ADDR"), "{err}");
}

#[test]
fn metrics_are_off_unless_metrics_addr_is_set() {
    let dir = empty_dir();
    let off = Settings::load_from(dir.path(), &env(&[])).expect("loads");
    assert_eq!(off.metrics_addr, None);
    let on = Settings::load_from(dir.path(), &env(&[("METRICS_ADDR", "127.0.0.1:9464")]))
        .expect("loads");
    assert_eq!(
        on.metrics_addr.map(|a| a.to_string()).as_deref(),
        Some("127.0.0.1:9464")
    );
    let err = Settings::load_from(dir.path(), &env(&[("METRICS_ADDR", "nowhere")]))
        .expect_err("must fail");
    assert!(err.to_string().contains("METRICS_ADDR"), "{err}");
}

#[test]
fn a_non_boolean_chatwoot_verify_is_reported_by_its_variable_name() {
    let dir = empty_dir();
    let err = Settings::load_from(dir.path(), &env(&[("CHATWOOT_VERIFY", "maybe")]))
        .expect_err("must fail");
    assert!(err.to_string().contains("CHATWOOT_VERIFY"), "{err}");
}

#[test]
fn the_webhook_template_is_unset_by_default_and_read_from_its_variable() {
    let dir = empty_dir();
    let unset = Settings::load_from(dir.path(), &env(&[])).expect("defaults load");
    assert_eq!(unset.chatwoot.webhook, None);
    let empty = Settings::load_from(dir.path(), &env(&[("CHATWOOT_WEBHOOK_URL", "")]))
        .expect("empty means unset");
    assert_eq!(empty.chatwoot.webhook, None);
    let raw = "https://gw.example.com/chatwoot/webhook/{instanceId}";
    let set =
        Settings::load_from(dir.path(), &env(&[("CHATWOOT_WEBHOOK_URL", raw)])).expect("loads");
    let template = set.chatwoot.webhook;
    assert_eq!(
        template.map(|t| t.as_str().to_owned()).as_deref(),
        Some(raw)
    );
}

#[test]
fn the_webhook_template_variable_overrides_the_config_file() {
    let dir = empty_dir();
    std::fs::write(
        dir.path().join("default.toml"),
        "[chatwoot]\nwebhook_url = \"https://file.example.com/{instanceName}\"\n",
    )
    .expect("write config");
    let from_file = Settings::load_from(dir.path(), &env(&[])).expect("loads");
    assert_eq!(
        from_file
            .chatwoot
            .webhook
            .map(|t| t.as_str().to_owned())
            .as_deref(),
        Some("https://file.example.com/{instanceName}")
    );
    let from_env = Settings::load_from(
        dir.path(),
        &env(&[(
            "CHATWOOT_WEBHOOK_URL",
            "https://env.example.com/{instanceId}",
        )]),
    )
    .expect("loads");
    assert_eq!(
        from_env
            .chatwoot
            .webhook
            .map(|t| t.as_str().to_owned())
            .as_deref(),
        Some("https://env.example.com/{instanceId}")
    );
}

#[test]
fn an_invalid_webhook_template_stops_the_start_with_one_line_naming_it() {
    let dir = empty_dir();
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
        let err = Settings::load_from(dir.path(), &env(&[("CHATWOOT_WEBHOOK_URL", raw)]))
            .expect_err("must fail");
        let message = err.to_string();
        assert!(
            message.starts_with("invalid configuration: CHATWOOT_WEBHOOK_URL "),
            "{message}"
        );
        assert!(message.contains(reason), "{raw}: {message}");
        assert_eq!(message.lines().count(), 1, "{message}");
    }
}

#[test]
fn an_unknown_database_scheme_is_refused() {
    let dir = empty_dir();
    let err = Settings::load_from(dir.path(), &env(&[("DATABASE_URL", "oracle://x")]))
        .expect_err("must fail");
    assert!(
        err.to_string()
            .starts_with("invalid configuration: DATABASE_URL"),
        "{err}"
    );
}

#[test]
fn every_invalid_setting_is_named_on_the_one_line() {
    let dir = empty_dir();
    let err = Settings::load_from(
        dir.path(),
        &env(&[
            ("DATABASE_URL", "oracle://x"),
            ("APP_CHATWOOT__TIMEOUT_MS", "0"),
            ("APP_DATABASE__MAX_CONNECTIONS", "0"),
            ("APP_HTTP__BODY_TIMEOUT_MS", "0"),
        ]),
    )
    .expect_err("must fail");
    let message = err.to_string();
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
    let dir = empty_dir();
    let s = Settings::load_from(dir.path(), &env(&[("DATABASE_URL", "mariadb://root@h/db")]))
        .expect("loads");
    assert_eq!(s.driver_database_url(), "mysql://root@h/db");
}

#[test]
fn token_encryption_is_off_without_a_key() {
    let dir = empty_dir();
    let s = Settings::load_from(dir.path(), &env(&[])).expect("loads");
    assert!(s.token_cipher.is_none());
}

#[test]
fn a_key_of_digits_only_is_read_as_hex_not_as_a_number() {
    let dir = empty_dir();
    let digits = "1".repeat(64);
    let s = Settings::load_from(
        dir.path(),
        &env(&[
            ("APP_SECURITY__TOKEN_ENCRYPTION_KEY", &digits),
            (
                "APP_SECURITY__PREVIOUS_TOKEN_ENCRYPTION_KEYS",
                &"2".repeat(64),
            ),
        ]),
    )
    .expect("loads");
    assert!(s.token_cipher.is_some());
}

#[test]
fn a_malformed_encryption_key_is_reported_by_its_variable_name() {
    let dir = empty_dir();
    let err = Settings::load_from(
        dir.path(),
        &env(&[("APP_SECURITY__TOKEN_ENCRYPTION_KEY", "too-short")]),
    )
    .expect_err("must fail");
    assert!(
        err.to_string()
            .starts_with("invalid configuration: APP_SECURITY__TOKEN_ENCRYPTION_KEY"),
        "{err}"
    );
    assert!(
        !err.to_string().contains("too-short"),
        "never echo a key: {err}"
    );
    let err = Settings::load_from(
        dir.path(),
        &env(&[(
            "APP_SECURITY__PREVIOUS_TOKEN_ENCRYPTION_KEYS",
            &"1".repeat(64),
        )]),
    )
    .expect_err("previous keys alone must fail");
    assert!(
        err.to_string()
            .contains("APP_SECURITY__TOKEN_ENCRYPTION_KEY"),
        "{err}"
    );
}

#[test]
fn private_webhooks_are_not_allowed_unless_the_variable_says_so() {
    let dir = empty_dir();
    let default = Settings::load_from(dir.path(), &env(&[])).expect("defaults");
    assert!(!default.chatwoot.check.allows_private_webhooks);
    let allowed = Settings::load_from(
        dir.path(),
        &env(&[("CHATWOOT_ALLOWS_PRIVATE_WEBHOOKS", "true")]),
    )
    .expect("set");
    assert!(allowed.chatwoot.check.allows_private_webhooks);
    let refused = Settings::load_from(
        dir.path(),
        &env(&[("CHATWOOT_ALLOWS_PRIVATE_WEBHOOKS", "yes please")]),
    )
    .expect_err("not a boolean")
    .to_string();
    assert!(
        refused.contains("CHATWOOT_ALLOWS_PRIVATE_WEBHOOKS"),
        "{refused}"
    );
}

#[test]
fn the_throttle_wait_is_a_minute_unless_its_variable_says_otherwise() {
    let dir = empty_dir();
    let default = Settings::load_from(dir.path(), &env(&[])).expect("loads");
    assert_eq!(default.chatwoot.throttle_wait, Duration::from_secs(60));
    let set = Settings::load_from(dir.path(), &env(&[("CHATWOOT_THROTTLE_WAIT_MS", "250")]))
        .expect("loads");
    assert_eq!(set.chatwoot.throttle_wait, Duration::from_millis(250));
    let wrong = Settings::load_from(dir.path(), &env(&[("CHATWOOT_THROTTLE_WAIT_MS", "soon")]));
    let message = wrong.expect_err("refused").to_string();
    assert!(message.contains("CHATWOOT_THROTTLE_WAIT_MS"), "{message}");
}
