use std::process::ExitCode;

use application::AppError;
use chatwoot_integration::cli::{new_instance, Cli, Command, InstanceCommand, OutputFormat};
use chatwoot_integration::{
    generate_admin_token, json, open_database, open_existing_database, repository, services,
    Application,
};
use clap::Parser;
use http_adapter::dto::{CreatedInstanceBody, InstanceBody, TokenBody};
use http_adapter::error::ApiError;
use infrastructure::settings::Settings;

#[actix_web::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    chatwoot_integration::logging::init();
    let settings = match Settings::load() {
        Ok(settings) => settings,
        Err(err) => {
            eprintln!("{err}");
            return ExitCode::from(2);
        }
    };
    let outcome = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(settings).await,
        Command::Migrate => migrate(settings).await,
        Command::Instance(command) => instance(settings, command).await,
        Command::Check {
            instance_id,
            format,
        } => check(settings, instance_id, format).await,
        Command::ReencryptTokens => reencrypt_tokens(settings).await,
        Command::Healthcheck => Ok(healthcheck(&settings)),
    };
    match outcome {
        Ok(code) => code,
        Err(message) => {
            log::error!("{message}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(settings: Settings) -> Result<ExitCode, String> {
    let admin_token = match settings.admin_token.clone() {
        Some(token) => token,
        None => {
            let token = generate_admin_token();
            // Printed on stdout, once, never through the log.
            println!(
                "ADMIN_TOKEN is not set; the admin token of this run is: {}",
                secrecy::ExposeSecret::expose_secret(&token)
            );
            token
        }
    };
    let app = Application::build(&settings, &admin_token)
        .await
        .map_err(|e| e.to_string())?;
    log::info!(
        "listening on {}:{} (database: {}, Chatwoot check: {})",
        settings.listen_addr.ip(),
        app.port,
        settings.database_url.split(':').next().unwrap_or_default(),
        if settings.chatwoot_verify {
            "on"
        } else {
            "off"
        }
    );
    let metrics = app.metrics.map(|endpoint| {
        if let Some(addr) = settings.metrics_addr {
            log::info!(
                "metrics on {}:{}{}",
                addr.ip(),
                endpoint.port,
                http_adapter::metrics::PATH
            );
        }
        let handle = endpoint.server.handle();
        actix_web::rt::spawn(endpoint.server);
        handle
    });
    actix_web::rt::spawn(chatwoot_integration::stop_on_signals(app.server.handle()));
    // Returns once SIGTERM/SIGINT has stopped the listener and the requests
    // in flight have finished (or the shutdown timeout has passed).
    let served = app.server.await;
    if let Some(metrics) = metrics {
        metrics.stop(true).await;
    }
    // Closing, not dropping, the pools lets SQLite checkpoint its WAL and
    // PostgreSQL end its sessions cleanly.
    match app.repository.close().await {
        Ok(()) => log::info!("database pool closed"),
        Err(err) => log::warn!("closing the database pool: {err}"),
    }
    served.map_err(|e| format!("server error: {e}"))?;
    log::info!("stopped");
    Ok(ExitCode::SUCCESS)
}

async fn migrate(settings: Settings) -> Result<ExitCode, String> {
    let db = open_database(&settings).await.map_err(|e| e.to_string())?;
    db.close().await.map_err(|e| e.to_string())?;
    log::info!("migrations applied");
    Ok(ExitCode::SUCCESS)
}

/// Runs an admin command and prints the JSON the HTTP API would answer; a
/// failure prints the API's error shape and exits 1.
async fn instance(settings: Settings, command: InstanceCommand) -> Result<ExitCode, String> {
    let db = open_database(&settings).await.map_err(|e| e.to_string())?;
    let repository = repository(db, &settings).map_err(|e| e.to_string())?;
    let svc = services(repository.clone(), &settings, None, &generate_admin_token())
        .map_err(|e| e.to_string())?;
    let printed = match command {
        InstanceCommand::Create { name, description } => {
            match new_instance(&name, description.as_deref()) {
                Ok(new) => svc
                    .create_instance(new)
                    .await
                    .and_then(|(instance, token)| {
                        json(&CreatedInstanceBody::new(&instance, &token))
                    }),
                Err(errors) => Err(AppError::Invalid(errors)),
            }
        }
        InstanceCommand::List => svc
            .list_instances()
            .await
            .and_then(|list| json(&list.iter().map(InstanceBody::from).collect::<Vec<_>>())),
        InstanceCommand::Delete { instance_id } => match svc.find_instance(&instance_id).await {
            Ok(instance) => svc
                .delete_instance(instance.id)
                .await
                .and_then(|()| json(&InstanceBody::from(&instance))),
            Err(err) => Err(err),
        },
        InstanceCommand::RotateToken { instance_id } => {
            match svc.find_instance(&instance_id).await {
                Ok(instance) => svc.rotate_token(instance.id).await.and_then(|token| {
                    json(&TokenBody {
                        instance_id: instance.id.to_string(),
                        token: token.expose().to_owned(),
                    })
                }),
                Err(err) => Err(err),
            }
        }
    };
    repository.close().await.map_err(|e| e.to_string())?;
    match printed {
        Ok(text) => {
            println!("{text}");
            Ok(ExitCode::SUCCESS)
        }
        Err(err) => Ok(print_error(err)),
    }
}

/// A failed command prints the API's error shape and exits 1.
fn print_error(err: AppError) -> ExitCode {
    let body = ApiError::from(err).body();
    println!(
        "{}",
        serde_json::to_string_pretty(&body).unwrap_or_default()
    );
    ExitCode::FAILURE
}

/// Prints the status of one integration or of every live one; a failure
/// to read them prints the API's error shape. Exits 0 only when all is well
/// (`check::Checked::all_well`).
async fn check(
    settings: Settings,
    instance_id: Option<String>,
    format: OutputFormat,
) -> Result<ExitCode, String> {
    // A wrong DATABASE_URL must not read as "nothing to check".
    let db = match open_existing_database(&settings).await {
        Ok(db) => db,
        Err(error) => {
            eprintln!("{error}");
            return Ok(ExitCode::from(2));
        }
    };
    let repository = repository(db, &settings).map_err(|e| e.to_string())?;
    let template_unset = settings.chatwoot.webhook.is_none();
    let svc = services(repository.clone(), &settings, None, &generate_admin_token())
        .map_err(|e| e.to_string())?;
    let throttle_wait = settings.chatwoot.throttle_wait;
    let checked =
        chatwoot_integration::check::check(&svc, instance_id.as_deref(), throttle_wait).await;
    repository.close().await.map_err(|e| e.to_string())?;
    match checked.and_then(|checked| Ok((checked.render(format)?, checked))) {
        Ok((printed, checked)) => {
            println!("{}", printed.trim_end());
            for note in checked.notes {
                eprintln!("{note}");
            }
            if template_unset {
                eprintln!("CHATWOOT_WEBHOOK_URL is not set, so no inbox's webhook was checked: set it to the URL the gateway receives Chatwoot's webhooks at, e.g. https://gateway.example.com/chatwoot/webhook/{{instanceId}}");
            }
            Ok(if checked.all_well {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Err(err) => Ok(print_error(err)),
    }
}

/// Rewrites every stored access token with the current key, the last step
/// of a key rotation (or of turning encryption on for existing rows).
async fn reencrypt_tokens(settings: Settings) -> Result<ExitCode, String> {
    if settings.token_cipher.is_none() {
        return Err("reencrypt-tokens needs APP_SECURITY__TOKEN_ENCRYPTION_KEY".to_owned());
    }
    let db = open_database(&settings).await.map_err(|e| e.to_string())?;
    let repository = repository(db, &settings).map_err(|e| e.to_string())?;
    let rewritten = repository.reencrypt_tokens().await;
    repository.close().await.map_err(|e| e.to_string())?;
    let rewritten = rewritten.map_err(|e| e.to_string())?;
    println!("{}", serde_json::json!({ "reencrypted": rewritten }));
    Ok(ExitCode::SUCCESS)
}

/// A health probe without an HTTP client in the image: one HTTP/1.0 request
/// to `/health/live` on LISTEN_ADDR (loopback when it listens on every
/// interface), success only on a 200 status line.
fn healthcheck(settings: &Settings) -> ExitCode {
    use std::io::{Read, Write};
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, TcpStream};
    use std::time::Duration;

    let mut addr = settings.listen_addr;
    if addr.ip().is_unspecified() {
        addr.set_ip(match addr.ip() {
            IpAddr::V4(_) => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(_) => IpAddr::V6(Ipv6Addr::LOCALHOST),
        });
    }
    let limit = Some(Duration::from_secs(3));
    let status_line = || -> std::io::Result<[u8; 12]> {
        let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(3))?;
        stream.set_read_timeout(limit)?;
        stream.set_write_timeout(limit)?;
        stream.write_all(b"GET /health/live HTTP/1.0\r\nHost: localhost\r\n\r\n")?;
        let mut head = [0u8; 12];
        stream.read_exact(&mut head)?;
        Ok(head)
    };
    match status_line() {
        Ok(head) if head.starts_with(b"HTTP/1.") && head.ends_with(b" 200") => ExitCode::SUCCESS,
        Ok(head) => {
            eprintln!("unhealthy: {}", String::from_utf8_lossy(&head));
            ExitCode::FAILURE
        }
        Err(err) => {
            eprintln!("unhealthy: {addr}: {err}");
            ExitCode::FAILURE
        }
    }
}
