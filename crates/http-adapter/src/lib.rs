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
use actix_web::{web, App, HttpServer};
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
    cfg.app_data(body::config());
    cfg.service(
        web::resource("/health/live")
            .route(web::get().to(health::live))
            .default_service(method_not_allowed("GET")),
    )
    .service(
        web::resource("/health/ready")
            .route(web::get().to(health::ready::<P>))
            .default_service(method_not_allowed("GET")),
    )
    .service(
        web::resource(openapi::PATH)
            .route(web::get().to(openapi::serve))
            .default_service(method_not_allowed("GET")),
    )
    .service(
        web::resource("/api/v2/instance")
            .route(
                web::post()
                    .to(instances::create::<P>)
                    .wrap(from_fn(auth::admin_guard::<P, _>)),
            )
            .route(
                web::get()
                    .to(instances::list::<P>)
                    .wrap(from_fn(auth::admin_guard::<P, _>)),
            )
            .default_service(method_not_allowed("GET, POST")),
    )
    .service(
        web::scope("/api/v2/instance/{instanceId}")
            .wrap(from_fn(auth::instance_guard::<P, _>))
            .service(
                web::resource("")
                    .route(web::get().to(instances::get))
                    .route(web::delete().to(instances::delete::<P>))
                    .default_service(method_not_allowed("DELETE, GET")),
            )
            .service(
                web::resource("/token")
                    .route(web::post().to(instances::rotate_token::<P>))
                    .default_service(method_not_allowed("POST")),
            )
            .service(
                web::resource("/chatwoot-integration")
                    .route(web::post().to(integration::set::<P>))
                    .route(web::get().to(integration::get::<P>))
                    .route(web::put().to(integration::update::<P>))
                    .route(web::delete().to(integration::delete::<P>))
                    .default_service(method_not_allowed("DELETE, GET, POST, PUT")),
            )
            .service(
                web::resource("/chatwoot-integration/status")
                    .route(web::get().to(integration::status::<P>))
                    .default_service(method_not_allowed("GET")),
            )
            .service(
                web::resource("/chatwoot-integration/webhook-secret")
                    .route(web::get().to(signing_secret::get::<P>))
                    .default_service(method_not_allowed("GET")),
            ),
    );
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
