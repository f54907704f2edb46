//! The command line: `serve` (the default), `migrate`, and the admin work on
//! instances, which prints the same JSON the HTTP API answers.

use clap::{Parser, Subcommand};

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
    /// Rewrite every stored Chatwoot access token with the current
    /// encryption key (APP_SECURITY__TOKEN_ENCRYPTION_KEY), reading with it
    /// or a previous one (APP_SECURITY__PREVIOUS_TOKEN_ENCRYPTION_KEYS).
    ReencryptTokens,
    /// Exit 0 if the service on LISTEN_ADDR answers /health/live with 200:
    /// for container health checks, where no HTTP client may be installed.
    #[command(hide = true)]
    Healthcheck,
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
