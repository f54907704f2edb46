//! Configuration: `config/default.toml`, then `config/{APP_ENV}.toml`, then
//! `APP_*` environment variables (`APP_CHATWOOT__TIMEOUT_MS`), then the
//! documented names that always work (`DATABASE_URL`, `LISTEN_ADDR`,
//! `METRICS_ADDR`, `ADMIN_TOKEN`, `CHATWOOT_VERIFY`, `CHATWOOT_WEBHOOK_URL`,
//! `CHATWOOT_THROTTLE_WAIT_MS`). Every file is
//! optional: the repository's `config/default.toml`, built into the binary,
//! holds every default, and is the only place that does.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use config::{Config, Environment, File, FileFormat};
use domain::WebhookUrlTemplate;
use garde::Validate;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use crate::crypto::{EncryptionKey, TokenCipher};
use crate::db::PoolSettings;

/// Every default, as the repository's `config/default.toml` has them when
/// the binary is built; the same file found on disk then overrides them.
const DEFAULTS: &str = include_str!("../../../config/default.toml");

#[derive(Debug, Deserialize, Validate)]
pub struct Settings {
    #[garde(custom(supported_database_url))]
    pub database_url: String,
    #[garde(skip)]
    pub listen_addr: SocketAddr,
    /// Where `GET /metrics` is served; unset: no metrics.
    #[garde(skip)]
    pub metrics_addr: Option<SocketAddr>,
    /// When absent, a random token is generated at start and printed once.
    #[garde(skip)]
    pub admin_token: Option<SecretString>,
    #[garde(skip)]
    pub chatwoot_verify: bool,
    #[garde(dive)]
    pub chatwoot: ChatwootSettings,
    #[garde(dive)]
    pub database: DatabaseSettings,
    #[garde(dive)]
    pub http: HttpSettings,
    /// Checked by [`SecuritySettings::token_cipher`], which parses the keys.
    #[serde(default)]
    #[garde(skip)]
    pub security: SecuritySettings,
}

#[derive(Debug, Deserialize, Validate)]
pub struct ChatwootSettings {
    #[garde(custom(positive))]
    pub connect_timeout_ms: u64,
    #[garde(custom(positive))]
    pub timeout_ms: u64,
    /// Refuse Chatwoot URLs that resolve to loopback, private or link-local
    /// addresses: for deployments where tenants must not reach the host's network.
    #[garde(skip)]
    pub refuse_private_addresses: bool,
    /// The URL Chatwoot must call for an instance, with `{instanceId}` and
    /// `{instanceName}`; unset (absent or empty) skips the webhook check.
    /// Checked by [`ChatwootSettings::webhook_template`], which parses it.
    #[serde(default)]
    #[garde(skip)]
    pub webhook_url: Option<String>,
    /// How long `check` waits before it runs again an instance whose check
    /// met Chatwoot's rate limiter (`CHATWOOT_THROTTLE_WAIT_MS`).
    #[garde(skip)]
    pub throttle_wait_ms: u64,
}

impl ChatwootSettings {
    /// The webhook template, or `None` when it is not set.
    pub fn webhook_template(&self) -> Result<Option<WebhookUrlTemplate>, SettingsError> {
        match self.webhook_url.as_deref().filter(|raw| !raw.is_empty()) {
            None => Ok(None),
            Some(raw) => WebhookUrlTemplate::parse(raw).map(Some).map_err(|err| {
                SettingsError(format!("CHATWOOT_WEBHOOK_URL (chatwoot.webhook_url) {err}"))
            }),
        }
    }
}

#[derive(Debug, Deserialize, Validate)]
pub struct DatabaseSettings {
    #[garde(custom(positive))]
    pub max_connections: u32,
    #[garde(custom(positive))]
    pub acquire_timeout_ms: u64,
    #[garde(skip)]
    pub sqlite_busy_timeout_ms: u64,
    #[garde(custom(positive))]
    pub statement_timeout_ms: u64,
}

#[derive(Debug, Deserialize, Validate)]
pub struct HttpSettings {
    /// Worker threads; 0 means actix's default, one per core.
    #[garde(skip)]
    pub workers: usize,
    /// How long requests in flight may take to finish after SIGTERM/SIGINT.
    #[garde(skip)]
    pub shutdown_timeout_secs: u64,
    /// How long reading a request's body may take (408 after).
    #[garde(custom(positive))]
    pub body_timeout_ms: u64,
}

/// Encryption at rest of the stored Chatwoot access tokens: off without a key.
#[derive(Debug, Default, Deserialize)]
pub struct SecuritySettings {
    /// 32 bytes as 64 hex digits or base64; every write is sealed with it.
    pub token_encryption_key: Option<SecretString>,
    /// Comma-separated keys still accepted for reading, during a rotation.
    pub previous_token_encryption_keys: Option<SecretString>,
}

