//! HTTP clients for outside services (the AI provider, webhook receivers, CloudFormation's
//! response URL): reqwest over rustls with ring, the one crypto provider of every TLS
//! connection a function makes (the AWS SDK's: `aws_env`; the database's: sqlx).

/// A client builder. reqwest is built without a crypto provider of its own (its own would be
/// aws-lc, a second and much larger one), so ring is installed as the process's first.
pub fn builder() -> reqwest::ClientBuilder {
    install_crypto_provider();
    reqwest::Client::builder()
}

/// Makes ring the process's rustls provider, once (a webhook delivery builds a client each time).
pub fn install_crypto_provider() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        // An Err only says a provider is installed already, which is all this wants.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_builds_with_ring_installed() {
        assert!(builder().build().is_ok());
        assert!(rustls::crypto::CryptoProvider::get_default().is_some());
    }
}
