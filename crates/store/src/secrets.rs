//! The one module for what must be unguessable or never stored in plain text: fresh ids,
//! codes, API keys and postback secrets, and the SHA-256 digests keys and secrets are
//! stored and looked up as.

use chrono::{DateTime, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};
use trackly_domain::api_key::{API_KEY_PREFIX, API_KEY_SECRET_LEN};
use trackly_domain::code::{CODE_ALPHABET, CODE_LENGTH};
use trackly_domain::link::{LinkId, LINK_ID_ALPHABET, LINK_ID_LENGTH};
use trackly_domain::text::ALPHANUMERIC;
use trackly_domain::{ObjectId, OfferCode};

/// The prefix of postback secrets, so that they are recognisable (and greppable in logs).
pub const POSTBACK_SECRET_PREFIX: &str = "pbs_";

/// A new resource id made at `now`.
pub fn new_id(now: DateTime<Utc>) -> ObjectId {
    let mut random = [0u8; 8];
    rand::thread_rng().fill_bytes(&mut random);
    let seconds = u32::try_from(now.timestamp().max(0)).unwrap_or(u32::MAX);
    ObjectId::new(seconds, random)
}

/// A new random offer code, never a reserved one.
pub fn new_offer_code() -> OfferCode {
    loop {
        let text = nanoid::nanoid!(CODE_LENGTH, &CODE_ALPHABET);
        // nanoid draws exactly CODE_LENGTH characters from CODE_ALPHABET, which parse accepts.
        let code =
            OfferCode::parse(&text).unwrap_or_else(|| unreachable!("nanoid returned {text:?}"));
        if !code.is_reserved() {
            return code;
        }
    }
}

/// A new random link id (SPEC §9.1), never a reserved one. Whether it is unused is for
/// the database's primary key to say.
pub fn new_link_id() -> LinkId {
    loop {
        let text = nanoid::nanoid!(LINK_ID_LENGTH, &LINK_ID_ALPHABET);
        // nanoid draws exactly LINK_ID_LENGTH characters of LINK_ID_ALPHABET, which parse
        // accepts.
        let id = LinkId::parse(&text).unwrap_or_else(|| unreachable!("nanoid returned {text:?}"));
        if !id.is_reserved() {
            return id;
        }
    }
}

/// A new API key: `trk_` and 32 letters or digits.
pub fn new_api_key() -> String {
    format!(
        "{API_KEY_PREFIX}{}",
        nanoid::nanoid!(API_KEY_SECRET_LEN, &ALPHANUMERIC)
    )
}

/// A new postback secret: `pbs_` and 32 letters or digits.
pub fn new_postback_secret() -> String {
    format!(
        "{POSTBACK_SECRET_PREFIX}{}",
        nanoid::nanoid!(32, &ALPHANUMERIC)
    )
}

/// A new secret token of 43 letters or digits (about 256 bits): a dashboard session's
/// cookie value or its anti-forgery token.
pub fn new_session_token() -> String {
    nanoid::nanoid!(43, &ALPHANUMERIC)
}

/// The SHA-256 digest a key or secret is stored and looked up as.
pub fn digest(secret: &str) -> [u8; 32] {
    Sha256::digest(secret.as_bytes()).into()
}

/// The key platform API keys are sealed with (SPEC §10.1: AES-256-GCM under
/// `TRACKLY_SECRET_KEY`). Its `Debug` hides it.
#[derive(Clone)]
pub struct SecretKey(aes_gcm::Key<aes_gcm::Aes256Gcm>);

impl SecretKey {
    /// Reads `TRACKLY_SECRET_KEY`: 64 hexadecimal digits (32 bytes, e.g. from
    /// `openssl rand -hex 32`). `None` for anything else.
    pub fn from_hex(text: &str) -> Option<Self> {
        let bytes = hex::decode(text.trim()).ok()?;
        let bytes: [u8; 32] = bytes.try_into().ok()?;
        Some(Self(bytes.into()))
    }

    /// Seals `plaintext` for the row `owner`: a fresh 12-byte nonce, then the ciphertext
    /// and its tag. The owner is authenticated too, so a sealed value copied to another
    /// row does not open.
    pub fn seal(&self, owner: &str, plaintext: &str) -> Vec<u8> {
        use aes_gcm::aead::{Aead, AeadCore, OsRng, Payload};
        use aes_gcm::KeyInit;
        let cipher = aes_gcm::Aes256Gcm::new(&self.0);
        let nonce = aes_gcm::Aes256Gcm::generate_nonce(&mut OsRng);
        let payload = Payload {
            msg: plaintext.as_bytes(),
            aad: owner.as_bytes(),
        };
        // Encryption fails only for messages over 64 GiB; a platform key is ≤ 255 characters.
        let sealed = cipher
            .encrypt(&nonce, payload)
            .unwrap_or_else(|_| unreachable!("AES-GCM refuses only messages over 64 GiB"));
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        out
    }

    /// Opens what [`SecretKey::seal`] sealed for `owner`; `None` when it was sealed under
    /// another key, for another row, or altered.
    pub fn open(&self, owner: &str, sealed: &[u8]) -> Option<String> {
        use aes_gcm::aead::{Aead, Payload};
        use aes_gcm::KeyInit;
        if sealed.len() < 12 {
            return None;
        }
        let (nonce, ciphertext) = sealed.split_at(12);
        let cipher = aes_gcm::Aes256Gcm::new(&self.0);
        let payload = Payload {
            msg: ciphertext,
            aad: owner.as_bytes(),
        };
        let plain = cipher
            .decrypt(aes_gcm::Nonce::from_slice(nonce), payload)
            .ok()?;
        String::from_utf8(plain).ok()
    }
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(<hidden>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use trackly_domain::api_key::is_well_formed_api_key;

    #[test]
    fn generated_values_have_their_documented_shapes() {
        assert!(is_well_formed_api_key(&new_api_key()));
        assert_eq!(new_offer_code().as_str().len(), 6);
        assert_ne!(new_link_id(), new_link_id());
        let secret = new_postback_secret();
        assert!(secret.starts_with("pbs_") && secret.len() == 36);
        let now = DateTime::from_timestamp(0x664f1a2b, 0).expect("valid time");
        assert!(new_id(now).as_str().starts_with("664f1a2b"));
        assert_ne!(new_id(now), new_id(now));
    }

    #[test]
    fn sealed_keys_open_only_with_their_key_and_row() {
        let key = SecretKey::from_hex(&"ab".repeat(32)).expect("64 hex digits");
        let sealed = key.seal("row-1", "platform-key-1234");
        assert!(!String::from_utf8_lossy(&sealed).contains("platform-key"));
        assert_eq!(
            key.open("row-1", &sealed).as_deref(),
            Some("platform-key-1234")
        );
        assert_eq!(key.open("row-2", &sealed), None, "another row");
        let other = SecretKey::from_hex(&"cd".repeat(32)).expect("64 hex digits");
        assert_eq!(other.open("row-1", &sealed), None, "another key");
        let mut altered = sealed.clone();
        altered[20] ^= 1;
        assert_eq!(key.open("row-1", &altered), None, "altered");
        assert_ne!(
            key.seal("row-1", "platform-key-1234"),
            sealed,
            "fresh nonce"
        );
        for bad in ["", "abc", &"zz".repeat(32), &"ab".repeat(31)] {
            assert!(SecretKey::from_hex(bad).is_none(), "{bad:?}");
        }
    }
}
