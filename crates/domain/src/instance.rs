use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::time::Timestamp;

crate::ids::uuid_id! {
    /// The id of a gateway instance: a UUID, written hyphenated and lower-case.
    #[derive(PartialOrd, Ord)]
    InstanceId
}

pub const MAX_NAME_CHARS: usize = 64;
pub const MAX_DESCRIPTION_CHARS: usize = 255;

/// 1-64 characters of `[A-Za-z0-9_.-]`, other than `.` and `..`: safe in
/// URLs (as a path segment of its own), file names and logs.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct InstanceName(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InstanceNameError {
    #[error("must be 1 to 64 characters of letters, digits, '_', '.' or '-'")]
    Characters,
    /// `{instanceName}` in `CHATWOOT_WEBHOOK_URL` would expand to a dot
    /// segment, which URL normalisation removes (`.../hook/..`).
    #[error("must not be '.' or '..', which URLs drop as path segments")]
    DotSegment,
}

impl InstanceName {
    pub fn parse(raw: &str) -> Result<Self, InstanceNameError> {
        let valid = !raw.is_empty()
            && raw.len() <= MAX_NAME_CHARS
            && raw
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'));
        if !valid {
            Err(InstanceNameError::Characters)
        } else if matches!(raw, "." | "..") {
            Err(InstanceNameError::DotSegment)
        } else {
            Ok(Self(raw.to_owned()))
        }
    }

    /// A name as stored: the characters' rule only, so that an instance
    /// named `.` or `..` before those were refused can still be read,
    /// listed and deleted.
    pub fn from_stored(raw: &str) -> Result<Self, InstanceNameError> {
        match Self::parse(raw) {
            Err(InstanceNameError::DotSegment) => Ok(Self(raw.to_owned())),
            parsed => parsed,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Free text about an instance, at most 255 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceDescription(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be shorter than or equal to 255 characters")]
pub struct InstanceDescriptionError;

impl InstanceDescription {
    pub fn parse(raw: &str) -> Result<Self, InstanceDescriptionError> {
        if raw.chars().count() <= MAX_DESCRIPTION_CHARS {
            Ok(Self(raw.to_owned()))
        } else {
            Err(InstanceDescriptionError)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instance {
    pub id: InstanceId,
    pub name: InstanceName,
    pub description: Option<InstanceDescription>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// What a caller asks for when creating an instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInstance {
    pub name: InstanceName,
    pub description: Option<InstanceDescription>,
}

/// An instance token in clear. It exists only between its generation and the
/// response that shows it once; only its [`TokenHash`] is stored.
#[derive(Clone)]
pub struct InstanceToken(SecretString);

impl InstanceToken {
    /// 32 random bytes (256 bits) written as 64 hex digits.
    pub fn from_random_bytes(bytes: [u8; 32]) -> Self {
        Self(SecretString::from(hex::encode(bytes)))
    }

    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }

    pub fn hash(&self) -> TokenHash {
        TokenHash::of(self.expose())
    }
}

impl std::fmt::Debug for InstanceToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("InstanceToken([REDACTED])")
    }
}

/// SHA-256 of a token. Tokens carry 256 random bits, so a fast hash is enough:
/// nobody can guess their way back from it.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct TokenHash([u8; 32]);

impl TokenHash {
    pub fn of(token: &str) -> Self {
        Self(Sha256::digest(token.as_bytes()).into())
    }

    pub fn from_hex(raw: &str) -> Option<Self> {
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(raw, &mut bytes).ok()?;
        Some(Self(bytes))
    }

    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// Constant-time equality, so response timing says nothing about how
    /// much of a guessed token was right.
    pub fn matches(&self, other: &TokenHash) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

impl std::fmt::Debug for TokenHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenHash(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_accept_the_documented_alphabet_up_to_64_characters() {
        assert!(InstanceName::parse("Gateway_01.prod-a").is_ok());
        assert!(InstanceName::parse(&"a".repeat(64)).is_ok());
    }

    #[test]
    fn names_reject_empty_too_long_and_foreign_characters() {
        for bad in [
            "",
            &"a".repeat(65),
            "with space",
            "slash/",
            "ação",
            "semi;colon",
        ] {
            assert_eq!(
                InstanceName::parse(bad),
                Err(InstanceNameError::Characters),
                "{bad:?}"
            );
        }
    }

    /// `{instanceName}` in a webhook URL must stay a segment of its own:
    /// URL normalisation removes `.` and `..`.
    #[test]
    fn names_reject_dot_segments() {
        for bad in [".", ".."] {
            let refused = InstanceName::parse(bad);
            assert_eq!(refused, Err(InstanceNameError::DotSegment), "{bad:?}");
            assert_eq!(
                refused.unwrap_err().to_string(),
                "must not be '.' or '..', which URLs drop as path segments"
            );
        }
        for fine in ["...", ".a", "a.", "-"] {
            assert!(InstanceName::parse(fine).is_ok(), "{fine:?}");
        }
    }

    #[test]
    fn descriptions_allow_255_characters_and_no_more() {
        let longest = "é".repeat(255);
        let parsed = InstanceDescription::parse(&longest).map(|d| d.as_str().to_owned());
        assert_eq!(parsed, Ok(longest));
        assert!(InstanceDescription::parse(&"é".repeat(256)).is_err());
    }

    #[test]
    fn instance_ids_are_uuids_printed_lower_case() {
        let id = InstanceId::parse("6F9619FF-8B86-D011-B42D-00C04FC964FF").unwrap();
        assert_eq!(id.to_string(), "6f9619ff-8b86-d011-b42d-00c04fc964ff");
        assert!(InstanceId::parse("not-a-uuid").is_none());
    }

    #[test]
    fn tokens_are_64_hex_digits_and_hash_round_trips() {
        let token = InstanceToken::from_random_bytes([7; 32]);
        assert_eq!(token.expose().len(), 64);
        let hash = token.hash();
        assert_eq!(TokenHash::from_hex(&hash.to_hex()), Some(hash));
        assert!(hash.matches(&TokenHash::of(token.expose())));
        assert!(!hash.matches(&TokenHash::of("something else")));
    }

    /// Logs and panics print values with `Debug`: a token or its hash in
    /// them would be a leak. The exact text, so that printing nothing (or
    /// anything else) fails too.
    #[test]
    fn debug_output_never_shows_a_token_or_its_hash() {
        let token = InstanceToken::from_random_bytes([9; 32]);
        assert_eq!(format!("{token:?}"), "InstanceToken([REDACTED])");
        let hash = token.hash();
        assert_eq!(format!("{hash:?}"), "TokenHash(..)");
    }
}