const KEY_VARIABLE: &str = "APP_SECURITY__TOKEN_ENCRYPTION_KEY";
const PREVIOUS_KEYS_VARIABLE: &str = "APP_SECURITY__PREVIOUS_TOKEN_ENCRYPTION_KEYS";

impl SecuritySettings {
    /// The cipher of the configured keys, or `None` when encryption is off.
    pub fn token_cipher(&self) -> Result<Option<TokenCipher>, SettingsError> {
        let previous = match &self.previous_token_encryption_keys {
            Some(list) => list
                .expose_secret()
                .split(',')
                .map(str::trim)
                .filter(|key| !key.is_empty())
                .map(EncryptionKey::parse)
                .collect::<Result<Vec<_>, _>>()
                .map_err(|err| {
                    SettingsError(format!("{PREVIOUS_KEYS_VARIABLE}: each key {err}"))
                })?,
            None => Vec::new(),
        };
        let Some(current) = &self.token_encryption_key else {
            if previous.is_empty() {
                return Ok(None);
            }
            return Err(SettingsError(format!(
                "{PREVIOUS_KEYS_VARIABLE} is set but {KEY_VARIABLE} is not"
            )));
        };
        let current = EncryptionKey::parse(current.expose_secret())
            .map_err(|err| SettingsError(format!("{KEY_VARIABLE}: {err}")))?;
        Ok(Some(TokenCipher::new(&current, &previous)))
    }
}

impl HttpSettings {
    /// The configured worker count, or actix's default: one per core as
    /// the standard library counts them (container CPU limits included).
    pub fn worker_threads(&self) -> usize {
        match self.workers {
            0 => std::thread::available_parallelism().map_or(1, |cores| cores.get()),
            n => n,
        }
    }
}

impl DatabaseSettings {
    pub fn pool(&self) -> PoolSettings {
        PoolSettings {
            max_connections: self.max_connections,
            acquire_timeout: Duration::from_millis(self.acquire_timeout_ms),
            sqlite_busy_timeout: Duration::from_millis(self.sqlite_busy_timeout_ms),
            statement_timeout: Duration::from_millis(self.statement_timeout_ms),
        }
    }
}

/// One line that names the setting at fault.
#[derive(Debug, thiserror::Error)]
#[error("invalid configuration: {0}")]
pub struct SettingsError(String);

/// The documented names that always work, and the key each sets.
pub const PLAIN_NAMES: [(&str, &str); 7] = [
    ("DATABASE_URL", "database_url"),
    ("LISTEN_ADDR", "listen_addr"),
    ("METRICS_ADDR", "metrics_addr"),
    ("ADMIN_TOKEN", "admin_token"),
    ("CHATWOOT_VERIFY", "chatwoot_verify"),
    ("CHATWOOT_WEBHOOK_URL", "chatwoot.webhook_url"),
    ("CHATWOOT_THROTTLE_WAIT_MS", "chatwoot.throttle_wait_ms"),
];

/// Keys taken verbatim from their `APP_*` variable.
const SECRET_KEYS: [(&str, &str); 2] = [
    (KEY_VARIABLE, "security.token_encryption_key"),
    (
        PREVIOUS_KEYS_VARIABLE,
        "security.previous_token_encryption_keys",
    ),
];

impl Settings {
    /// From `./config` and the process environment.
    pub fn load() -> Result<Self, SettingsError> {
        Self::load_from(Path::new("config"), &std::env::vars().collect())
    }

    /// From a config folder and an explicit environment, so tests need not
    /// touch the process's.
    pub fn load_from(dir: &Path, env: &HashMap<String, String>) -> Result<Self, SettingsError> {
        let app_env = env.get("APP_ENV").map(String::as_str).unwrap_or("local");
        let mut builder = Config::builder()
            .add_source(File::from_str(DEFAULTS, FileFormat::Toml))
            .add_source(File::from(dir.join("default")).required(false))
            .add_source(File::from(dir.join(app_env)).required(false))
            .add_source(
                Environment::with_prefix("APP")
                    .prefix_separator("_")
                    .separator("__")
                    .try_parsing(true)
                    .source(Some(env.clone())),
            );
        // Read as given: the generic `APP_*` parsing could turn a key of
        // digits into a number.
        for (name, key) in PLAIN_NAMES.iter().chain(&SECRET_KEYS) {
            let value = env.get(*name).filter(|v| !v.is_empty()).cloned();
            builder = builder
                .set_override_option(key, value)
                .map_err(|e| SettingsError(format!("{name}: {e}")))?;
        }
        let settings: Settings = builder
            .build()
            .and_then(Config::try_deserialize)
            .map_err(|e| SettingsError(name_the_variable(e.to_string())))?;
        settings.check()?;
        Ok(settings)
    }

