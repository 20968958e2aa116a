//! The outbound HTTPS clients really speak TLS with the crypto they are built with (ring): an
//! `https://` request to a loopback listener opens with a TLS handshake record, from the AWS
//! SDK's client (`aws_env::https_client`) and from reqwest (`http_client::builder`). The tests
//! elsewhere reach moto, the fake provider and webhook receivers over plain HTTP.

use std::time::Duration;

use aws_sdk_sqs::config::{BehaviorVersion, Credentials, Region};
use tokio::io::AsyncReadExt;
use tokio::net::TcpListener;

/// TLS's record type for a handshake: the first byte of a ClientHello.
const HANDSHAKE_RECORD: u8 = 0x16;

/// A loopback port that accepts one connection and answers with that connection's first byte
/// (then hangs up, so the client's request fails).
async fn first_byte_listener() -> (u16, tokio::task::JoinHandle<u8>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let port = listener.local_addr().expect("its address").port();
    let first = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.expect("a connection");
        socket.read_u8().await.expect("a first byte")
    });
    (port, first)
}

#[tokio::test]
async fn the_aws_sdks_client_opens_https_with_a_tls_handshake() {
    let (port, first) = first_byte_listener().await;
    let config = aws_sdk_sqs::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("test", "test", None, None, "test"))
        .http_client(shared::aws_env::https_client())
        .endpoint_url(format!("https://127.0.0.1:{port}"))
        .build();
    let answer = aws_sdk_sqs::Client::from_conf(config)
        .list_queues()
        .send()
        .await;
    assert!(answer.is_err(), "the listener never answers");
    assert_eq!(first.await.expect("listener"), HANDSHAKE_RECORD);
}

#[tokio::test]
async fn reqwests_client_opens_https_with_a_tls_handshake() {
    let (port, first) = first_byte_listener().await;
    let client = shared::http_client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("a client");
    let answer = client
        .get(format!("https://127.0.0.1:{port}/"))
        .send()
        .await;
    assert!(answer.is_err(), "the listener never answers");
    assert_eq!(first.await.expect("listener"), HANDSHAKE_RECORD);
}
