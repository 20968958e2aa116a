//! Counts round trips to Postgres: a loopback proxy in front of the server that reads what
//! clients send and counts each `Sync` and simple `Query` message, the points where a client
//! waits for the server's answer (a prepared statement's run, a ping, `BEGIN`, `COMMIT`).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub struct RoundTripCounter {
    pub port: u16,
    count: Arc<AtomicU64>,
}

impl RoundTripCounter {
    /// Listens on a free loopback port and forwards every connection to `server_port`.
    pub async fn start(server_host: &str, server_port: u16) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("address").port();
        let count = Arc::new(AtomicU64::new(0));
        let counting = count.clone();
        let server = format!("{server_host}:{server_port}");
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let upstream = TcpStream::connect(&server).await.expect("server");
                tokio::spawn(relay(client, upstream, counting.clone()));
            }
        });
        Self { port, count }
    }

    pub fn count(&self) -> u64 {
        self.count.load(Ordering::Relaxed)
    }
}

async fn relay(client: TcpStream, server: TcpStream, count: Arc<AtomicU64>) {
    let (mut from_client, mut to_server) = client.into_split();
    let (mut from_server, mut to_client) = server.into_split();
    let answers = tokio::spawn(async move {
        let _ = tokio::io::copy(&mut from_server, &mut to_client).await;
        let _ = to_client.shutdown().await;
    });
    let _ = forward_counting(&mut from_client, &mut to_server, &count).await;
    let _ = to_server.shutdown().await;
    let _ = answers.await;
}

/// Copies the client's bytes on, counting the typed messages among them. The first messages
/// (SSL request, startup) carry no type byte; every later one is a type byte and a length.
async fn forward_counting(
    from: &mut (impl AsyncReadExt + Unpin),
    to: &mut (impl AsyncWriteExt + Unpin),
    count: &AtomicU64,
) -> std::io::Result<()> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    let mut started = false;
    loop {
        let read = from.read(&mut chunk).await?;
        if read == 0 {
            return Ok(());
        }
        to.write_all(&chunk[..read]).await?;
        buffer.extend_from_slice(&chunk[..read]);
        loop {
            if !started {
                if buffer.len() < 8 {
                    break;
                }
                let length = u32::from_be_bytes([buffer[0], buffer[1], buffer[2], buffer[3]]);
                if buffer.len() < length as usize {
                    break;
                }
                let code = u32::from_be_bytes([buffer[4], buffer[5], buffer[6], buffer[7]]);
                buffer.drain(..length as usize);
                // 80877103: SSLRequest, answered with one byte before the startup message.
                started = code != 80877103;
                continue;
            }
            if buffer.len() < 5 {
                break;
            }
            let length = u32::from_be_bytes([buffer[1], buffer[2], buffer[3], buffer[4]]) as usize;
            if buffer.len() < 1 + length {
                break;
            }
            if matches!(buffer[0], b'S' | b'Q') {
                count.fetch_add(1, Ordering::Relaxed);
            }
            buffer.drain(..1 + length);
        }
    }
}