    fn check(&self) -> Result<(), SettingsError> {
        self.validate()
            .map_err(|report| SettingsError(describe(&report)))?;
        self.chatwoot.webhook_template()?;
        self.security.token_cipher().map(drop)
    }

    /// MariaDB speaks MySQL's protocol; the driver knows only `mysql://`.
    pub fn driver_database_url(&self) -> String {
        match self.database_url.strip_prefix("mariadb://") {
            Some(rest) => format!("mysql://{rest}"),
            None => self.database_url.clone(),
        }
    }
}

/// The database URL schemes the service has a driver for.
const DATABASE_SCHEMES: [&str; 5] = [
    "sqlite:",
    "postgres://",
    "postgresql://",
    "mysql://",
    "mariadb://",
];

fn supported_database_url(url: &str, _: &()) -> garde::Result {
    if DATABASE_SCHEMES
        .iter()
        .any(|scheme| url.starts_with(scheme))
    {
        Ok(())
    } else {
        Err(garde::Error::new(format!(
            "must start with {}",
            DATABASE_SCHEMES.join(", ")
        )))
    }
}

/// A count or a time in milliseconds that 0 would make useless: no
/// connection at all, or a wait that fails at once.
fn positive<T: Into<u64> + Copy>(value: &T, _: &()) -> garde::Result {
    if (*value).into() == 0 {
        Err(garde::Error::new("must be greater than 0"))
    } else {
        Ok(())
    }
}

/// Every fault on one line, each by the name a user sets it with:
/// `DATABASE_URL must start with …; chatwoot.timeout_ms must be greater than 0`.
fn describe(report: &garde::Report) -> String {
    report
        .iter()
        .map(|(path, error)| {
            let key = path.to_string();
            let name = PLAIN_NAMES
                .iter()
                .find(|(_, k)| *k == key)
                .map_or(key.clone(), |(name, _)| (*name).to_owned());
            format!("{name} {}", error.message())
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// `config` names keys (`listen_addr`); users set variables (`LISTEN_ADDR`).
fn name_the_variable(message: String) -> String {
    PLAIN_NAMES
        .iter()
        .find(|(_, key)| message.contains(&format!("`{key}`")))
        .map(|(name, _)| format!("{name}: {message}"))
        .unwrap_or(message)
}

#[cfg(test)]
mod tests {
    use super::*;

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
    /// against it (`crates/infrastructure/tests/documented_defaults.rs`).
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
        let zero =
            Settings::load_from(dir.path(), &env(&[("APP_HTTP__WORKERS", "0")])).expect("loads");
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        assert_eq!(zero.http.worker_threads(), cores);
        let set =
            Settings::load_from(dir.path(), &env(&[("APP_HTTP__WORKERS", "3")])).expect("loads");
        assert_eq!(set.http.worker_threads(), 3);
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
        assert_eq!(s.chatwoot.timeout_ms, 1234);
        assert_eq!(s.chatwoot.connect_timeout_ms, 250);
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
        assert_eq!(unset.chatwoot.webhook_template().expect("valid"), None);
        let empty = Settings::load_from(dir.path(), &env(&[("CHATWOOT_WEBHOOK_URL", "")]))
            .expect("empty means unset");
        assert_eq!(empty.chatwoot.webhook_template().expect("valid"), None);
        let raw = "https://gw.example.com/chatwoot/webhook/{instanceId}";
        let set =
            Settings::load_from(dir.path(), &env(&[("CHATWOOT_WEBHOOK_URL", raw)])).expect("loads");
        let template = set.chatwoot.webhook_template().expect("valid");
        assert_eq!(
            template.map(|t| t.as_str().to_owned()).as_deref(),
            Some(raw)
        );
    }

    #[test]
    fn the_throttle_wait_is_a_minute_unless_its_variable_says_otherwise() {
        let dir = empty_dir();
        let default = Settings::load_from(dir.path(), &env(&[])).expect("loads");
        assert_eq!(default.chatwoot.throttle_wait_ms, 60_000);
        let set = Settings::load_from(dir.path(), &env(&[("CHATWOOT_THROTTLE_WAIT_MS", "250")]))
            .expect("loads");
        assert_eq!(set.chatwoot.throttle_wait_ms, 250);
        let wrong = Settings::load_from(dir.path(), &env(&[("CHATWOOT_THROTTLE_WAIT_MS", "soon")]));
        let message = wrong.expect_err("refused").to_string();
        assert!(message.contains("CHATWOOT_THROTTLE_WAIT_MS"), "{message}");
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
            from_file.chatwoot.webhook_url.as_deref(),
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
            from_env.chatwoot.webhook_url.as_deref(),
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
        assert!(s.security.token_cipher().expect("no key is fine").is_none());
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
        assert!(s.security.token_cipher().expect("valid keys").is_some());
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
}
