//! The inbox's webhook signing secret: what a write stores of it, what the
//! gateway reads back, and the status's `signature` check.

use domain::{InboxId, Instance, SecretHidden, SecretRecord, SigningSecret, Timestamp};

use crate::chatwoot::SecretSeen;
use crate::check_failure::CheckFailure;
use crate::check_report::{CheckName, CheckReport};
use crate::error::AppError;
use crate::ports::{InstanceRecord, Ports};
use crate::services::Services;
use crate::undetermined::Undetermined;

/// What a write stores of what the inbox showed (`None`: not read).
pub(crate) fn record(seen: Option<&SecretSeen>, at: Timestamp) -> SecretRecord {
    match seen {
        Some(SecretSeen::Shown(secret)) => SecretRecord::Stored {
            secret: secret.clone(),
            at,
        },
        Some(SecretSeen::Hidden(reason)) => SecretRecord::Hidden {
            reason: reason.clone(),
            at,
        },
        None => SecretRecord::NotRead,
    }
}

/// Why no secret can be given to the gateway: the 404 of the
/// webhook-secret route. `None` is a write that did not read the inbox
/// (disabled, without an inbox, checks off, or made before secrets were
/// stored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoSigningSecret(pub Option<SecretHidden>);

impl CheckReport {
    /// The `signature` check of the status: the secret the inbox shows now
    /// against the one stored. Not run when the inbox was not read or an
    /// earlier check failed.
    pub fn judge_signature(&mut self, inbox: Option<InboxId>, stored: &SecretRecord) {
        let (Some(seen), Some(inbox)) = (self.signing_secret().cloned(), inbox) else {
            return;
        };
        if self.first_failure().is_some() {
            return;
        }
        let inbox_id = inbox.get();
        match (seen, stored) {
            (SecretSeen::Hidden(reason), _) => {
                self.undetermined(CheckName::Signature, Undetermined::SecretHidden(reason));
            }
            (SecretSeen::Shown(now), SecretRecord::Stored { secret, .. }) if now == *secret => {
                self.pass(CheckName::Signature);
            }
            (SecretSeen::Shown(_), SecretRecord::Stored { .. }) => {
                self.fail(
                    CheckName::Signature,
                    CheckFailure::SigningSecretChanged { inbox_id },
                );
            }
            (SecretSeen::Shown(_), SecretRecord::Hidden { .. } | SecretRecord::NotRead) => {
                self.fail(
                    CheckName::Signature,
                    CheckFailure::SigningSecretNotStored { inbox_id },
                );
            }
        }
    }
}

impl<P: Ports> Services<P> {
    /// The stored signing secret of the live integration and when it was
    /// stored, for the gateway to verify what Chatwoot sends it.
    pub async fn signing_secret(
        &self,
        instance: &Instance,
    ) -> Result<(SigningSecret, Timestamp), AppError> {
        served(self.get_integration(instance).await?.signing_secret)
    }

    /// [`Self::signing_secret`] of the integration read with the instance,
    /// no statement more.
    pub async fn signing_secret_of(
        &self,
        target: &InstanceRecord,
    ) -> Result<(SigningSecret, Timestamp), AppError> {
        served(self.integration_of(target).await?.signing_secret)
    }
}

fn served(record: SecretRecord) -> Result<(SigningSecret, Timestamp), AppError> {
    match record {
        SecretRecord::Stored { secret, at } => Ok((secret, at)),
        SecretRecord::Hidden { reason, .. } => {
            Err(AppError::NoSigningSecret(NoSigningSecret(Some(reason))))
        }
        SecretRecord::NotRead => Err(AppError::NoSigningSecret(NoSigningSecret(None))),
    }
}
