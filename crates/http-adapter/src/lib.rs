//! The actix-web adapter: routes, authentication, request bodies, and the
//! mapping of application outcomes to HTTP answers.

pub mod auth;
pub mod body;
pub mod dto;
pub mod error;
mod error_shape;
pub mod metrics;
pub mod openapi;
pub mod repeated_keys;
pub mod request;
pub mod request_id;
pub mod routes;
pub mod wording;

use std::net::TcpListener;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::middleware::{from_fn, Condition, Logger};
use actix_web::{web, App, HttpServer, Resource};
use application::{Ports, Services};

use error_shape::method_not_allowed;
use routes::{health, instances, integration, signing_secret};

/// The access log's target (actix's own default, set explicitly so the
/// check whether it is wanted asks about the same one).
const ACCESS_LOG_TARGET: &str = "actix_web::middleware::logger";

/// The access log: method and path (never the query, never a header), so
/// no token can reach it.
const ACCESS_LOG_FORMAT: &str = r#"request_id=%{x-request-id}o %a "%{method}xi %U" %s %b %Dms"#;

/// Every route of the contract.
pub fn configure<P: Ports>(cfg: &mut web::ServiceConfig) {
    use web::{delete, get, post, put};
    let admin = || from_fn(auth::admin_guard::<P, _>);
    let instance = web::scope("/api/v2/instance/{instanceId}")
        .wrap(from_fn(auth::instance_guard::<P, _>))
        .service(
            resource("", "DELETE, GET")
                .route(get().to(instances::get))
                .route(delete().to(instances::delete::<P>)),
        )
        .service(
            resource("/chatwoot-integration", "DELETE, GET, POST, PUT")
                .route(post().to(integration::set::<P>))
                .route(get().to(integration::get::<P>))
                .route(put().to(integration::update::<P>))
                .route(delete().to(integration::delete::<P>)),
        )
        .service(resource("/token", "POST").route(post().to(instances::rotate_token::<P>)))
        .service(
            resource("/chatwoot-integration/status", "GET")
                .route(get().to(integration::status::<P>)),
        )
        .service(
            resource("/chatwoot-integration/webhook-secret", "GET")
                .route(get().to(signing_secret::get::<P>)),
        );
    cfg.app_data(body::config())
        .service(resource("/health/live", "GET").route(get().to(health::live)))
        .service(resource("/health/ready", "GET").route(get().to(health::ready::<P>)))
        .service(resource(openapi::PATH, "GET").route(get().to(openapi::serve)))
        .service(
            resource("/api/v2/instance", "GET, POST")
                .route(post().to(instances::create::<P>).wrap(admin()))
                .route(get().to(instances::list::<P>).wrap(admin())),
        )
        .service(instance);
}

/// A resource at `path` that answers any method but its routes' with a 405
/// naming `allowed`.
fn resource(path: &str, allowed: &'static str) -> Resource {
    web::resource(path).default_service(method_not_allowed(allowed))
}

#[derive(Debug, Clone)]
pub struct ServerSettings {
    /// Worker threads, each with a runtime of its own (at least one).
    pub workers: usize,
    /// How long requests in flight may take to finish after SIGTERM/SIGINT.
    pub shutdown_timeout: Duration,
    /// How long reading a request's body may take.
    pub body_timeout: Duration,
    /// Where requests are counted, when metrics are served.
    pub metrics: Option<web::Data<metrics::Metrics>>,
}

/// The HTTP server on an already-bound listener (port 0 in tests). It does
/// not watch signals: stop it with its handle, gracefully (no new
/// connections, requests in flight finish within the shutdown timeout).
pub fn server<P: Ports>(
    services: Services<P>,
    listener: TcpListener,
    settings: &ServerSettings,
) -> std::io::Result<Server> {
    let services = web::Data::new(services);
    // actix's Logger renders its fields for every request and only then
    // asks whether the line is wanted; with the access log filtered out
    // (RUST_LOG=warn) it is left out, not run for nothing.
    let access_log = log::log_enabled!(target: ACCESS_LOG_TARGET, log::Level::Info);
    let request_metrics = settings.metrics.clone();
    let body_timeout = body::BodyTimeout(settings.body_timeout);
    let server = HttpServer::new(move || {
        let mut app = App::new().app_data(services.clone()).app_data(body_timeout);
        if let Some(counted) = &request_metrics {
            app = app.app_data(counted.clone());
        }
        app.configure(configure::<P>)
            .wrap(error_shape::middleware())
            .wrap(from_fn(request_id::assign))
            .wrap(Condition::new(
                access_log,
                Logger::new(ACCESS_LOG_FORMAT)
                    .log_target(ACCESS_LOG_TARGET)
                    .custom_request_replace("method", |req| req.method().to_string()),
            ))
            .wrap(Condition::new(
                request_metrics.is_some(),
                from_fn(metrics::track),
            ))
    })
    .shutdown_timeout(settings.shutdown_timeout.as_secs())
    // actix treats SIGINT as a forced stop that drops requests in flight;
    // the binary handles both signals itself, gracefully
    // (`chatwoot_integration::stop_on_signals`).
    .disable_signals()
    .listen(listener)?;
    Ok(server.workers(settings.workers.max(1)).run())
}
