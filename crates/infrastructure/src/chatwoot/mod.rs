//! The Chatwoot side of the service over HTTP: [`HttpChatwootChecker`]
//! asks a Chatwoot server whether integration settings work, before they are
//! saved and for the status, and finds or creates an instance's API inbox
//! (autoCreate). Whether it is asked at all (`CHATWOOT_VERIFY`) is the
//! application's choice.

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
