//! The process's logger: env_logger driven by `RUST_LOG`, except that some
//! dependencies are never let past `info`, whatever `RUST_LOG` asks for.
//! At debug and trace level they write what must never reach a log: SeaORM
//! traces every statement with its bound values (the Chatwoot access token
//! of a Set) and its connect options (a database password); the HTTP
//! stacks may dump request and response heads (tokens in headers). Our own
//! modules log at every level without such values.

use log::{Level, Log, Metadata, Record};

/// Module paths (and their children) capped at `info`.
const CAPPED: [&str; 10] = [
    "sea_orm",
    "sqlx",
    // tracing's own targets for spans turned into log records, whose
    // fields carry the statement values above.
    "tracing::span",
    "actix_http",
    "hyper",
    "hyper_util",
    "h2",
    "reqwest",
    "rustls",
    "tokio_rustls",
];

fn capped(target: &str) -> bool {
    CAPPED.iter().any(|module| {
        target
            .strip_prefix(module)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with("::"))
    })
}

struct Hygienic(env_logger::Logger);

impl Log for Hygienic {
    fn enabled(&self, metadata: &Metadata) -> bool {
        (metadata.level() <= Level::Info || !capped(metadata.target())) && self.0.enabled(metadata)
    }

    fn log(&self, record: &Record) {
        if self.enabled(record.metadata()) {
            self.0.log(record);
        }
    }

    fn flush(&self) {
        self.0.flush();
    }
}

/// Installs the logger; `info` when `RUST_LOG` is unset.
pub fn init() {
    let logger =
        env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).build();
    let max = logger.filter();
    // Only fails if a logger is already installed, which then keeps logging.
    if log::set_boxed_logger(Box::new(Hygienic(logger))).is_ok() {
        log::set_max_level(max);
    }
}

#[cfg(test)]
mod tests {
    use super::capped;

    #[test]
    fn a_capped_module_covers_its_children_but_not_its_namesakes() {
        assert!(capped("sea_orm"));
        assert!(capped("sea_orm::database::transaction"));
        assert!(capped("tracing::span::active"));
        assert!(!capped("sea_orm_migration::migrator"));
        assert!(!capped("hyperlocal"));
        assert!(!capped("chatwoot_integration"));
        assert!(!capped("infrastructure::chatwoot::exchange"));
    }
}
