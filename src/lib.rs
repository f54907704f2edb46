//! Wiring: which adapters the running service uses, and how it starts.
//! `main.rs` only parses the command line and calls in here, so tests can
//! start the very same application in-process on port 0.

pub mod cli;

use std::net::TcpListener;
use std::time::Duration;

use actix_web::dev::Server;
use application::{Ports, Services};
use domain::TokenHash;
use http_adapter::ServerSettings;
use infrastructure::chatwoot::{ChatwootCheckConfig, ConfiguredChecker};
use infrastructure::db::{self, SeaOrmRepository};
use infrastructure::settings::Settings;
use infrastructure::system::{RandomIds, SystemClock};
use rand::RngCore;
use sea_orm::DatabaseConnection;
use secrecy::{ExposeSecret, SecretString};

/// The adapters of the real service.
pub struct Production;

impl Ports for Production {
    type Repository = SeaOrmRepository;
    type Checker = ConfiguredChecker;
    type Clock = SystemClock;
    type Ids = RandomIds;
}

pub type AppServices = Services<Production>;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Connect(#[from] db::ConnectError),
    #[error("cannot apply the database migrations: {0}")]
    Migrate(sea_orm::DbErr),
    #[error("cannot set up the Chatwoot check: {0}")]
    Checker(#[from] infrastructure::chatwoot::CheckerBuildError),
    #[error("LISTEN_ADDR: cannot listen on {addr}: {source}")]
    Listen {
        addr: String,
        source: std::io::Error,
    },
}

/// Connects and brings the schema up to date: every command starts here.
pub async fn open_database(settings: &Settings) -> Result<DatabaseConnection, StartError> {
    let conn = db::connect(&settings.driver_database_url(), &settings.database.pool()).await?;
    db::migrate(&conn).await.map_err(StartError::Migrate)?;
    Ok(conn)
}

pub fn chatwoot_config(settings: &Settings) -> ChatwootCheckConfig {
    ChatwootCheckConfig {
        connect_timeout: Duration::from_millis(settings.chatwoot.connect_timeout_ms),
        timeout: Duration::from_millis(settings.chatwoot.timeout_ms),
        refuse_private_addresses: settings.chatwoot.refuse_private_addresses,
        ..ChatwootCheckConfig::default()
    }
}

pub fn services(
    conn: DatabaseConnection,
    checker: ConfiguredChecker,
    admin_token: &SecretString,
) -> AppServices {
    Services::new(
        SeaOrmRepository::new(conn),
        checker,
        SystemClock,
        RandomIds,
        TokenHash::of(admin_token.expose_secret()),
    )
}

/// A random admin token for a run without `ADMIN_TOKEN`.
pub fn generate_admin_token() -> SecretString {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    SecretString::from(hex::encode(bytes))
}

/// A service ready to run: the server, the port it listens on, and the pool
/// to close once the server has stopped.
pub struct Application {
    pub server: Server,
    pub port: u16,
    pub db: DatabaseConnection,
}

impl Application {
    pub async fn build(
        settings: &Settings,
        admin_token: &SecretString,
    ) -> Result<Self, StartError> {
        let db = open_database(settings).await?;
        let checker = ConfiguredChecker::new(settings.chatwoot_verify, chatwoot_config(settings))?;
        let listener =
            TcpListener::bind(settings.listen_addr).map_err(|source| StartError::Listen {
                addr: settings.listen_addr.to_string(),
                source,
            })?;
        let port = listener
            .local_addr()
            .map_err(|source| StartError::Listen {
                addr: settings.listen_addr.to_string(),
                source,
            })?
            .port();
        let server = http_adapter::server(
            services(db.clone(), checker, admin_token),
            listener,
            &ServerSettings {
                workers: settings.http.workers,
                shutdown_timeout: Duration::from_secs(settings.http.shutdown_timeout_secs),
            },
        )
        .map_err(|source| StartError::Listen {
            addr: settings.listen_addr.to_string(),
            source,
        })?;
        Ok(Self { server, port, db })
    }
}
