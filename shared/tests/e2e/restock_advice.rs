//! The AI restock note through the local stack: the local event source runs `restock-advice`
//! on its short schedule (`ADVICE_INTERVAL_SECONDS`, 5 s under `localstack/e2e.sh`), the note is
//! written by the fake provider and staff read it at `GET /restock/suggestions`.

use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::client::Stack;

/// A few schedule periods, and the first invocation's start-up.
const WRITTEN_WITHIN: Duration = Duration::from_secs(120);

#[tokio::test]
#[ignore = "needs the local stack: localstack/e2e.sh"]
async fn a_restock_note_appears_beside_the_suggestions() {
    let stack = Stack::from_env();
    let admin = stack.admin().await;
    let sku = format!("ADV-{}", &uuid::Uuid::new_v4().simple().to_string()[..10]);
    let created = stack
        .call(
            Method::POST,
            "/products",
            Some(&admin),
            Some(json!({"sku": sku, "name": "Empty shelf", "price_cents": 700, "stock": 0})),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);

    let deadline = Instant::now() + WRITTEN_WITHIN;
    loop {
        let listed = stack
            .call(Method::GET, "/restock/suggestions", Some(&admin), None)
            .await;
        assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
        assert!(
            listed.body["items"]
                .as_array()
                .is_some_and(|items| items.iter().any(|item| item["sku"] == sku.as_str())),
            "the empty product is suggested: {}",
            listed.body
        );
        let advice = &listed.body["advice"];
        let written = advice["status"] == "ready"
            && advice["text"]
                .as_str()
                .is_some_and(|text| text.starts_with("Fake restock note"));
        if written {
            assert!(advice["generated_at"].is_string(), "{advice}");
            return;
        }
        assert!(
            Instant::now() < deadline,
            "no restock note within {WRITTEN_WITHIN:?}: {advice}"
        );
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}
