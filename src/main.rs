use std::process::ExitCode;

use application::AppError;
use chatwoot_integration::cli::{Cli, Command, InstanceCommand};
use chatwoot_integration::{generate_admin_token, open_database, services, Application};
use clap::Parser;
use http_adapter::dto::{CreatedInstanceBody, InstanceBody, TokenBody};
use http_adapter::error::ApiError;
use infrastructure::chatwoot::{ConfiguredChecker, DisabledChatwootChecker};
use infrastructure::settings::Settings;
use serde::Serialize;

#[actix_web::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
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
    let served = app.server.await;
    if let Err(err) = app.db.close().await {
        log::warn!("closing the database pool: {err}");
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
    let svc = services(
        db.clone(),
        ConfiguredChecker::from(DisabledChatwootChecker),
        &generate_admin_token(),
    );
    let printed = match command {
        InstanceCommand::Create { name, description } => {
            let body = serde_json::json!({ "name": name, "description": description });
            match domain::input::parse_new_instance(&body) {
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
    db.close().await.map_err(|e| e.to_string())?;
    match printed {
        Ok(text) => {
            println!("{text}");
            Ok(ExitCode::SUCCESS)
        }
        Err(err) => {
            let body = ApiError::from(err).body();
            println!(
                "{}",
                serde_json::to_string_pretty(&body).unwrap_or_default()
            );
            Ok(ExitCode::FAILURE)
        }
    }
}

fn json<T: Serialize>(value: &T) -> Result<String, AppError> {
    serde_json::to_string_pretty(value).map_err(|err| {
        log::error!("cannot print JSON: {err}");
        AppError::Internal
    })
}
