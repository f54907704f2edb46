//! The signing secret record in its three columns, sealed like the access
//! token.

use application::RepoError;
use domain::{SecretHidden, SecretRecord, SigningSecret, Timestamp};

use crate::crypto::{self, TokenCipher};

const TOO_OLD: &str = "too-old:";
const ROLE: &str = "role:";
const NOT_SHOWN: &str = "not-shown:";

/// `webhook_secret`, `webhook_secret_at`, `webhook_secret_hidden`.
pub(super) type Columns = (Option<String>, Option<i64>, Option<String>);

pub(super) fn to_columns(
    record: &SecretRecord,
    cipher: Option<&TokenCipher>,
) -> Result<Columns, RepoError> {
    Ok(match record {
        SecretRecord::Stored { secret, at } => {
            let stored = match cipher {
                Some(cipher) => cipher
                    .seal(secret.expose())
                    .map_err(|err| RepoError::Other(format!("webhook_secret: {err}")))?,
                None => secret.expose().to_owned(),
            };
            (Some(stored), Some(at.millis()), None)
        }
        SecretRecord::Hidden { reason, at } => {
            let hidden = match reason {
                SecretHidden::ChatwootTooOld { version } => format!("{TOO_OLD}{version}"),
                SecretHidden::NotAdministrator { role } => {
                    format!("{ROLE}{}", role.as_deref().unwrap_or_default())
                }
                SecretHidden::NotShown { version } => format!("{NOT_SHOWN}{version}"),
            };
            (None, Some(at.millis()), Some(hidden))
        }
        SecretRecord::NotRead => (None, None, None),
    })
}

/// The record a row's columns hold; `fault` names the column at fault.
pub(super) fn from_columns(
    columns: Columns,
    cipher: Option<&TokenCipher>,
    fault: impl Fn(&str, String) -> RepoError,
) -> Result<SecretRecord, RepoError> {
    let (secret, at, hidden) = columns;
    let at = || {
        at.and_then(Timestamp::from_millis)
            .ok_or_else(|| fault("webhook_secret_at", "missing or out of range".to_owned()))
    };
    if let Some(stored) = secret {
        let plain = crypto::open_with(cipher, &stored)
            .map_err(|err| fault("webhook_secret", err.to_string()))?;
        let secret =
            SigningSecret::parse(&plain).map_err(|err| fault("webhook_secret", err.to_string()))?;
        return Ok(SecretRecord::Stored { secret, at: at()? });
    }
    let Some(hidden) = hidden else {
        return Ok(SecretRecord::NotRead);
    };
    let reason = if let Some(version) = hidden.strip_prefix(TOO_OLD) {
        SecretHidden::ChatwootTooOld {
            version: version.to_owned(),
        }
    } else if let Some(role) = hidden.strip_prefix(ROLE) {
        // Empty when Chatwoot named no role.
        SecretHidden::NotAdministrator {
            role: Some(role.to_owned()).filter(|role| !role.is_empty()),
        }
    } else if let Some(version) = hidden.strip_prefix(NOT_SHOWN) {
        SecretHidden::NotShown {
            version: version.to_owned(),
        }
    } else {
        return Err(fault(
            "webhook_secret_hidden",
            "an unknown reason".to_owned(),
        ));
    };
    Ok(SecretRecord::Hidden { reason, at: at()? })
}
