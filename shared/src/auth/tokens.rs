//! EdDSA (Ed25519) access tokens.
//!
//! Only the auth functions load the private key (`TokenIssuer`); every other function holds a
//! `TokenVerifier` built from the public key, so a compromised function cannot mint tokens.
//! Verification accepts EdDSA alone: `alg: none` and HMAC tokens forged with the public key as
//! the secret fail on the algorithm check before any signature is looked at.

use std::time::Duration;

use anyhow::Context;
use base64::Engine;
use chrono::Utc;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::Role;
use crate::config::{self, ConfigError};

/// The longest a token may live (API contract: `expires_in` ≤ 3600).
pub const MAX_TTL: Duration = Duration::from_secs(3600);
/// Clock skew tolerated between the issuing and the verifying function, in seconds.
pub const LEEWAY_SECONDS: u64 = 30;

/// Why a token was refused; logged, never shown to the caller beyond a 401.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error(transparent)]
    Invalid(#[from] jsonwebtoken::errors::Error),
    #[error("the token claims a lifetime of {0} s, longer than any issued one")]
    LifetimeTooLong(i64),
    #[error("the token was issued {0} s in the future")]
    IssuedInTheFuture(i64),
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
    pub sub: Uuid,
    pub role: Role,
    pub iat: i64,
    pub exp: i64,
    pub iss: String,
    pub aud: String,
    /// The account's session version when the token was issued; a later logout, role change
    /// or disabling raises the account's version and so ends this token.
    pub sv: i32,
}

/// Who tokens are issued by and for; both are checked on every verification.
#[derive(Debug, Clone)]
pub struct TokenAudience {
    pub issuer: String,
    pub audience: String,
}

impl TokenAudience {
    pub fn from_env() -> Result<Self, ConfigError> {
        Ok(Self {
            issuer: config::optional("JWT_ISSUER").unwrap_or_else(|| "shop-auth".to_owned()),
            audience: config::optional("JWT_AUDIENCE").unwrap_or_else(|| "shop-api".to_owned()),
        })
    }
}

pub struct TokenIssuer {
    key: EncodingKey,
    audience: TokenAudience,
    ttl: Duration,
}

impl TokenIssuer {
    pub fn from_pem(pem: &[u8], audience: TokenAudience, ttl: Duration) -> anyhow::Result<Self> {
        super::jwt_crypto::install();
        let key = EncodingKey::from_ed_pem(pem)
            .context("JWT private key is not an Ed25519 PKCS#8 PEM")?;
        Ok(Self {
            key,
            audience,
            ttl: ttl.min(MAX_TTL),
        })
    }

    /// The private key as stored (PEM, or base64 of the PEM; the text of the secret named by
    /// `JWT_PRIVATE_KEY_SECRET_ARN`), with `JWT_TTL_SECONDS` from the environment.
    pub fn from_key_text(text: &str) -> Result<Self, ConfigError> {
        let name = "JWT_PRIVATE_KEY_SECRET_ARN";
        let pem = key_from_text(name, text)?;
        let ttl_seconds: u64 = config::parsed_or("JWT_TTL_SECONDS", MAX_TTL.as_secs())?;
        if ttl_seconds == 0 || ttl_seconds > MAX_TTL.as_secs() {
            return Err(ConfigError::Malformed {
                name: "JWT_TTL_SECONDS",
                reason: format!("must be between 1 and {}", MAX_TTL.as_secs()),
            });
        }
        Self::from_pem(
            &pem,
            TokenAudience::from_env()?,
            Duration::from_secs(ttl_seconds),
        )
        .map_err(|error| ConfigError::Secret {
            name,
            reason: format!("{error:#}"),
        })
    }

    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    pub fn issue(&self, user: Uuid, role: Role, session_version: i32) -> anyhow::Result<String> {
        let now = Utc::now().timestamp();
        let claims = Claims {
            sub: user,
            role,
            iat: now,
            exp: now + self.ttl.as_secs() as i64,
            iss: self.audience.issuer.clone(),
            aud: self.audience.audience.clone(),
            sv: session_version,
        };
        jsonwebtoken::encode(&Header::new(Algorithm::EdDSA), &claims, &self.key)
            .context("signing an access token failed")
    }
}

