//! Endpoint signing secrets: made here, shown to staff once, stored only sealed.
//!
//! A secret is `whsec_` + base64 of 32 random bytes (the Standard Webhooks form: receivers'
//! libraries take it as is). The row holds it encrypted with AES-256-GCM under
//! the webhook secrets key (a secret of its own), bound to the endpoint's id, so a copy of the database (a snapshot, a
//! read grant, SQL injection elsewhere) gives no secret, and a sealed secret moved to another
//! row does not open. Only `webhooks-create` and `webhook-deliver` load the key.

use aes_gcm::Aes256Gcm;
use aes_gcm::aead::array::Array;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use anyhow::Context;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ring::rand::{SecureRandom, SystemRandom};
use uuid::Uuid;

use crate::config::ConfigError;
use crate::secrets::Secret;

pub const SECRET_PREFIX: &str = "whsec_";
const SECRET_BYTES: usize = 32;
const NONCE_BYTES: usize = 12;

/// The key that seals endpoint secrets.
pub struct SecretsKey {
    cipher: Aes256Gcm,
}

impl std::fmt::Debug for SecretsKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretsKey(..)")
    }
}

impl SecretsKey {
    /// A key from its 32 bytes.
    pub fn from_bytes(key: &[u8]) -> anyhow::Result<Self> {
        let cipher = Aes256Gcm::new_from_slice(key)
            .map_err(|_| anyhow::anyhow!("the key must be 32 bytes, not {}", key.len()))?;
        Ok(Self { cipher })
    }

    /// Base64 of 32 bytes, as the webhook secrets key's secret holds it.
    pub fn from_base64(text: &str) -> anyhow::Result<Self> {
        let bytes = STANDARD
            .decode(text.trim())
            .context("the key is not base64")?;
        Self::from_bytes(&bytes)
    }

    /// The key as its secret holds it (base64 of 32 bytes; the secret named by
    /// `WEBHOOK_SECRETS_KEY_SECRET_ARN`); the error names the variable, never the key.
    pub fn from_secret_text(text: &str) -> Result<Self, ConfigError> {
        Self::from_base64(text).map_err(|error| ConfigError::Secret {
            name: Secret::WebhookSecretsKey.arn_variable(),
            reason: format!("{error:#}"),
        })
    }

    /// Nonce followed by ciphertext and tag; `endpoint` is authenticated alongside.
    pub fn seal(&self, endpoint: Uuid, secret: &str) -> anyhow::Result<Vec<u8>> {
        let mut nonce = [0u8; NONCE_BYTES];
        SystemRandom::new()
            .fill(&mut nonce)
            .map_err(|_| anyhow::anyhow!("no randomness"))?;
        let sealed = self
            .cipher
            .encrypt(
                &Array::from(nonce),
                Payload {
                    msg: secret.as_bytes(),
                    aad: endpoint.as_bytes(),
                },
            )
            .map_err(|_| anyhow::anyhow!("sealing a webhook secret failed"))?;
        let mut out = Vec::with_capacity(NONCE_BYTES + sealed.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// The secret sealed for `endpoint`; an error for another key, another row or a changed byte.
    pub fn open(&self, endpoint: Uuid, sealed: &[u8]) -> anyhow::Result<String> {
        if sealed.len() < NONCE_BYTES {
            anyhow::bail!("a sealed webhook secret is too short");
        }
        let (nonce, ciphertext) = sealed.split_at(NONCE_BYTES);
        let nonce: [u8; NONCE_BYTES] = nonce.try_into().context("nonce length")?;
        let plain = self
            .cipher
            .decrypt(
                &Array::from(nonce),
                Payload {
                    msg: ciphertext,
                    aad: endpoint.as_bytes(),
                },
            )
            .map_err(|_| anyhow::anyhow!("the webhook secret of {endpoint} does not open"))?;
        String::from_utf8(plain).context("a webhook secret is not text")
    }
}

/// A fresh `whsec_...` secret.
pub fn generate() -> anyhow::Result<String> {
    let mut bytes = [0u8; SECRET_BYTES];
    SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| anyhow::anyhow!("no randomness"))?;
    Ok(format!("{SECRET_PREFIX}{}", STANDARD.encode(bytes)))
}

/// The HMAC key a `whsec_...` secret stands for.
pub fn signing_key(secret: &str) -> anyhow::Result<Vec<u8>> {
    let encoded = secret.strip_prefix(SECRET_PREFIX).unwrap_or(secret);
    STANDARD
        .decode(encoded)
        .context("a webhook secret is not base64")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> SecretsKey {
        SecretsKey::from_bytes(&[7u8; 32]).expect("key")
    }

    #[test]
    fn secrets_have_the_standard_form() {
        let secret = generate().expect("secret");
        assert!(secret.starts_with("whsec_"));
        assert_eq!(signing_key(&secret).expect("base64").len(), 32);
        assert_ne!(secret, generate().expect("another"));
    }

    #[test]
    fn a_sealed_secret_opens_only_for_its_endpoint_and_key() {
        let endpoint = Uuid::now_v7();
        let secret = generate().expect("secret");
        let sealed = key().seal(endpoint, &secret).expect("seal");
        assert!(
            !sealed
                .windows(8)
                .any(|w| secret.as_bytes().windows(8).any(|s| s == w))
        );
        assert_eq!(key().open(endpoint, &sealed).expect("open"), secret);
        assert!(key().open(Uuid::now_v7(), &sealed).is_err());
        let other = SecretsKey::from_bytes(&[8u8; 32]).expect("key");
        assert!(other.open(endpoint, &sealed).is_err());
        let mut tampered = sealed.clone();
        tampered[20] ^= 1;
        assert!(key().open(endpoint, &tampered).is_err());
    }

    #[test]
    fn keys_must_be_32_bytes_of_base64() {
        assert!(SecretsKey::from_base64(&STANDARD.encode([1u8; 32])).is_ok());
        assert!(SecretsKey::from_base64(&STANDARD.encode([1u8; 16])).is_err());
        assert!(SecretsKey::from_base64("not base64!").is_err());
    }
}
