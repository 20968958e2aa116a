//! `localstack/fake_provider.py` as a real HTTP server on loopback, one per test.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

pub struct FakeProvider {
    child: Child,
    pub url: String,
}

impl FakeProvider {
    /// Starts it on a free port and waits for the line naming its address.
    pub fn start() -> Self {
        let script = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../localstack/fake_provider.py"
        );
        let mut child = Command::new("python3")
            .args([script, "--port", "0", "--delay-ms", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("python3 runs the fake provider");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout);
        let mut first = String::new();
        lines
            .read_line(&mut first)
            .expect("the fake provider names its address");
        // It logs a line per call: keep reading, or its writes fail once the pipe is full or closed.
        std::thread::spawn(move || {
            let mut line = String::new();
            while lines.read_line(&mut line).is_ok_and(|read| read > 0) {
                line.clear();
            }
        });
        let line: Value = serde_json::from_str(&first).expect("a JSON line");
        let url = line["listening"].as_str().expect("listening").to_owned();
        Self { child, url }
    }

    /// The last request the provider saw for an order: `{"headers", "body"}`.
    pub async fn last_request(&self, order_id: uuid::Uuid) -> Value {
        testkit::http::get(format!("{}/requests/{order_id}", self.url))
            .await
            .expect("the fake provider answers")
            .json()
            .await
            .expect("JSON")
    }

    pub async fn calls_for(&self, order_id: uuid::Uuid) -> u64 {
        let stats: Value = testkit::http::get(format!("{}/stats", self.url))
            .await
            .expect("the fake provider answers")
            .json()
            .await
            .expect("JSON");
        stats["calls"][order_id.to_string()].as_u64().unwrap_or(0)
    }
}

impl Drop for FakeProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
