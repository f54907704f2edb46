//! `GET /metrics` on a listener of its own (`METRICS_ADDR`), apart from the
//! API: Prometheus needs no token to scrape it, and the listener can stay
//! on an interface the API's clients do not reach.

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::{web, App, HttpResponse, HttpServer};
use prometheus_client::encoding::prometheus_text::CONTENT_TYPE;

use super::Metrics;
use crate::error::ApiError;
use crate::error_shape::{self, method_not_allowed};

pub const PATH: &str = "/metrics";

async fn scrape(metrics: web::Data<Metrics>) -> Result<HttpResponse, ApiError> {
    let text = metrics.encode().map_err(|err| {
        log::error!("cannot encode the metrics: {err}");
        ApiError::internal()
    })?;
    Ok(HttpResponse::Ok().content_type(CONTENT_TYPE).body(text))
}

/// The metrics server on an already-bound listener: one worker, no signal
/// handling (stop it with its handle, after the API's server).
pub fn server(metrics: web::Data<Metrics>, listener: TcpListener) -> std::io::Result<Server> {
    let server = HttpServer::new(move || {
        App::new()
            .app_data(metrics.clone())
            .service(
                web::resource(PATH)
                    .route(web::get().to(scrape))
                    .default_service(method_not_allowed("GET")),
            )
            .wrap(error_shape::middleware())
    })
    .workers(1)
    .disable_signals()
    .shutdown_timeout(1)
    .listen(listener)?;
    Ok(server.run())
}
