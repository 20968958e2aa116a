//! TLS to the database that verifies the server: with `sslmode=verify-full` (the deployed
//! `DATABASE_URL`) a function connects only to a server whose certificate chains to a trusted
//! authority and names the host it dialled.
//!
//! RDS Proxy presents a certificate from AWS Certificate Manager, which chains to the Amazon
//! Trust Services roots; those are built into every binary (`shared/certs/amazon-root-ca.pem`),
//! so a Lambda needs no file beside its `bootstrap`. `DATABASE_CA_CERT` names another PEM bundle
//! instead (a direct RDS connection with the RDS CA bundle, a local server's certificate). The
//! bundle is read and checked once, at start-up: a missing or empty file stops the function
//! there instead of failing each connection later.
//!
//! That bundle is all a connection trusts. sqlx's rustls TLS would add Mozilla's public roots
//! (webpki-roots) beside it, so that any public CA could vouch for the database; the workspace
//! patches webpki-roots to an empty list (`vendor/webpki-roots-empty`), where sqlx's
//! native-roots variant would read the system store (or `SSL_CERT_FILE`, process-wide) at every
//! handshake. The crypto is ring's, as for every other TLS connection (`http_client`).

use sqlx::postgres::{PgConnectOptions, PgSslMode};

use crate::config::ConfigError;

/// Amazon Root CA 1-4: what RDS Proxy's certificates chain to.
pub const AMAZON_ROOTS: &str = include_str!("../certs/amazon-root-ca.pem");

const VARIABLE: &str = "DATABASE_CA_CERT";

/// `server` with the certificate authorities to verify it by, when its ssl mode verifies
/// (`verify-ca`, `verify-full`): the bundle at `ca_path`, or the built-in Amazon roots. Other
/// modes are left as they are (locally: no TLS, or TLS without verification).
pub fn with_trusted_roots(
    server: PgConnectOptions,
    ca_path: Option<&str>,
) -> Result<PgConnectOptions, ConfigError> {
    if !matches!(
        server.get_ssl_mode(),
        PgSslMode::VerifyCa | PgSslMode::VerifyFull
    ) {
        return Ok(server);
    }
    let bundle = match ca_path {
        Some(path) => std::fs::read(path).map_err(|error| ConfigError::Malformed {
            name: VARIABLE,
            reason: format!("{path}: {error}"),
        })?,
        None => AMAZON_ROOTS.as_bytes().to_vec(),
    };
    let certificates = certificate_count(&bundle).map_err(|reason| ConfigError::Malformed {
        name: VARIABLE,
        reason: format!(
            "{}: {reason}",
            ca_path.unwrap_or("the built-in Amazon roots")
        ),
    })?;
    tracing::debug!(certificates, "database TLS verifies the server");
    Ok(server.ssl_root_cert_from_pem(bundle))
}

/// How many certificates a PEM bundle holds; an error when it holds none or is not PEM.
fn certificate_count(bundle: &[u8]) -> Result<usize, String> {
    let blocks = pem::parse_many(bundle).map_err(|error| format!("not a PEM bundle: {error}"))?;
    let count = blocks
        .iter()
        .filter(|block| block.tag() == "CERTIFICATE")
        .count();
    if count == 0 {
        return Err("no CERTIFICATE in the bundle".into());
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db_role::server_options;

    #[test]
    fn sqlx_adds_no_public_roots_beside_the_bundle() {
        // The list sqlx's rustls TLS adds to every connection's trust store.
        assert!(webpki_roots::TLS_SERVER_ROOTS.is_empty());
    }

    #[test]
    fn the_built_in_bundle_holds_the_four_amazon_roots() {
        assert_eq!(certificate_count(AMAZON_ROOTS.as_bytes()), Ok(4));
    }

    #[test]
    fn modes_that_do_not_verify_are_left_alone() {
        let server = server_options("postgres://db.example/shop?sslmode=require").expect("url");
        let options = with_trusted_roots(server, Some("/nonexistent/ca.pem")).expect("untouched");
        assert!(matches!(options.get_ssl_mode(), PgSslMode::Require));
    }

    #[test]
    fn a_missing_or_empty_bundle_stops_start_up() {
        let server = || server_options("postgres://db.example/shop?sslmode=verify-full").unwrap();
        let missing = with_trusted_roots(server(), Some("/nonexistent/ca.pem")).unwrap_err();
        assert!(
            missing.to_string().contains("DATABASE_CA_CERT"),
            "{missing}"
        );

        let empty = std::env::temp_dir().join(format!("empty-ca-{}.pem", std::process::id()));
        std::fs::write(&empty, "not a certificate\n").expect("write");
        let error = with_trusted_roots(server(), empty.to_str()).unwrap_err();
        std::fs::remove_file(&empty).ok();
        assert!(error.to_string().contains("no CERTIFICATE"), "{error}");
    }
}
