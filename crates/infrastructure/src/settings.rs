//! Configuration: `config/default.toml`, then `config/{APP_ENV}.toml`, then
//! `APP_*` environment variables (`APP_CHATWOOT__TIMEOUT_MS`), then the
//! documented names that always work (`DATABASE_URL`, `LISTEN_ADDR`,
//! `METRICS_ADDR`, `ADMIN_TOKEN`, `CHATWOOT_VERIFY`, `CHATWOOT_WEBHOOK_URL`,
//! `CHATWOOT_ALLOWS_PRIVATE_WEBHOOKS`, `CHATWOOT_THROTTLE_WAIT_MS`). Every file is
//! optional: the repository's `config/default.toml`, built into the binary,
//! holds every default, and is the only place that does.
//!
//! The files and variables are read into [`Raw`], judged all at once (every
//! fault on one line), then typed once into [`Settings`]: durations, the
//! parsed webhook template, the cipher, non-zero counts. Nothing re-parses
//! them later.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::num::NonZeroUsize;
use std::path::Path;
use std::time::Duration;

use config::{Config, Environment, File, FileFormat};
use domain::WebhookUrlTemplate;
use garde::Validate;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use crate::chatwoot::ChatwootCheckConfig;
use crate::crypto::{EncryptionKey, TokenCipher};
use crate::db::PoolSettings;

/// Every default, as the repository's `config/default.toml` has them when
/// the binary is built; the same file found on disk then overrides them.
const DEFAULTS: &str = include_str!("../../../config/default.toml");

/// The settings of a run, as typed values.
#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: String,
    pub listen_addr: SocketAddr,
    /// Where `GET /metrics` is served; unset: no metrics.
    pub metrics_addr: Option<SocketAddr>,
    /// When absent, a random token is generated at start and printed once.
    pub admin_token: Option<SecretString>,
    pub chatwoot_verify: bool,
    pub chatwoot: ChatwootSettings,
    pub database: PoolSettings,
    pub http: HttpSettings,
    /// Encryption at rest of the stored Chatwoot access tokens: `None`
    /// without a key.
    pub token_cipher: Option<TokenCipher>,
}

#[derive(Debug, Clone)]
pub struct ChatwootSettings {
    /// The check's bounds, and whether private addresses are refused.
    pub check: ChatwootCheckConfig,
    /// `CHATWOOT_WEBHOOK_URL`: the URL Chatwoot must call for an instance;
    /// `None` (absent or empty) skips the webhook check.
    pub webhook: Option<WebhookUrlTemplate>,
    /// How long `check` waits before it runs again an instance whose check
    /// met Chatwoot's rate limiter (`CHATWOOT_THROTTLE_WAIT_MS`).
    pub throttle_wait: Duration,
}

#[derive(Debug, Clone, Copy)]
pub struct HttpSettings {
    /// Worker threads: the configured count, or one per core for 0.
    pub workers: NonZeroUsize,
    /// How long requests in flight may take to finish after SIGTERM/SIGINT.
    pub shutdown_timeout: Duration,
    /// How long reading a request's body may take (408 after).
    pub body_timeout: Duration,
}

/// The settings as read. garde judges what types cannot say, and says it
/// for every fault at once: a zero bound, a database URL of no driver;
/// a field without a rule is left to its type.
#[derive(Debug, Deserialize, Validate)]
#[garde(allow_unvalidated)]
struct Raw {
    #[garde(custom(supported_database_url))]
    database_url: String,
    listen_addr: SocketAddr,
    metrics_addr: Option<SocketAddr>,
    admin_token: Option<SecretString>,
    chatwoot_verify: bool,
    #[garde(dive)]
    chatwoot: RawChatwoot,
    #[garde(dive)]
    database: RawDatabase,
    #[garde(dive)]
    http: RawHttp,
    #[serde(default)]
    security: RawSecurity,
}

#[derive(Debug, Deserialize, Validate)]
#[garde(allow_unvalidated)]
struct RawChatwoot {
    #[garde(custom(positive))]
    connect_timeout_ms: u64,
    #[garde(custom(positive))]
    timeout_ms: u64,
    refuse_private_addresses: bool,
    /// Chatwoot runs with `SAFE_FETCH_ALLOW_PRIVATE_NETWORK=true`, so it
    /// calls webhooks at private addresses too (Chatwoot 4.14 and later
    /// refuses them otherwise).
    allows_private_webhooks: bool,
    throttle_wait_ms: u64,
    /// Typed by [`webhook_template`], which names the variable.
    webhook_url: Option<String>,
}

#[derive(Debug, Deserialize, Validate)]
#[garde(allow_unvalidated)]
struct RawDatabase {
    #[garde(custom(positive))]
    max_connections: u32,
    #[garde(custom(positive))]
    acquire_timeout_ms: u64,
    sqlite_busy_timeout_ms: u64,
    #[garde(custom(positive))]
    statement_timeout_ms: u64,
}

#[derive(Debug, Deserialize, Validate)]
#[garde(allow_unvalidated)]
struct RawHttp {
    /// 0 means actix's default, one per core.
    workers: usize,
    shutdown_timeout_secs: u64,
    #[garde(custom(positive))]
    body_timeout_ms: u64,
}

