//! Real local AWS APIs for tests: moto's server on a free loopback port, and clients for it.

/// An SQS client for a local SQS API (moto) at `endpoint`, with throwaway credentials.
pub fn local_sqs_client(endpoint: &str) -> aws_sdk_sqs::Client {
    use aws_sdk_sqs::config::{BehaviorVersion, Credentials, Region};
    let config = aws_sdk_sqs::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("test", "test", None, None, "testkit"))
        .http_client(shared::aws_env::https_client())
        .endpoint_url(endpoint)
        .build();
    aws_sdk_sqs::Client::from_conf(config)
}

/// moto's SQS API on a free loopback port, for tests that need a real queue; stopped (by its
/// pid) when dropped. The binary comes from `make tools`.
pub struct MotoServer {
    child: std::process::Child,
    endpoint: String,
}

/// A queue with a dead-letter queue behind it, as `localstack/create_queues.py` makes them.
pub struct TestQueues {
    pub queue: shared::orders::queue::OrderQueue,
    pub dlq_url: String,
}

impl MotoServer {
    /// The venv's Python, which runs moto's server as the local stack does
    /// (`localstack/sqs_server.py`).
    pub const BINARY: &'static str =
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../.local/venv/bin/python");
    const SERVER: &'static str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../localstack/sqs_server.py"
    );

    pub async fn start() -> Self {
        assert!(
            std::path::Path::new(Self::BINARY).exists(),
            "{} is missing: run `make tools` first",
            Self::BINARY
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free loopback port")
            .port();
        let child = std::process::Command::new(Self::BINARY)
            .args([Self::SERVER, "-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("moto_server starts");
        let server = Self {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
        };
        let ready = format!("{}/moto-api/", server.endpoint);
        for _ in 0..200 {
            if crate::http::get(&ready)
                .await
                .is_ok_and(|response| response.status().is_success())
            {
                return server;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("moto_server did not answer at {ready} within 20 s");
    }

    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    pub fn sqs_client(&self) -> aws_sdk_sqs::Client {
        local_sqs_client(&self.endpoint)
    }

    /// moto's Secrets Manager API (it serves every API on the one port).
    pub fn secrets_client(&self) -> aws_sdk_secretsmanager::Client {
        use aws_sdk_secretsmanager::config::{BehaviorVersion, Credentials, Region};
        let config = aws_sdk_secretsmanager::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new("test", "test", None, None, "testkit"))
            .http_client(shared::aws_env::https_client())
            .endpoint_url(&self.endpoint)
            .build();
        aws_sdk_secretsmanager::Client::from_conf(config)
    }

    /// Creates the secret `name` with `value`; returns its ARN.
    pub async fn secret(&self, name: &str, value: &str) -> String {
        self.secrets_client()
            .create_secret()
            .name(name)
            .secret_string(value)
            .send()
            .await
            .expect("moto creates the secret")
            .arn
            .expect("an ARN")
    }

    /// `name` and `name-dlq`: a message moves to the DLQ on the receive after
    /// `max_receive_count`. `visibility_timeout` 0 makes a failed message visible again at once
    /// unless the consumer sets its own back-off, which tests can then observe.
    pub async fn queues(
        &self,
        name: &str,
        visibility_timeout: u32,
        max_receive_count: u32,
    ) -> TestQueues {
        use aws_sdk_sqs::types::QueueAttributeName;
        let client = self.sqs_client();
        let dlq_url = client
            .create_queue()
            .queue_name(format!("{name}-dlq"))
            .send()
            .await
            .expect("create the dead-letter queue")
            .queue_url
            .expect("dead-letter queue url");
        let dlq_arn = client
            .get_queue_attributes()
            .queue_url(&dlq_url)
            .attribute_names(QueueAttributeName::QueueArn)
            .send()
            .await
            .expect("dead-letter queue attributes")
            .attributes
            .and_then(|mut attributes| attributes.remove(&QueueAttributeName::QueueArn))
            .expect("dead-letter queue arn");
        let policy = serde_json::json!({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": max_receive_count.to_string()});
        let url = client
            .create_queue()
            .queue_name(name)
            .attributes(
                QueueAttributeName::VisibilityTimeout,
                visibility_timeout.to_string(),
            )
            .attributes(QueueAttributeName::RedrivePolicy, policy.to_string())
            .send()
            .await
            .expect("create the queue")
            .queue_url
            .expect("queue url");
        TestQueues {
            queue: shared::orders::queue::OrderQueue::new(client, url),
            dlq_url,
        }
    }
}

impl Drop for MotoServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
