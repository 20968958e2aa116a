//! `sslmode=verify-full` verifies the server: against the local Postgres's own certificate
//! (Debian's self-signed one for `localhost`), a connection trusting only the built-in Amazon
//! roots is refused, and one trusting that certificate (`DATABASE_CA_CERT`) gets TLS.

use shared::db::connect_with;
use shared::db_role::server_options;
use shared::db_tls::with_trusted_roots;
use sqlx::PgPool;

/// The server's certificate file, when it serves TLS with one this process can read.
async fn server_certificate() -> Option<String> {
    let url = std::env::var("DATABASE_URL").expect("DATABASE_URL");
    let pool = PgPool::connect(&url).await.expect("server");
    let ssl: String = sqlx::query_scalar("SHOW ssl").fetch_one(&pool).await.ok()?;
    let file: String = sqlx::query_scalar("SHOW ssl_cert_file")
        .fetch_one(&pool)
        .await
        .ok()?;
    pool.close().await;
    (ssl == "on" && std::fs::read(&file).is_ok()).then_some(file)
}

/// `DATABASE_URL` with host `localhost` (the name in Debian's certificate) and `verify-full`.
fn verify_full_url() -> String {
    let url = std::env::var("DATABASE_URL").expect("DATABASE_URL");
    let url = url.replace("@127.0.0.1", "@localhost");
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}sslmode=verify-full")
}

#[tokio::test]
async fn verify_full_refuses_an_untrusted_server_and_accepts_a_trusted_one() {
    let Some(certificate) = server_certificate().await else {
        println!(
            "the local Postgres serves no readable TLS certificate; nothing to verify against"
        );
        return;
    };
    let server = server_options(&verify_full_url()).expect("url");

    let amazon_only = with_trusted_roots(server.clone(), None).expect("built-in roots");
    let refused = connect_with(amazon_only, 1)
        .await
        .expect_err("a self-signed server is not trusted");
    let refused = format!("{refused:?}");
    assert!(
        refused.to_lowercase().contains("certificate") || refused.contains("UnknownIssuer"),
        "{refused}"
    );

    let trusted = with_trusted_roots(server, Some(&certificate)).expect("its certificate");
    let pool = connect_with(trusted, 1).await.expect("a trusted server");
    let encrypted: bool =
        sqlx::query_scalar("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            .fetch_one(&pool)
            .await
            .expect("ssl state");
    assert!(encrypted, "the connection is TLS");
    pool.close().await;
}
