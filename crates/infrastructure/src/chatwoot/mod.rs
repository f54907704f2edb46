//! The Chatwoot side of the service: asking a Chatwoot server whether
//! integration settings work, before they are saved and for the status, and
//! finding or creating an instance's API inbox (autoCreate).
//!
//! [`HttpChatwootChecker`] does it over HTTP; [`DisabledChatwootChecker`]
//! accepts everything (`CHATWOOT_VERIFY=false`); [`ConfiguredChecker`] holds
//! either, so the binary picks one at start-up without being generic over it.

mod address_policy;
mod answers;
mod client;
mod config;
mod configured;
mod disabled;
mod exchange;
mod http_checker;
mod provision;
mod webhook_target;

pub use config::ChatwootCheckConfig;
pub use configured::ConfiguredChecker;
pub use disabled::DisabledChatwootChecker;
pub use http_checker::{CheckerBuildError, HttpChatwootChecker};
