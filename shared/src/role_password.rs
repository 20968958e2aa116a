//! A role's password as Postgres stores it: a salted SCRAM-SHA-256 verifier, computed here so
//! `ALTER ROLE ... PASSWORD` never carries the password itself (statement logs and
//! `pg_stat_statements` keep a statement's text). Postgres stores a verifier it is given as is.
//!
//! The stack's generated passwords are alphanumeric, so SASLprep (which Postgres applies to the
//! password at sign-in) leaves them unchanged.

use std::num::NonZeroU32;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ring::rand::{SecureRandom, SystemRandom};
use ring::{digest, hmac, pbkdf2};

/// Postgres's own default iteration count (`scram_iterations`).
const ITERATIONS: u32 = 4096;
const SALT_BYTES: usize = 16;

/// `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>` for `password`, with a fresh salt.
pub fn scram_verifier(password: &str) -> anyhow::Result<String> {
    let mut salt = [0u8; SALT_BYTES];
    SystemRandom::new()
        .fill(&mut salt)
        .map_err(|_| anyhow::anyhow!("no randomness for a salt"))?;
    Ok(verifier_with_salt(password, &salt, ITERATIONS))
}

fn verifier_with_salt(password: &str, salt: &[u8], iterations: u32) -> String {
    let (stored_key, server_key) = keys(password, salt, iterations);
    format!(
        "SCRAM-SHA-256${iterations}:{}${}:{}",
        STANDARD.encode(salt),
        STANDARD.encode(stored_key),
        STANDARD.encode(server_key)
    )
}

/// RFC 5802: (StoredKey, ServerKey) of a password.
fn keys(password: &str, salt: &[u8], iterations: u32) -> (Vec<u8>, Vec<u8>) {
    let mut salted = [0u8; 32];
    let rounds = NonZeroU32::new(iterations).unwrap_or(NonZeroU32::MIN);
    pbkdf2::derive(
        pbkdf2::PBKDF2_HMAC_SHA256,
        rounds,
        salt,
        password.as_bytes(),
        &mut salted,
    );
    let key = hmac::Key::new(hmac::HMAC_SHA256, &salted);
    let client_key = hmac::sign(&key, b"Client Key");
    let stored_key = digest::digest(&digest::SHA256, client_key.as_ref());
    let server_key = hmac::sign(&key, b"Server Key");
    (stored_key.as_ref().to_vec(), server_key.as_ref().to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The exchange of RFC 7677, section 3 (user "user", password "pencil").
    const SALT: &str = "W22ZaJ0SNY7soEsUEjb6gQ==";
    const AUTH_MESSAGE: &str = "n=user,r=rOprNGfwEbeRWgbNEkqO,\
        r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,\
        c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    const CLIENT_PROOF: &str = "dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    const SERVER_SIGNATURE: &str = "6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

    fn part(verifier: &str, index: usize) -> Vec<u8> {
        let (_, keys) = verifier.rsplit_once('$').expect("keys");
        let (stored, server) = keys.split_once(':').expect("two keys");
        STANDARD.decode([stored, server][index]).expect("base64")
    }

    #[test]
    fn the_verifier_accepts_the_rfc_7677_exchange() {
        let salt = STANDARD.decode(SALT).expect("salt");
        let verifier = verifier_with_salt("pencil", &salt, 4096);
        assert!(verifier.starts_with("SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$"));
        let (stored_key, server_key) = (part(&verifier, 0), part(&verifier, 1));

        // The server side of the exchange, with nothing but the verifier: the client's proof
        // recovers a key whose hash is StoredKey, and ServerKey signs what the client expects.
        let signature = hmac::sign(
            &hmac::Key::new(hmac::HMAC_SHA256, &stored_key),
            AUTH_MESSAGE.as_bytes(),
        );
        let proof = STANDARD.decode(CLIENT_PROOF).expect("proof");
        let client_key: Vec<u8> = proof
            .iter()
            .zip(signature.as_ref())
            .map(|(a, b)| a ^ b)
            .collect();
        assert_eq!(
            digest::digest(&digest::SHA256, &client_key).as_ref(),
            stored_key.as_slice()
        );
        let server_signature = hmac::sign(
            &hmac::Key::new(hmac::HMAC_SHA256, &server_key),
            AUTH_MESSAGE.as_bytes(),
        );
        assert_eq!(STANDARD.encode(server_signature.as_ref()), SERVER_SIGNATURE);
    }

    #[test]
    fn each_verifier_has_its_own_salt_and_never_the_password() {
        let first = scram_verifier("alphanumeric123").expect("verifier");
        let second = scram_verifier("alphanumeric123").expect("verifier");
        assert_ne!(first, second);
        assert!(!first.contains("alphanumeric123"));
    }
}
