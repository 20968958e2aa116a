//! jsonwebtoken's cryptography for the one algorithm the shop's tokens use, EdDSA (Ed25519),
//! on ring, the crypto library every other part of a function already links.
//!
//! jsonwebtoken's own providers are aws-lc and RustCrypto. The RustCrypto one answers every
//! algorithm, so each zip would carry RSA and two NIST curves for tokens the verifier refuses
//! anyway (`Validation::new(Algorithm::EdDSA)`). Here any other algorithm is refused when
//! signing and when verifying.

use jsonwebtoken::crypto::{CryptoProvider, JwtSigner, JwtVerifier, KeyUtils};
use jsonwebtoken::errors::{ErrorKind, Result};
use jsonwebtoken::signature::{self, Signer, Verifier};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey};
use ring::signature::{ED25519, Ed25519KeyPair, UnparsedPublicKey};

static PROVIDER: CryptoProvider = CryptoProvider {
    signer_factory,
    verifier_factory,
    // Nothing here reads or publishes a JWK, the only use of these.
    key_utils: KeyUtils::new_unimplemented(),
};

/// Makes this jsonwebtoken's provider for the process; later calls change nothing. The token
/// keys' constructors call it, so no token is signed or checked before it.
pub fn install() {
    // An Err only says a provider is installed already: this one, by an earlier call.
    let _ = PROVIDER.install_default();
}

fn signer_factory(algorithm: &Algorithm, key: &EncodingKey) -> Result<Box<dyn JwtSigner>> {
    if *algorithm != Algorithm::EdDSA {
        return Err(ErrorKind::InvalidAlgorithm.into());
    }
    // The PKCS#8 document `EncodingKey::from_ed_pem` keeps; v1 or v2 (with the public key).
    let pair = Ed25519KeyPair::from_pkcs8_maybe_unchecked(key.as_bytes())
        .map_err(|_| ErrorKind::InvalidEddsaKey)?;
    Ok(Box::new(Ed25519Signer(pair)))
}

fn verifier_factory(algorithm: &Algorithm, key: &DecodingKey) -> Result<Box<dyn JwtVerifier>> {
    if *algorithm != Algorithm::EdDSA {
        return Err(ErrorKind::InvalidAlgorithm.into());
    }
    // The 32 key bytes `DecodingKey::from_ed_pem` takes out of the SPKI document.
    let public = key.try_get_as_bytes()?;
    if public.len() != 32 {
        return Err(ErrorKind::InvalidEddsaKey.into());
    }
    Ok(Box::new(Ed25519Verifier(public.to_vec())))
}

struct Ed25519Signer(Ed25519KeyPair);

impl Signer<Vec<u8>> for Ed25519Signer {
    fn try_sign(&self, message: &[u8]) -> std::result::Result<Vec<u8>, signature::Error> {
        Ok(self.0.sign(message).as_ref().to_vec())
    }
}

impl JwtSigner for Ed25519Signer {
    fn algorithm(&self) -> Algorithm {
        Algorithm::EdDSA
    }
}

struct Ed25519Verifier(Vec<u8>);

impl Verifier<Vec<u8>> for Ed25519Verifier {
    fn verify(
        &self,
        message: &[u8],
        signature: &Vec<u8>,
    ) -> std::result::Result<(), signature::Error> {
        UnparsedPublicKey::new(&ED25519, &self.0)
            .verify(message, signature)
            .map_err(|_| signature::Error::new())
    }
}

impl JwtVerifier for Ed25519Verifier {
    fn algorithm(&self) -> Algorithm {
        Algorithm::EdDSA
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::tokens::generate_key_pair;
    use jsonwebtoken::{Header, Validation};
    use serde_json::{Value, json};

    fn keys() -> (EncodingKey, DecodingKey) {
        install();
        let (private, public) = generate_key_pair().expect("keys");
        (
            EncodingKey::from_ed_pem(private.as_bytes()).expect("private"),
            DecodingKey::from_ed_pem(public.as_bytes()).expect("public"),
        )
    }

    fn validation() -> Validation {
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.required_spec_claims.clear();
        validation.validate_exp = false;
        validation.validate_aud = false;
        validation
    }

    #[test]
    fn a_signed_token_verifies_and_a_changed_one_does_not() {
        let (signing, verifying) = keys();
        let token =
            jsonwebtoken::encode(&Header::new(Algorithm::EdDSA), &json!({"n": 1}), &signing)
                .expect("sign");
        let claims = jsonwebtoken::decode::<Value>(&token, &verifying, &validation())
            .expect("verify")
            .claims;
        assert_eq!(claims, json!({"n": 1}));

        let (head, rest) = token.split_once('.').expect("parts");
        let (_, signature) = rest.split_once('.').expect("parts");
        let other =
            jsonwebtoken::encode(&Header::new(Algorithm::EdDSA), &json!({"n": 2}), &signing)
                .expect("sign");
        let other_body = other.split('.').nth(1).expect("body");
        let spliced = format!("{head}.{other_body}.{signature}");
        assert!(jsonwebtoken::decode::<Value>(&spliced, &verifying, &validation()).is_err());

        let (_, strangers) = keys();
        assert!(jsonwebtoken::decode::<Value>(&token, &strangers, &validation()).is_err());
    }

    #[test]
    fn other_algorithms_are_refused() {
        let (signing, _) = keys();
        let hmac = jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &json!({}),
            &EncodingKey::from_secret(b"key"),
        );
        assert!(hmac.is_err());
        assert!(
            jsonwebtoken::encode(&Header::new(Algorithm::ES256), &json!({}), &signing).is_err()
        );
    }
}
