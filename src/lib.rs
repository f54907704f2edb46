//! Wiring: which adapters the running service uses, and how it starts.
//! `main.rs` only parses the command line and calls in here, so tests can
//! start the very same application in-process on port 0.

pub mod check;
mod check_metrics;
pub mod cli;
pub mod logging;
pub mod metrics;

use std::net::{SocketAddr, TcpListener};

use actix_web::dev::{Server, ServerHandle};
use actix_web::web;
use application::{Ports, Services, Verification};
use domain::TokenHash;
use http_adapter::metrics::{Counted, Metrics};
use http_adapter::ServerSettings;
use infrastructure::chatwoot::HttpChatwootChecker;
use infrastructure::db::{self, SeaOrmRepository};
use infrastructure::settings::{Settings, SettingsError};
use infrastructure::system::{RandomIds, SystemClock};
use rand::RngCore;
use sea_orm::DatabaseConnection;
use secrecy::{ExposeSecret, SecretString};

/// The adapters of the real service.
pub struct Production;

impl Ports for Production {
    type Repository = SeaOrmRepository;
    type Checker = Counted<HttpChatwootChecker>;
    type Provisioner = Counted<HttpChatwootChecker>;
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
    #[error("DATABASE_URL: the database has no schema of this service (no migration was ever applied), and this command never creates one: point DATABASE_URL at the service's database")]
    NoSchema,
    #[error("DATABASE_URL: the database lacks this version's migrations {}: run `chatwoot-integration migrate` (or start the service) first", .0.join(", "))]
    SchemaBehind(Vec<String>),
    #[error("DATABASE_URL: cannot read the database's schema: {0}")]
    ReadSchema(sea_orm::DbErr),
    #[error("{}", token_key_refusal(*.count, *.key_set))]
    TokenKey { count: u64, key_set: bool },
    #[error("cannot read the stored Chatwoot access tokens: {0}")]
    ReadTokens(application::RepoError),
    #[error("cannot set up the Chatwoot check: {0}")]
    Checker(#[from] infrastructure::chatwoot::CheckerBuildError),
    #[error(transparent)]
    Settings(#[from] SettingsError),
    #[error("LISTEN_ADDR: cannot listen on {addr}: {source}")]
    Listen {
        addr: String,
        source: std::io::Error,
    },
    #[error("METRICS_ADDR: cannot listen on {addr}: {source}")]
    MetricsListen {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

/// Connects and brings the schema up to date: every command starts here.
pub async fn open_database(settings: &Settings) -> Result<DatabaseConnection, StartError> {
    let conn = db::connect(&settings.driver_database_url(), &settings.database).await?;
    db::migrate(&conn).await.map_err(StartError::Migrate)?;
    Ok(conn)
}

/// Connects to an existing database whose schema is this version's, and
/// changes nothing: for commands that only read (`check`).
pub async fn open_existing_database(settings: &Settings) -> Result<DatabaseConnection, StartError> {
    let conn = db::connect_existing(&settings.driver_database_url(), &settings.database).await?;
    match db::schema(&conn).await {
        Ok(db::Schema::Current) => Ok(conn),
        Ok(db::Schema::Missing) => Err(StartError::NoSchema),
        Ok(db::Schema::Behind(pending)) => Err(StartError::SchemaBehind(pending)),
        Err(error) => Err(StartError::ReadSchema(error)),
    }
}

/// The one line of a start refused for stored tokens the keys cannot read.
fn token_key_refusal(count: u64, key_set: bool) -> String {
    let (tokens, verb) = if count == 1 {
        ("token", "does")
    } else {
        ("tokens", "do")
    };
    if key_set {
        format!("APP_SECURITY__TOKEN_ENCRYPTION_KEY: {count} stored Chatwoot access {tokens} {verb} not decrypt with it nor with APP_SECURITY__PREVIOUS_TOKEN_ENCRYPTION_KEYS: set it back to the key they were written with, or add that key to APP_SECURITY__PREVIOUS_TOKEN_ENCRYPTION_KEYS (then `chatwoot-integration reencrypt-tokens` moves them to the new key)")
    } else {
        format!("APP_SECURITY__TOKEN_ENCRYPTION_KEY is not set, but {count} stored Chatwoot access {tokens} {verb} encrypted: set it to the key they were written with (older keys go in APP_SECURITY__PREVIOUS_TOKEN_ENCRYPTION_KEYS)")
    }
}

/// Refuses to serve tokens the configured keys cannot read: better no
/// start than a service that reports ready and answers 500.
async fn require_readable_tokens(repository: &SeaOrmRepository) -> Result<(), StartError> {
    match repository.undecryptable_tokens().await {
        Ok(0) => Ok(()),
        Ok(count) => Err(StartError::TokenKey {
            count,
            key_set: repository.has_token_key(),
        }),
        Err(error) => Err(StartError::ReadTokens(error)),
    }
}

/// The repository of the configured database and token encryption key.
pub fn repository(
    conn: DatabaseConnection,
    settings: &Settings,
) -> Result<SeaOrmRepository, StartError> {
    Ok(SeaOrmRepository::with_cipher(
        conn,
        settings.database.statement_timeout,
        settings.token_cipher.clone(),
    ))
}

/// The services on `repository`, asking Chatwoot as the settings say
/// (`CHATWOOT_VERIFY`, the bounds, `CHATWOOT_WEBHOOK_URL`), with each
/// Chatwoot run counted into `metrics` when given.
pub fn services(
    repository: SeaOrmRepository,
    settings: &Settings,
    metrics: Option<web::Data<Metrics>>,
    admin_token: &SecretString,
) -> Result<AppServices, StartError> {
    let check = &settings.chatwoot.check;
    let checker = HttpChatwootChecker::new(check.clone())?;
    let verification = if settings.chatwoot_verify {
        Verification::On {
            status_budget: check.timeout,
        }
    } else {
        Verification::Off
    };
    let services = Services::new(
        repository,
        Counted::new(checker.clone(), metrics.clone()),
        Counted::new(checker, metrics),
        verification,
        SystemClock,
        RandomIds,
        TokenHash::of(admin_token.expose_secret()),
    );
    Ok(services.with_webhook_template(settings.chatwoot.webhook.clone()))
}

/// What a command prints: pretty JSON, as the HTTP API answers it.
pub fn json<T: serde::Serialize>(value: &T) -> Result<String, application::AppError> {
    serde_json::to_string_pretty(value).map_err(|err| {
        log::error!("cannot print JSON: {err}");
        application::AppError::Internal
    })
}

/// A random admin token for a run without `ADMIN_TOKEN`.
pub fn generate_admin_token() -> SecretString {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    SecretString::from(hex::encode(bytes))
}

/// A service ready to run: the server, the port it listens on, the
/// metrics server (with `METRICS_ADDR`), and the repository whose pools to
/// close once the server has stopped.
pub struct Application {
    pub server: Server,
    pub port: u16,
    pub metrics: Option<MetricsEndpoint>,
    pub repository: SeaOrmRepository,
}

/// `GET /metrics` on a listener of its own; stop it after the API's server.
pub struct MetricsEndpoint {
    pub server: Server,
    pub port: u16,
}

impl MetricsEndpoint {
    /// The metrics of a service on `repository`, served on `addr`.
    fn start(
        addr: SocketAddr,
        repository: &SeaOrmRepository,
    ) -> Result<(Self, web::Data<Metrics>), StartError> {
        let listen_error = |source| StartError::MetricsListen { addr, source };
        let listener = TcpListener::bind(addr).map_err(listen_error)?;
        let port = listener.local_addr().map_err(listen_error)?.port();
        let metrics = web::Data::new(Metrics::new(metrics::pool_reader(
            repository.connection().clone(),
        )));
        let server =
            http_adapter::metrics::server(metrics.clone(), listener).map_err(listen_error)?;
        Ok((Self { server, port }, metrics))
    }
}

impl Application {
    pub async fn build(
        settings: &Settings,
        admin_token: &SecretString,
    ) -> Result<Self, StartError> {
        let db = open_database(settings).await?;
        let repository = repository(db, settings)?;
        require_readable_tokens(&repository).await?;
        let listen_error = |source| StartError::Listen {
            addr: settings.listen_addr.to_string(),
            source,
        };
        let listener = TcpListener::bind(settings.listen_addr).map_err(listen_error)?;
        let port = listener.local_addr().map_err(listen_error)?.port();
        let (metrics, counted) = match settings.metrics_addr {
            Some(addr) => {
                let (endpoint, counted) = MetricsEndpoint::start(addr, &repository)?;
                (Some(endpoint), Some(counted))
            }
            None => (None, None),
        };
        let services = services(repository.clone(), settings, counted.clone(), admin_token)?;
        let server = http_adapter::server(
            services,
            listener,
            &ServerSettings {
                workers: settings.http.workers.get(),
                shutdown_timeout: settings.http.shutdown_timeout,
                body_timeout: settings.http.body_timeout,
                metrics: counted,
            },
        )
        .map_err(listen_error)?;
        Ok(Self {
            server,
            port,
            metrics,
            repository,
        })
    }
}

/// Stops the server gracefully on the first SIGTERM or SIGINT: the listener
/// closes at once, requests in flight get the shutdown timeout to finish.
/// (actix's own handling would make SIGINT a forced stop.) A second signal
/// forces the stop.
pub async fn stop_on_signals(handle: ServerHandle) {
    use tokio::signal::unix::{signal, SignalKind};

    let (mut term, mut int) = match (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) {
        (Ok(term), Ok(int)) => (term, int),
        (Err(err), _) | (_, Err(err)) => {
            log::error!("cannot watch SIGTERM/SIGINT, stopping: {err}");
            handle.stop(true).await;
            return;
        }
    };
    let name = tokio::select! {
        _ = term.recv() => "SIGTERM",
        _ = int.recv() => "SIGINT",
    };
    log::info!("{name} received: finishing the requests in flight, then stopping");
    // A second signal means the operator will not wait: stop at once.
    tokio::select! {
        _ = handle.stop(true) => {}
        _ = term.recv() => handle.stop(false).await,
        _ = int.recv() => handle.stop(false).await,
    }
}
