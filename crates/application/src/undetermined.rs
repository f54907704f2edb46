//! Why a check ran and still cannot say yes or no (`ok: null` with a
//! message), as data for adapters to word.

use domain::SecretHidden;

use crate::setting::Setting;

/// Why a check's answer cannot be known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Undetermined {
    /// The webhook's host does not resolve from this service, so its
    /// addresses are unknown here (Chatwoot may still resolve it).
    HostUnresolved { host: String },

    /// The webhook's host did not resolve within the lookup's bound.
    LookupTimedOut { host: String, timeout_ms: u64 },

    /// The version does not start with a number, so the rules that came
    /// with a version cannot be applied.
    VersionUnreadable { version: String },

    /// Chatwoot did not show the inbox's signing secret.
    SecretHidden(SecretHidden),
}

impl Undetermined {
    /// The setting the reason is about.
    pub fn setting(&self) -> Setting {
        match self {
            Self::HostUnresolved { .. } | Self::LookupTimedOut { .. } => Setting::Inbox,
            Self::VersionUnreadable { .. } => Setting::ChatwootUrl,
            Self::SecretHidden(hidden) => hidden_setting(hidden),
        }
    }
}

/// The setting to change for Chatwoot to show the secret.
pub fn hidden_setting(hidden: &SecretHidden) -> Setting {
    match hidden {
        SecretHidden::ChatwootTooOld { .. } => Setting::ChatwootUrl,
        SecretHidden::NotAdministrator { .. } => Setting::AccessToken,
        SecretHidden::NotShown { .. } => Setting::Inbox,
    }
}