/// Typed by [`token_cipher`], which parses the keys and names the variables.
#[derive(Debug, Default, Deserialize)]
struct RawSecurity {
    token_encryption_key: Option<SecretString>,
    previous_token_encryption_keys: Option<SecretString>,
}

const KEY_VARIABLE: &str = "APP_SECURITY__TOKEN_ENCRYPTION_KEY";
const PREVIOUS_KEYS_VARIABLE: &str = "APP_SECURITY__PREVIOUS_TOKEN_ENCRYPTION_KEYS";

/// The cipher of the configured keys, or `None` when encryption is off.
fn token_cipher(security: &RawSecurity) -> Result<Option<TokenCipher>, SettingsError> {
    let previous = match &security.previous_token_encryption_keys {
        Some(list) => list
            .expose_secret()
            .split(',')
            .map(str::trim)
            .filter(|key| !key.is_empty())
            .map(EncryptionKey::parse)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|err| SettingsError(format!("{PREVIOUS_KEYS_VARIABLE}: each key {err}")))?,
        None => Vec::new(),
    };
    let Some(current) = &security.token_encryption_key else {
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

/// The webhook template, or `None` when it is not set (absent or empty).
fn webhook_template(raw: Option<&str>) -> Result<Option<WebhookUrlTemplate>, SettingsError> {
    match raw.filter(|raw| !raw.is_empty()) {
        None => Ok(None),
        Some(raw) => WebhookUrlTemplate::parse(raw).map(Some).map_err(|err| {
            SettingsError(format!("CHATWOOT_WEBHOOK_URL (chatwoot.webhook_url) {err}"))
        }),
    }
}

/// One line that names the setting at fault.
#[derive(Debug, thiserror::Error)]
#[error("invalid configuration: {0}")]
pub struct SettingsError(String);

/// The documented names that always work, and the key each sets.
pub const PLAIN_NAMES: [(&str, &str); 8] = [
    ("DATABASE_URL", "database_url"),
    ("LISTEN_ADDR", "listen_addr"),
    ("METRICS_ADDR", "metrics_addr"),
    ("ADMIN_TOKEN", "admin_token"),
    ("CHATWOOT_VERIFY", "chatwoot_verify"),
    ("CHATWOOT_WEBHOOK_URL", "chatwoot.webhook_url"),
    (
        "CHATWOOT_ALLOWS_PRIVATE_WEBHOOKS",
        "chatwoot.allows_private_webhooks",
    ),
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
        let raw: Raw = builder
            .build()
            .and_then(Config::try_deserialize)
            .map_err(|e| SettingsError(name_the_variable(e.to_string())))?;
        raw.validate()
            .map_err(|report| SettingsError(describe(&report)))?;
        raw.typed()
    }

    /// MariaDB speaks MySQL's protocol; the driver knows only `mysql://`.
    pub fn driver_database_url(&self) -> String {
        match self.database_url.strip_prefix("mariadb://") {
            Some(rest) => format!("mysql://{rest}"),
            None => self.database_url.clone(),
        }
    }
}

impl Raw {
    /// The typed settings of values garde has judged.
    fn typed(self) -> Result<Settings, SettingsError> {
        let ms = Duration::from_millis;
        let chatwoot = ChatwootSettings {
            check: ChatwootCheckConfig::new(
                ms(self.chatwoot.connect_timeout_ms),
                ms(self.chatwoot.timeout_ms),
                self.chatwoot.refuse_private_addresses,
                self.chatwoot.allows_private_webhooks,
            ),
            webhook: webhook_template(self.chatwoot.webhook_url.as_deref())?,
            throttle_wait: ms(self.chatwoot.throttle_wait_ms),
        };
        let database = PoolSettings {
            max_connections: self.database.max_connections,
            acquire_timeout: ms(self.database.acquire_timeout_ms),
            sqlite_busy_timeout: ms(self.database.sqlite_busy_timeout_ms),
            statement_timeout: ms(self.database.statement_timeout_ms),
        };
        // 0: one per core, as the standard library counts them (container
        // CPU limits included).
        let workers = NonZeroUsize::new(self.http.workers)
            .unwrap_or_else(|| std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN));
        Ok(Settings {
            token_cipher: token_cipher(&self.security)?,
            database_url: self.database_url,
            listen_addr: self.listen_addr,
            metrics_addr: self.metrics_addr,
            admin_token: self.admin_token,
            chatwoot_verify: self.chatwoot_verify,
            chatwoot,
            database,
            http: HttpSettings {
                workers,
                shutdown_timeout: Duration::from_secs(self.http.shutdown_timeout_secs),
                body_timeout: ms(self.http.body_timeout_ms),
            },
        })
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
    let has_driver = |scheme: &&str| url.starts_with(scheme);
    if DATABASE_SCHEMES.iter().any(has_driver) {
        return Ok(());
    }
    let schemes = DATABASE_SCHEMES.join(", ");
    Err(garde::Error::new(format!("must start with {schemes}")))
}

/// A count or a time in milliseconds that 0 would make useless: no
/// connection at all, or a wait that fails at once.
fn positive<T: Into<u64> + Copy>(value: &T, _: &()) -> garde::Result {
    match (*value).into() {
        0 => Err(garde::Error::new("must be greater than 0")),
        _ => Ok(()),
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
