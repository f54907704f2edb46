//! The Chatwoot side of the service over HTTP: [`HttpChatwootChecker`]
//! checks integration settings against the Chatwoot server they name, and
//! finds or creates an instance's API inbox there (autoCreate).

pub mod address_policy;
mod answers;
mod config;
mod exchange;
mod http_checker;
mod provision;
mod session;
mod webhook_target;

pub use config::ChatwootCheckConfig;
pub use http_checker::{CheckerBuildError, HttpChatwootChecker};
