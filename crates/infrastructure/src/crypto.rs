//! Encryption at rest of the Chatwoot access tokens the repository stores.
//!
//! A stored value is either plaintext (rows written without a key, so a key
//! can be turned on later without a migration) or
//! `enc:v1:<base64(nonce | ciphertext | tag)>`, AES-256-GCM with a fresh
//! random 96-bit nonce per write. Reading tries the current key, then the
//! previous ones, so keys can be rotated without downtime: deploy the new
//! key with the old one among the previous keys, rewrite the rows
//! (`reencrypt-tokens`), then drop the old key.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use base64::Engine;
use rand::RngCore;

/// Marks an encrypted value; the version leaves room for another scheme.
pub const PREFIX: &str = "enc:v1:";
const NONCE_BYTES: usize = 12;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CipherError {
    #[error("must be 32 bytes written as 64 hexadecimal digits or in base64")]
    BadKey,
    #[error("the value is encrypted but no encryption key is configured")]
    NoKey,
    #[error("no configured key decrypts the value (wrong key, or the value was altered)")]
    Undecryptable,
    #[error("the encryption failed")]
    Encrypt,
}

/// A 256-bit key, parsed from configuration.
#[derive(Clone)]
pub struct EncryptionKey([u8; 32]);

impl EncryptionKey {
    /// 64 hexadecimal digits, or base64 (padded or not) of 32 bytes.
    pub fn parse(raw: &str) -> Result<Self, CipherError> {
        let raw = raw.trim();
        let bytes = if raw.len() == 64 && raw.bytes().all(|b| b.is_ascii_hexdigit()) {
            hex::decode(raw).map_err(|_| CipherError::BadKey)?
        } else {
            STANDARD
                .decode(raw)
                .or_else(|_| STANDARD_NO_PAD.decode(raw))
                .map_err(|_| CipherError::BadKey)?
        };
        <[u8; 32]>::try_from(bytes.as_slice())
            .map(Self)
            .map_err(|_| CipherError::BadKey)
    }
}

impl std::fmt::Debug for EncryptionKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EncryptionKey([REDACTED])")
    }
}

/// Seals with the current key; opens with the current key or any previous one.
#[derive(Clone)]
pub struct TokenCipher {
    current: Aes256Gcm,
    previous: Vec<Aes256Gcm>,
}

impl std::fmt::Debug for TokenCipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenCipher")
            .field("previous_keys", &self.previous.len())
            .finish_non_exhaustive()
    }
}

fn aes(key: &EncryptionKey) -> Aes256Gcm {
    Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&key.0))
}

impl TokenCipher {
    pub fn new(current: &EncryptionKey, previous: &[EncryptionKey]) -> Self {
        Self {
            current: aes(current),
            previous: previous.iter().map(aes).collect(),
        }
    }

    pub fn is_encrypted(stored: &str) -> bool {
        stored.starts_with(PREFIX)
    }

    /// The stored form of `plaintext`: never the same twice, as the nonce is random.
    pub fn seal(&self, plaintext: &str) -> Result<String, CipherError> {
        let mut nonce = [0u8; NONCE_BYTES];
        rand::rng().fill_bytes(&mut nonce);
        let sealed = self
            .current
            .encrypt(Nonce::from_slice(&nonce), plaintext.as_bytes())
            .map_err(|_| CipherError::Encrypt)?;
        let mut blob = Vec::with_capacity(NONCE_BYTES + sealed.len());
        blob.extend_from_slice(&nonce);
        blob.extend_from_slice(&sealed);
        Ok(format!("{PREFIX}{}", STANDARD.encode(blob)))
    }

    /// The plaintext of a stored value; plaintext rows pass through.
    pub fn open(&self, stored: &str) -> Result<String, CipherError> {
        open_with(Some(self), stored)
    }
}

/// Reads a stored value with an optional cipher: without one, plaintext
/// passes and an encrypted value is an error (a key was removed too early).
pub fn open_with(cipher: Option<&TokenCipher>, stored: &str) -> Result<String, CipherError> {
    let Some(encoded) = stored.strip_prefix(PREFIX) else {
        return Ok(stored.to_owned());
    };
    let cipher = cipher.ok_or(CipherError::NoKey)?;
    let blob = STANDARD
        .decode(encoded)
        .map_err(|_| CipherError::Undecryptable)?;
    if blob.len() <= NONCE_BYTES {
        return Err(CipherError::Undecryptable);
    }
    let (nonce, sealed) = blob.split_at(NONCE_BYTES);
    let nonce = Nonce::from_slice(nonce);
    std::iter::once(&cipher.current)
        .chain(&cipher.previous)
        .find_map(|key| key.decrypt(nonce, sealed).ok())
        .and_then(|plain| String::from_utf8(plain).ok())
        .ok_or(CipherError::Undecryptable)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEX_KEY: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    fn key(byte: u8) -> EncryptionKey {
        EncryptionKey([byte; 32])
    }

    #[test]
    fn a_key_is_read_from_hex_or_base64_and_nothing_else() {
        let from_hex = EncryptionKey::parse(HEX_KEY).expect("hex key");
        let b64 = STANDARD.encode(from_hex.0);
        assert_eq!(
            EncryptionKey::parse(&b64).expect("base64 key").0,
            from_hex.0
        );
        assert_eq!(
            EncryptionKey::parse(b64.trim_end_matches('='))
                .expect("unpadded base64 key")
                .0,
            from_hex.0
        );
        for bad in ["", "short", &HEX_KEY[..62], &STANDARD.encode([1u8; 31])] {
            assert_eq!(
                EncryptionKey::parse(bad).map(|_| ()),
                Err(CipherError::BadKey),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_sealed_token_hides_the_plaintext_and_opens_back_to_it() {
        let cipher = TokenCipher::new(&key(1), &[]);
        let sealed = cipher.seal("cw-user-token").expect("seal");
        assert!(sealed.starts_with(PREFIX), "{sealed}");
        assert!(!sealed.contains("cw-user-token"));
        assert_ne!(
            sealed,
            cipher.seal("cw-user-token").expect("seal"),
            "fresh nonce"
        );
        assert_eq!(cipher.open(&sealed).expect("open"), "cw-user-token");
    }

    #[test]
    fn plaintext_rows_are_read_as_they_are_with_or_without_a_key() {
        assert_eq!(
            TokenCipher::new(&key(1), &[]).open("plain").expect("open"),
            "plain"
        );
        assert_eq!(open_with(None, "plain").expect("open"), "plain");
    }

    #[test]
    fn a_previous_key_still_opens_what_it_sealed_during_a_rotation() {
        let old = TokenCipher::new(&key(1), &[]);
        let sealed = old.seal("token").expect("seal");
        let rotated = TokenCipher::new(&key(2), &[key(1)]);
        assert_eq!(rotated.open(&sealed).expect("open"), "token");
    }

    #[test]
    fn a_wrong_key_a_missing_key_or_an_altered_value_is_an_error_not_a_panic() {
        let sealed = TokenCipher::new(&key(1), &[]).seal("token").expect("seal");
        let wrong = TokenCipher::new(&key(2), &[]);
        assert_eq!(wrong.open(&sealed), Err(CipherError::Undecryptable));
        assert_eq!(open_with(None, &sealed), Err(CipherError::NoKey));
        assert_eq!(
            wrong.open(&format!("{PREFIX}not base64!")),
            Err(CipherError::Undecryptable)
        );
        assert_eq!(wrong.open(PREFIX), Err(CipherError::Undecryptable));
    }
}
