//! The command line: `serve` (the default), `migrate`, and the admin work on
//! instances, which prints the same JSON the HTTP API answers.

use clap::{Parser, Subcommand, ValueEnum};
use domain::{InstanceDescription, InstanceName, NewInstance, ValidationErrors};

/// Every setting, as `--help` lists it after the commands: the plain names
/// and the `APP_*` variables of `config/default.toml`, with their defaults.
const SETTINGS_HELP: &str = "\
Settings (config/default.toml, then config/$APP_ENV.toml, then these variables):
  DATABASE_URL            sqlite://data/chatwoot-integration.sqlite; or postgres://, mysql://, mariadb://
  LISTEN_ADDR             address of the API [127.0.0.1:8080]
  METRICS_ADDR            address of GET /metrics [unset: no metrics]
  ADMIN_TOKEN             the admin token [unset: a random one, printed once by serve]
  CHATWOOT_VERIFY         check settings with Chatwoot before saving [true]
  CHATWOOT_WEBHOOK_URL    where Chatwoot must send an instance's replies, with {instanceId}
                          and {instanceName} [unset]
  CHATWOOT_ALLOWS_PRIVATE_WEBHOOKS  Chatwoot runs with SAFE_FETCH_ALLOW_PRIVATE_NETWORK=true [false]
  CHATWOOT_THROTTLE_WAIT_MS  check waits this long, then retries an instance Chatwoot throttled [60000]
  RUST_LOG                log filter [info]
  APP_ENV                 picks config/$APP_ENV.toml [local]
  APP_CHATWOOT__CONNECT_TIMEOUT_MS              [3000]
  APP_CHATWOOT__TIMEOUT_MS                      per request, and per status run [5000]
  APP_CHATWOOT__REFUSE_PRIVATE_ADDRESSES        [false]
  APP_DATABASE__MAX_CONNECTIONS                 [16]
  APP_DATABASE__ACQUIRE_TIMEOUT_MS              [3000]
  APP_DATABASE__STATEMENT_TIMEOUT_MS            [5000]
  APP_DATABASE__SQLITE_BUSY_TIMEOUT_MS          [10000]
  APP_HTTP__WORKERS                             [0: one per core]
  APP_HTTP__SHUTDOWN_TIMEOUT_SECS               [30]
  APP_HTTP__BODY_TIMEOUT_MS                     [10000]
  APP_SECURITY__TOKEN_ENCRYPTION_KEY            32 bytes, hex or base64 [unset]
  APP_SECURITY__PREVIOUS_TOKEN_ENCRYPTION_KEYS  comma-separated [unset]

Logs go to stderr; stdout carries only what each command says it prints.";

#[derive(Debug, Parser)]
#[command(
    name = "chatwoot-integration",
    version,
    about = "Stores and checks the Chatwoot integration of WhatsApp gateway instances",
    after_help = SETTINGS_HELP
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP service (the default); prints only a generated admin token
    ///
    /// Serves until SIGTERM or SIGINT, then lets the requests in flight
    /// finish. Prints nothing on stdout but, when ADMIN_TOKEN is unset, one
    /// line with the admin token it generated for this run.
    Serve,
    /// Apply the database migrations and exit; prints nothing
    ///
    /// Exits 0 once the schema is current (every start does the same).
    /// Prints nothing on stdout.
    Migrate,
    /// Manage instances as the admin; prints the JSON the HTTP API answers
    ///
    /// A failure prints the API's error shape and exits 1.
    #[command(subcommand)]
    Instance(InstanceCommand),
    /// Check integrations with Chatwoot now; prints their status as JSON
    ///
    /// Prints the status route's JSON (or, with --format prometheus, the
    /// same results in the Prometheus text format): one instance's object,
    /// or an array of every live one's, each with its instanceId. An
    /// instance whose check met Chatwoot's rate limiter (HTTP 429) is
    /// checked once more after CHATWOOT_THROTTLE_WAIT_MS. Exits 0 when every
    /// enabled integration is healthy, else 1 (for cron and monitors); an
    /// unknown instance prints the 404 error shape and exits 1; 2, with one
    /// line on stderr, when DATABASE_URL holds no database of this service
    /// (check never creates one nor applies migrations).
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
    /// Re-seal stored Chatwoot tokens and signing secrets with the current key; prints {"reencrypted":N}
    ///
    /// Rewrites every stored Chatwoot access token and webhook signing
    /// secret with the current
    /// encryption key (APP_SECURITY__TOKEN_ENCRYPTION_KEY), reading with it
    /// or a previous one (APP_SECURITY__PREVIOUS_TOKEN_ENCRYPTION_KEYS).
    /// Prints {"reencrypted":N}, N the number of rows rewritten.
    ReencryptTokens,
    /// Exit 0 when the service answers /health/live with 200, else 1; prints nothing
    ///
    /// Asks the service on LISTEN_ADDR, for container health checks where no
    /// HTTP client may be installed. Prints nothing on stdout; a failure
    /// says why on stderr.
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
    /// Create an instance; prints it with its token (shown only now)
    Create {
        /// 1-64 characters of [A-Za-z0-9_.-].
        #[arg(long)]
        name: String,
        /// At most 255 characters.
        #[arg(long)]
        description: Option<String>,
    },
    /// List the instances; prints them as a JSON array, without tokens
    List,
    /// Delete an instance and its integration; prints the deleted instance
    Delete {
        /// The instance id (a UUID).
        instance_id: String,
    },
    /// Issue a new token, the old one stops at once; prints {"instanceId":…,"token":…}
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
    use clap::CommandFactory;

    use super::*;

    /// What `--help` prints.
    fn help() -> String {
        Cli::command().render_long_help().to_string()
    }

    /// The variables README documents: every table row that starts with a
    /// name in capitals, as those of its configuration table do.
    fn readme_settings() -> Vec<&'static str> {
        include_str!("../README.md")
            .lines()
            .filter_map(|line| line.strip_prefix("| `")?.split('`').next())
            .filter(|name| name.bytes().all(|b| b.is_ascii_uppercase() || b == b'_'))
            .collect()
    }

    #[test]
    fn help_lists_every_setting_readme_documents() {
        let help = help();
        let settings = readme_settings();
        assert!(settings.len() >= 20, "read README's table: {settings:?}");
        for name in settings
            .into_iter()
            .chain(infrastructure::settings::PLAIN_NAMES.map(|(name, _)| name))
        {
            assert!(help.contains(name), "--help does not name {name}:\n{help}");
        }
    }

    #[test]
    fn help_lists_every_command_and_each_says_what_it_prints() {
        let help = help();
        let cli = Cli::command();
        let mut leaves = Vec::new();
        for command in cli.get_subcommands() {
            assert!(!command.is_hide_set(), "{} is hidden", command.get_name());
            assert!(
                help.contains(command.get_name()),
                "--help does not list {}:\n{help}",
                command.get_name()
            );
            match command.has_subcommands() {
                true => leaves.extend(command.get_subcommands().cloned()),
                false => leaves.push(command.clone()),
            }
        }
        let names: Vec<&str> = leaves.iter().map(|command| command.get_name()).collect();
        assert!(names.len() >= 9, "the commands: {names:?}");
        for command in leaves {
            let about = command.get_about().map(ToString::to_string);
            assert!(
                about
                    .as_deref()
                    .is_some_and(|about| about.contains("prints")),
                "{}'s help does not say what it prints: {about:?}",
                command.get_name()
            );
        }
    }

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
