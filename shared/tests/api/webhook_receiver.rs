//! `localstack/webhook_receiver.py` as a real HTTP server on loopback, one per test: it verifies
//! signatures with the PyPI `standardwebhooks` package, deduplicates on `webhook-id` and counts.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use serde_json::{Value, json};

pub struct Receiver {
    child: Child,
    pub url: String,
}

impl Receiver {
    /// Starts it (with the venv's Python, which has `standardwebhooks`) on a free port.
    pub fn start() -> Self {
        let script = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../localstack/webhook_receiver.py"
        );
        let python = concat!(env!("CARGO_MANIFEST_DIR"), "/../.local/venv/bin/python");
        let mut child = Command::new(python)
            .args([script, "--port", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the venv's python runs the receiver (make tools)");
        let stdout = child.stdout.take().expect("stdout");
        let mut first = String::new();
        BufReader::new(stdout)
            .read_line(&mut first)
            .expect("the receiver names its address");
        let line: Value = serde_json::from_str(&first).expect("a JSON line");
        let url = line["listening"].as_str().expect("listening").to_owned();
        Self { child, url }
    }

    /// Where deliveries go.
    pub fn hook(&self) -> String {
        format!("{}/hook", self.url)
    }

    /// Sets the secret to verify with and how to answer.
    pub async fn control(&self, change: Value) {
        testkit::http::client()
            .post(format!("{}/control", self.url))
            .json(&change)
            .send()
            .await
            .expect("the receiver answers")
            .error_for_status()
            .expect("control accepted");
    }

    pub async fn expect_secret(&self, secret: &str) {
        self.control(json!({ "secret": secret })).await;
    }

    /// `{"posts", "unique", "accepted", "accepted_twice", "bad_signatures", "unverified", "by_id"}`.
    pub async fn state(&self) -> Value {
        testkit::http::get(format!("{}/state", self.url))
            .await
            .expect("the receiver answers")
            .json()
            .await
            .expect("JSON")
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
