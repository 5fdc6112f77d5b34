//! Secrets the database keeps but cannot read back on its own. The second factor's keys and the
//! push (VAPID) key are sealed with AES-256-GCM under a data key held outside the database
//! (`NAGARIK_DATA_KEY`: the host's secret store, a KMS), so a dump, a backup or a read-only SQL
//! hole yields no sign-in codes and no push key. Each sealed value is bound to the row it belongs
//! to (the associated data names it), so a value copied to another account's row does not open.
//!
//! Sealed form: a version byte (1), a random 96-bit nonce, the ciphertext, its 128-bit tag.
//! A key is 32 random bytes, written as Base64.
//!
//! The same key also keys the digests of short secrets (`digest`: HMAC-SHA256 under a key derived
//! for that use): a six-digit one-time code hashed without a key is found from its hash in a
//! million tries, with one it is not.

use aes_gcm::aead::{Aead, KeyInit, Nonce, Payload};
use aes_gcm::{Aes256Gcm, Key};
use base64::Engine;
use rand::RngCore;

const VERSION: u8 = 1;
const NONCE_BYTES: usize = 12;
const TAG_BYTES: usize = 16;
/// What sealing adds to a value's length.
pub const OVERHEAD: usize = 1 + NONCE_BYTES + TAG_BYTES;

/// The key that seals and opens. Its bytes are never printed.
#[derive(Clone)]
pub struct DataKey {
    cipher: Aes256Gcm,
    /// derived from the key for `digest` alone, so no value is both sealed and digested under
    /// one key
    digest_key: [u8; 32],
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(…)")
    }
}

/// Why a data key was not accepted.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum KeyProblem {
    #[error("the data key is not Base64")]
    NotBase64,
    #[error("the data key must be 32 bytes (256 bits), it is {0}")]
    WrongLength(usize),
}

impl DataKey {
    /// A key from its Base64 text (standard or URL-safe alphabet, padded or not).
    pub fn from_text(text: &str) -> Result<Self, KeyProblem> {
        use base64::engine::general_purpose::{
            STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD,
        };
        let text = text.trim();
        let bytes = [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
            .iter()
            .find_map(|engine| engine.decode(text).ok())
            .ok_or(KeyProblem::NotBase64)?;
        let bytes: [u8; 32] = bytes
            .try_into()
            .map_err(|b: Vec<u8>| KeyProblem::WrongLength(b.len()))?;
        Ok(DataKey::from_bytes(&bytes))
    }

    /// A key from its 32 bytes.
    pub fn from_bytes(bytes: &[u8; 32]) -> Self {
        let key = Key::<Aes256Gcm>::from(*bytes);
        let digest_key = hmac_sha256(bytes, &[b"nagarik digest key"]);
        DataKey {
            cipher: Aes256Gcm::new(&key),
            digest_key,
        }
    }

    /// A new random key and its bytes (to be kept sealed under another key: envelope
    /// encryption, as the document locker keeps one key per person).
    pub fn random() -> (Self, [u8; 32]) {
        let mut bytes = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut bytes);
        (DataKey::from_bytes(&bytes), bytes)
    }

    /// A new random key as Base64 text (`nagarik data-key`).
    pub fn new_text() -> String {
        let mut bytes = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut bytes);
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }

    /// Seals `plain` for the row `bound_to` names.
    pub fn seal(&self, plain: &[u8], bound_to: &[u8]) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_BYTES];
        rand::thread_rng().fill_bytes(&mut nonce);
        let sealed = self
            .cipher
            .encrypt(
                &Nonce::<Aes256Gcm>::from(nonce),
                Payload {
                    msg: plain,
                    aad: bound_to,
                },
            )
            .expect("AES-GCM seals any value shorter than 64 GiB");
        let mut out = Vec::with_capacity(OVERHEAD + plain.len());
        out.push(VERSION);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        out
    }

    /// The value inside, if this key sealed it for this row and nobody changed it since.
    pub fn open(&self, sealed: &[u8], bound_to: &[u8]) -> Option<Vec<u8>> {
        if sealed.len() < OVERHEAD || sealed[0] != VERSION {
            return None;
        }
        let (nonce, body) = sealed[1..].split_at(NONCE_BYTES);
        self.cipher
            .decrypt(
                &Nonce::<Aes256Gcm>::try_from(nonce).ok()?,
                Payload {
                    msg: body,
                    aad: bound_to,
                },
            )
            .ok()
    }

    /// A keyed digest of `parts` for the use `purpose` names (each part length-prefixed, so no
    /// two lists of parts digest alike): to compare a secret typed later with, never to open.
    pub fn digest(&self, purpose: &str, parts: &[&[u8]]) -> Vec<u8> {
        let mut framed: Vec<Vec<u8>> = vec![purpose.as_bytes().to_vec()];
        framed.extend(parts.iter().map(|p| p.to_vec()));
        let lengths: Vec<[u8; 8]> = framed
            .iter()
            .map(|p| (p.len() as u64).to_be_bytes())
            .collect();
        let mut pieces: Vec<&[u8]> = Vec::new();
        for (len, part) in lengths.iter().zip(&framed) {
            pieces.push(len);
            pieces.push(part);
        }
        hmac_sha256(&self.digest_key, &pieces).to_vec()
    }

    /// Seals text, as Base64 text (for a `text` column).
    pub fn seal_text(&self, plain: &str, bound_to: &[u8]) -> String {
        base64::engine::general_purpose::STANDARD.encode(self.seal(plain.as_bytes(), bound_to))
    }

    /// Opens what `seal_text` sealed.
    pub fn open_text(&self, sealed: &str, bound_to: &[u8]) -> Option<String> {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(sealed)
            .ok()?;
        String::from_utf8(self.open(&bytes, bound_to)?).ok()
    }
}

