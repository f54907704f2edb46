//! The command line: `serve` (the default), `migrate`, and the admin work on
//! instances, which prints the same JSON the HTTP API answers.

use clap::{Parser, Subcommand, ValueEnum};
use domain::{InstanceDescription, InstanceName, NewInstance, ValidationErrors};

#[derive(Debug, Parser)]
#[command(
    name = "chatwoot-integration",
    version,
    about = "Stores and checks the Chatwoot integration of WhatsApp gateway instances",
    long_about = "Stores and checks the Chatwoot integration of WhatsApp gateway instances.\n\n\
        Settings come from config/default.toml, config/$APP_ENV.toml, APP_* variables, and \
        DATABASE_URL, LISTEN_ADDR, ADMIN_TOKEN, CHATWOOT_VERIFY, RUST_LOG."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP service (the default).
    Serve,
    /// Apply the database migrations and exit.
    Migrate,
    /// Manage instances from the host, as the admin.
    #[command(subcommand)]
    Instance(InstanceCommand),
    /// Check integrations with Chatwoot now and print their status (the
    /// status route's JSON): one instance's, or every live one's, each with
    /// its instanceId. An instance whose check met Chatwoot's rate limiter
    /// (HTTP 429) is checked once more after CHATWOOT_THROTTLE_WAIT_MS.
    /// Exit 0 when every enabled integration is healthy, else 1 (for cron
    /// and monitors).
    Check {
        /// The instance id (a UUID); without it, every instance with a live
        /// integration.
        instance_id: Option<String>,
        /// `json`: the status route's JSON. `prometheus`: the Prometheus
        /// text format (chatwoot_integration_healthy, _enabled, _check_ok,
        /// _checked_timestamp_seconds), for node_exporter's textfile
        /// collector. The exit code is the same.
        #[arg(long, value_enum, default_value_t = OutputFormat::Json)]
        format: OutputFormat,
    },
    /// Rewrite every stored Chatwoot access token with the current
    /// encryption key (APP_SECURITY__TOKEN_ENCRYPTION_KEY), reading with it
    /// or a previous one (APP_SECURITY__PREVIOUS_TOKEN_ENCRYPTION_KEYS).
    ReencryptTokens,
    /// Exit 0 if the service on LISTEN_ADDR answers /health/live with 200:
    /// for container health checks, where no HTTP client may be installed.
    #[command(hide = true)]
    Healthcheck,
}

/// How `check` prints the statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Json,
    Prometheus,
}

#[derive(Debug, Subcommand)]
pub enum InstanceCommand {
    /// Create an instance and print it with its token (shown only now).
    Create {
        /// 1-64 characters of [A-Za-z0-9_.-].
        #[arg(long)]
        name: String,
        #[arg(long)]
        description: Option<String>,
    },
    /// List instances (without tokens).
    List,
    /// Delete an instance and its integration.
    Delete {
        /// The instance id (a UUID).
        instance_id: String,
    },
    /// Issue a new token; the old one stops working at once.
    RotateToken {
        /// The instance id (a UUID).
        instance_id: String,
    },
}

/// The instance `instance create` asks for, from the domain's own
/// constructors; every refusal is named, as the HTTP API names them.
pub fn new_instance(
    name: &str,
    description: Option<&str>,
) -> Result<NewInstance, ValidationErrors> {
    let name = InstanceName::parse(name).map_err(|error| format!("name {error}"));
    let description = description
        .map(InstanceDescription::parse)
        .transpose()
        .map_err(|error| format!("description {error}"));
    match (name, description) {
        (Ok(name), Ok(description)) => Ok(NewInstance { name, description }),
        (name, description) => Err(ValidationErrors::new(
            name.err().into_iter().chain(description.err()).collect(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_valid_name_and_description_make_an_instance() {
        let new = new_instance("cli-line", Some("From the CLI"));
        let new = new.map(|new| {
            (
                new.name.as_str().to_owned(),
                new.description.map(|d| d.as_str().to_owned()),
            )
        });
        assert_eq!(
            new,
            Ok(("cli-line".to_owned(), Some("From the CLI".to_owned())))
        );
        assert!(new_instance("cli-line", None).is_ok_and(|new| new.description.is_none()));
    }

    #[test]
    fn every_refusal_is_named_by_its_option() {
        let errors = new_instance("no spaces allowed", Some(&"x".repeat(256)));
        assert_eq!(
            errors.map_err(ValidationErrors::into_messages),
            Err(vec![
                "name must be 1 to 64 characters of letters, digits, '_', '.' or '-'".to_owned(),
                "description must be shorter than or equal to 255 characters".to_owned(),
            ])
        );
    }
}