pub struct TokenVerifier {
    key: DecodingKey,
    validation: Validation,
}

impl TokenVerifier {
    pub fn from_pem(pem: &[u8], audience: TokenAudience) -> anyhow::Result<Self> {
        super::jwt_crypto::install();
        let key =
            DecodingKey::from_ed_pem(pem).context("JWT public key is not an Ed25519 SPKI PEM")?;
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.set_issuer(&[audience.issuer]);
        validation.set_audience(&[audience.audience]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        validation.leeway = LEEWAY_SECONDS;
        Ok(Self { key, validation })
    }

    /// The public key as stored (PEM, or base64 of the PEM; the text of the secret named by
    /// `JWT_PUBLIC_KEY_SECRET_ARN`), with the issuer and audience from the environment.
    pub fn from_key_text(text: &str) -> Result<Self, ConfigError> {
        let name = "JWT_PUBLIC_KEY_SECRET_ARN";
        let pem = key_from_text(name, text)?;
        Self::from_pem(&pem, TokenAudience::from_env()?).map_err(|error| ConfigError::Secret {
            name,
            reason: format!("{error:#}"),
        })
    }

    /// Signature, algorithm, issuer, audience and expiry, then what the library does not
    /// check: a lifetime no issuer grants, or an `iat` beyond the clock leeway.
    pub fn verify(&self, token: &str) -> Result<Claims, TokenError> {
        let claims = jsonwebtoken::decode::<Claims>(token, &self.key, &self.validation)?.claims;
        let lifetime = claims.exp - claims.iat;
        if lifetime > MAX_TTL.as_secs() as i64 {
            return Err(TokenError::LifetimeTooLong(lifetime));
        }
        let ahead = claims.iat - Utc::now().timestamp();
        if ahead > LEEWAY_SECONDS as i64 {
            return Err(TokenError::IssuedInTheFuture(ahead));
        }
        Ok(claims)
    }
}

/// A key as PEM text or as the base64 of it (handier in some secret stores); `name` is the
/// variable that named the secret, for the error.
fn key_from_text(name: &'static str, raw: &str) -> Result<Vec<u8>, ConfigError> {
    let raw = raw.trim();
    if raw.starts_with("-----BEGIN") {
        // Some tools flatten newlines to `\n` when putting PEM into a single value.
        return Ok(raw.replace("\\n", "\n").into_bytes());
    }
    base64::engine::general_purpose::STANDARD
        .decode(raw)
        .map_err(|error| ConfigError::Secret {
            name,
            reason: format!("neither PEM nor base64: {error}"),
        })
}

/// A fresh Ed25519 key pair as (private PKCS#8 PEM, public SPKI PEM).
pub fn generate_key_pair() -> anyhow::Result<(String, String)> {
    use ring::rand::SystemRandom;
    use ring::signature::{Ed25519KeyPair, KeyPair};

    /// SubjectPublicKeyInfo for Ed25519 (RFC 8410) up to the 32 key bytes: SEQUENCE,
    /// AlgorithmIdentifier { id-Ed25519 }, BIT STRING of 33 bytes (no unused bits).
    const SPKI_PREFIX: [u8; 12] = [
        0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
    ];
    let private = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new())
        .map_err(|_| anyhow::anyhow!("generating an Ed25519 key failed"))?;
    let pair = Ed25519KeyPair::from_pkcs8(private.as_ref())
        .map_err(|_| anyhow::anyhow!("reading the new Ed25519 key failed"))?;
    let public = [&SPKI_PREFIX[..], pair.public_key().as_ref()].concat();
    let private_pem = pem::encode(&pem::Pem::new("PRIVATE KEY", private.as_ref().to_vec()));
    let public_pem = pem::encode(&pem::Pem::new("PUBLIC KEY", public));
    Ok((private_pem, public_pem))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn audience() -> TokenAudience {
        TokenAudience {
            issuer: "test-issuer".into(),
            audience: "test-audience".into(),
        }
    }