fn hmac_sha256(key: &[u8], pieces: &[&[u8]]) -> [u8; 32] {
    use hmac::{Hmac, Mac};
    let mut mac =
        <Hmac<sha2::Sha256> as Mac>::new_from_slice(key).expect("HMAC takes a key of any length");
    for p in pieces {
        mac.update(p);
    }
    mac.finalize().into_bytes().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> DataKey {
        DataKey::from_text(&DataKey::new_text()).unwrap()
    }

    #[test]
    fn a_sealed_value_opens_with_its_key_for_its_row_only() {
        let k = key();
        let sealed = k.seal(b"twenty bytes secret!", b"second_factor:alice");
        assert_eq!(sealed.len(), 20 + OVERHEAD);
        assert!(!sealed.windows(6).any(|w| w == b"twenty"));
        assert_eq!(
            k.open(&sealed, b"second_factor:alice").as_deref(),
            Some(&b"twenty bytes secret!"[..])
        );
        // copied to another person's row, it does not open
        assert_eq!(k.open(&sealed, b"second_factor:bob"), None);
        // nor with another key
        assert_eq!(key().open(&sealed, b"second_factor:alice"), None);
    }

    #[test]
    fn a_changed_byte_anywhere_is_refused() {
        let k = key();
        let sealed = k.seal(b"secret", b"row");
        for i in 0..sealed.len() {
            let mut bent = sealed.clone();
            bent[i] ^= 0x01;
            assert_eq!(k.open(&bent, b"row"), None, "byte {i}");
        }
        assert_eq!(k.open(&sealed[..OVERHEAD - 1], b"row"), None);
    }

    #[test]
    fn the_same_value_seals_differently_each_time() {
        let k = key();
        assert_ne!(k.seal(b"same", b"row"), k.seal(b"same", b"row"));
    }

    #[test]
    fn digests_are_keyed_and_tell_apart_purposes_and_parts() {
        let k = key();
        let d = k.digest("one-time code", &[b"subject", b"123456"]);
        assert_eq!(d.len(), 32);
        assert_eq!(d, k.digest("one-time code", &[b"subject", b"123456"]));
        assert_ne!(d, key().digest("one-time code", &[b"subject", b"123456"]));
        assert_ne!(d, k.digest("reset code", &[b"subject", b"123456"]));
        assert_ne!(d, k.digest("one-time code", &[b"subject1", b"23456"]));
        // not the unkeyed SHA-256 of the same bytes
        use sha2::Digest;
        assert_ne!(d, sha2::Sha256::digest(b"subject123456").to_vec());
    }

    #[test]
    fn text_round_trips() {
        let k = key();
        let sealed = k.seal_text("vapid key", b"server_settings:vapid");
        assert_eq!(
            k.open_text(&sealed, b"server_settings:vapid").as_deref(),
            Some("vapid key")
        );
        assert_eq!(k.open_text("not base64!", b"server_settings:vapid"), None);
    }

    #[test]
    fn keys_are_32_bytes_of_base64() {
        assert_eq!(
            DataKey::from_text("not base64!").unwrap_err(),
            KeyProblem::NotBase64
        );
        assert_eq!(
            DataKey::from_text("c2hvcnQ=").unwrap_err(),
            KeyProblem::WrongLength(5)
        );
        let text = DataKey::new_text();
        let url_safe = text.replace('+', "-").replace('/', "_");
        let sealed = DataKey::from_text(&text).unwrap().seal(b"x", b"r");
        assert_eq!(
            DataKey::from_text(url_safe.trim_end_matches('='))
                .unwrap()
                .open(&sealed, b"r")
                .as_deref(),
            Some(&b"x"[..])
        );
    }
}
