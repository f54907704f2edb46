//! The secret Chatwoot (4.13 and later) signs an API inbox's webhooks with,
//! and what the service last learnt of it.

use secrecy::{ExposeSecret, SecretString};

use crate::time::Timestamp;

/// Longest secret kept; Chatwoot's (`has_secure_token`) has 24 characters.
pub const MAX_SECRET_CHARS: usize = 255;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("must be 1 to 255 printable ASCII characters without whitespace")]
pub struct SigningSecretError;

/// An inbox's webhook signing secret. Its `Debug` never shows it.
#[derive(Clone)]
pub struct SigningSecret(SecretString);

impl SigningSecret {
    pub fn parse(raw: &str) -> Result<Self, SigningSecretError> {
        if (1..=MAX_SECRET_CHARS).contains(&raw.len()) && raw.bytes().all(|b| b.is_ascii_graphic())
        {
            Ok(Self(SecretString::from(raw)))
        } else {
            Err(SigningSecretError)
        }
    }

    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

crate::secret_text::secret_text!(SigningSecret);

/// Why Chatwoot did not show an inbox's secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretHidden {
    /// Chatwoot before 4.13 signs nothing and has no secret.
    ChatwootTooOld { version: String },
    /// Chatwoot shows the secret to administrators only; `role` is the
    /// one Chatwoot named, if any.
    NotAdministrator { role: Option<String> },
    /// An administrator asked, on 4.13 or later, and the inbox's JSON still
    /// had no `secret`.
    NotShown { version: String },
}

/// What the last write of an integration learnt of its inbox's secret.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum SecretRecord {
    /// Read from the inbox and stored.
    Stored {
        secret: SigningSecret,
        at: Timestamp,
    },
    /// The inbox was read and showed no secret, for this reason.
    Hidden { reason: SecretHidden, at: Timestamp },
    /// The last write did not read the inbox (disabled, no inbox, checks
    /// turned off), or was made before secrets were stored.
    #[default]
    NotRead,
}

/// The leading numbers of a Chatwoot version (`4.16.2-ce` is 4.16.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ChatwootVersion {
    pub major: u32,
    pub minor: u32,
    pub patch: u32,
}

impl ChatwootVersion {
    /// `None` when the text does not start with a number; missing minor or
    /// patch numbers are 0 (`4` is 4.0.0).
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim().trim_start_matches(['v', 'V']);
        let mut numbers = raw.split('.').map(|part| {
            let digits: String = part.chars().take_while(char::is_ascii_digit).collect();
            digits.parse::<u32>().ok()
        });
        let major = numbers.next().flatten()?;
        let minor = numbers.next().flatten().unwrap_or(0);
        let patch = numbers.next().flatten().unwrap_or(0);
        Some(Self {
            major,
            minor,
            patch,
        })
    }

    /// Whether this is `major.minor` or later.
    pub fn at_least(self, major: u32, minor: u32) -> bool {
        (self.major, self.minor) >= (major, minor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_compared_by_their_leading_numbers() {
        let v = |raw| ChatwootVersion::parse(raw).expect(raw);
        assert!(v("4.16.2-ce").at_least(4, 14));
        assert!(v("4.14.0").at_least(4, 14));
        assert!(!v("4.13.9").at_least(4, 14));
        assert!(v("4.13.0").at_least(4, 13));
        assert!(!v("4.1.0").at_least(4, 13));
        assert!(v("5").at_least(4, 14));
        assert!(v("v4.14.1").at_least(4, 14));
        assert_eq!(ChatwootVersion::parse("(version not given)"), None);
        assert_eq!(ChatwootVersion::parse(""), None);
    }

    #[test]
    fn a_secret_is_printable_ascii_and_never_shown_by_debug() {
        let secret = SigningSecret::parse("s3cr3tS3cr3tS3cr3tS3cr3t").expect("valid");
        assert_eq!(format!("{secret:?}"), "SigningSecret([REDACTED])");
        assert_eq!(secret.expose(), "s3cr3tS3cr3tS3cr3tS3cr3t");
        for bad in ["", "with space", "tab\t", &"a".repeat(256), "é"] {
            assert_eq!(SigningSecret::parse(bad).map(drop), Err(SigningSecretError));
        }
    }
}