    fn pair() -> (TokenIssuer, TokenVerifier) {
        let (private, public) = generate_key_pair().expect("keys");
        (
            TokenIssuer::from_pem(private.as_bytes(), audience(), MAX_TTL).expect("issuer"),
            TokenVerifier::from_pem(public.as_bytes(), audience()).expect("verifier"),
        )
    }

    #[test]
    fn issued_tokens_verify() {
        let (issuer, verifier) = pair();
        let user = Uuid::now_v7();
        let token = issuer.issue(user, Role::Admin, 1).expect("token");
        let claims = verifier.verify(&token).expect("valid");
        assert_eq!(claims.sub, user);
        assert_eq!(claims.role, Role::Admin);
        assert!(claims.exp - claims.iat <= 3600);
        assert_eq!(claims.sv, 1);
    }

    fn signed(issuer: &TokenIssuer, iat: i64, exp: i64) -> String {
        let claims = Claims {
            sub: Uuid::now_v7(),
            role: Role::Customer,
            iat,
            exp,
            iss: issuer.audience.issuer.clone(),
            aud: issuer.audience.audience.clone(),
            sv: 1,
        };
        jsonwebtoken::encode(&Header::new(Algorithm::EdDSA), &claims, &issuer.key).expect("sign")
    }

    #[test]
    fn lifetimes_longer_than_issued_fail() {
        let (issuer, verifier) = pair();
        let now = Utc::now().timestamp();
        assert!(verifier.verify(&signed(&issuer, now, now + 3600)).is_ok());
        assert!(matches!(
            verifier.verify(&signed(&issuer, now, now + 365 * 86_400)),
            Err(TokenError::LifetimeTooLong(_))
        ));
    }

    #[test]
    fn tokens_issued_in_the_future_fail() {
        let (issuer, verifier) = pair();
        let now = Utc::now().timestamp();
        assert!(
            verifier
                .verify(&signed(&issuer, now + 10, now + 600))
                .is_ok()
        );
        assert!(matches!(
            verifier.verify(&signed(&issuer, now + 86_400, now + 86_400 + 600)),
            Err(TokenError::IssuedInTheFuture(_))
        ));
    }

    #[test]
    fn tokens_from_another_key_fail() {
        let (issuer, _) = pair();
        let (_, other_verifier) = pair();
        let token = issuer
            .issue(Uuid::now_v7(), Role::Customer, 1)
            .expect("token");
        assert!(other_verifier.verify(&token).is_err());
    }

    #[test]
    fn ttl_is_capped_at_an_hour() {
        let (private, _) = generate_key_pair().expect("keys");
        let issuer =
            TokenIssuer::from_pem(private.as_bytes(), audience(), Duration::from_secs(86_400))
                .expect("issuer");
        assert_eq!(issuer.ttl(), MAX_TTL);
    }

    #[test]
    fn wrong_audience_fails() {
        let (private, public) = generate_key_pair().expect("keys");
        let issuer =
            TokenIssuer::from_pem(private.as_bytes(), audience(), MAX_TTL).expect("issuer");
        let verifier = TokenVerifier::from_pem(
            public.as_bytes(),
            TokenAudience {
                issuer: "test-issuer".into(),
                audience: "someone-else".into(),
            },
        )
        .expect("verifier");
        let token = issuer
            .issue(Uuid::now_v7(), Role::Customer, 1)
            .expect("token");
        assert!(verifier.verify(&token).is_err());
    }
}
