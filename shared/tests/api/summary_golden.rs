//! The golden scenarios (`tests/fixtures/summary_scenarios.json`): every scenario is placed
//! through the real handlers, its flags are computed from the database and compared with the
//! expected ones, and the whole pipeline runs against the fake provider on loopback.

use std::collections::HashMap;

use aws_lambda_events::event::sqs::SqsMessage;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};
use shared::orders::queue::OrderMessage;
use shared::summary::{Disposition, SummaryConsumer, SummarySettings, facts, rules};
use sqlx::PgPool;
use testkit::TestApp;
use uuid::Uuid;

use crate::fake_provider::FakeProvider;

#[derive(Deserialize)]
pub struct Golden {
    pub scenarios: Vec<Scenario>,
}

#[derive(Deserialize)]
pub struct Scenario {
    pub name: String,
    products: HashMap<String, Product>,
    history: Vec<PastOrder>,
    sales: Vec<PastOrder>,
    order: Vec<(String, i64)>,
    archive: Vec<String>,
    pub expect_flags: Vec<String>,
    /// `ready` (default) or `retry`.
    #[serde(default)]
    provider: Option<String>,
    /// Absent: the fake provider's risk for the number of flags; `null`: none (plain text).
    #[serde(default, deserialize_with = "present")]
    expect_risk: Option<Option<String>>,
}

fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

#[derive(Deserialize)]
struct Product {
    name: String,
    price_cents: i64,
    stock: i64,
    #[serde(default = "five")]
    threshold: i64,
}

fn five() -> i64 {
    5
}

#[derive(Deserialize)]
struct PastOrder {
    items: Vec<(String, i64)>,
    days_ago: i64,
    #[serde(default)]
    cancelled: bool,
}

impl Scenario {
    pub fn talks_to_a_fake(&self) -> bool {
        self.products
            .values()
            .any(|p| p.name.contains("[provider:"))
    }
}

pub fn golden() -> Golden {
    let raw = include_str!("../fixtures/summary_scenarios.json");
    serde_json::from_str(raw).expect("the golden scenarios parse")
}

/// Places a scenario; returns the order to summarise.
pub async fn seed(app: &TestApp, db: &PgPool, admin: &str, index: usize, s: &Scenario) -> Uuid {
    let mut ids = HashMap::new();
    for (key, product) in &s.products {
        let id = app
            .post("/products")
            .bearer(admin)
            .json(&json!({
                "sku": format!("{key}-{index}"), "name": product.name, "price_cents": product.price_cents,
                "stock": product.stock, "low_stock_threshold": product.threshold,
            }))
            .send()
            .await
            .expect(StatusCode::CREATED)
            .id();
        ids.insert(key.clone(), id);
    }
    let (_, customer) = app.customer().await;
    let (_, other) = app.customer().await;
    for (token, past) in s
        .history
        .iter()
        .map(|p| (&customer, p))
        .chain(s.sales.iter().map(|p| (&other, p)))
    {
        let id = place(app, token, &ids, &past.items).await;
        if past.cancelled {
            app.post(&format!("/orders/{id}/cancel"))
                .bearer(token)
                .send()
                .await
                .expect(StatusCode::OK);
        }
        sqlx::query(
            "UPDATE orders.orders SET created_at = now() - make_interval(days => $2) WHERE id = $1",
        )
        .bind(id)
        .bind(past.days_ago as i32)
        .execute(db)
        .await
        .expect("backdate");
    }
    // Backdating bypasses the report rollups' triggers; the summary's sales figures read them.
    sqlx::query("SELECT reports.rebuild()")
        .execute(db)
        .await
        .expect("rollups rebuilt");
    let order = place(app, &customer, &ids, &s.order).await;
    for key in &s.archive {
        app.request(
            axum::http::Method::DELETE,
            &format!("/products/{}", ids[key]),
        )
        .bearer(admin)
        .send()
        .await
        .expect(StatusCode::NO_CONTENT);
    }
    order
}

async fn place(
    app: &TestApp,
    token: &str,
    ids: &HashMap<String, String>,
    items: &[(String, i64)],
) -> Uuid {
    let items: Vec<Value> = items
        .iter()
        .map(|(key, quantity)| json!({"product_id": ids[key], "quantity": quantity}))
        .collect();
    let id = app
        .post("/orders")
        .bearer(token)
        .json(&json!({ "items": items }))
        .send()
        .await
        .expect(StatusCode::CREATED)
        .id();
    Uuid::parse_str(&id).expect("uuid")
}

pub fn delivery(order_id: Uuid) -> SqsMessage {
    let mut message = SqsMessage::default();
    message.message_id = Some(Uuid::now_v7().to_string());
    message.receipt_handle = Some("handle".into());
    message.body = Some(
        serde_json::to_string(&OrderMessage {
            order_id,
            correlation_id: Uuid::now_v7(),
        })
        .expect("encode"),
    );
    message
        .attributes
        .insert("ApproximateReceiveCount".into(), "1".into());
    message
}

fn fake_risk(flags: usize) -> &'static str {
    ["low", "medium", "high"][flags.min(2)]
}

#[sqlx::test(migrations = "../migrations")]
async fn every_golden_scenario_gets_its_flags_and_its_summary(db: PgPool) {
    let golden = golden();
    assert!(golden.scenarios.len() >= 30, "at least 30 scenarios");
    let app = TestApp::new(db.clone());
    let (_, admin) = app.admin().await;
    let mut orders = Vec::new();
    for (index, scenario) in golden.scenarios.iter().enumerate() {
        orders.push(seed(&app, &db, &admin, index, scenario).await);
    }

    // Facts and flags, by code alone.
    let mut wrong = Vec::new();
    for (scenario, order) in golden.scenarios.iter().zip(&orders) {
        let facts = facts::load(&db, *order)
            .await
            .expect("facts")
            .expect("order");
        let codes: Vec<String> = rules::flags(&facts).into_iter().map(|f| f.code).collect();
        if codes != scenario.expect_flags {
            wrong.push(format!(
                "{}: expected {:?}, got {codes:?}",
                scenario.name, scenario.expect_flags
            ));
        }
    }
    assert!(wrong.is_empty(), "flags differ:\n{}", wrong.join("\n"));

    // The pipeline, against a real HTTP server that answers like OpenRouter.
    let provider = FakeProvider::start();
    let mut settings = SummarySettings::for_provider(&provider.url, Some("test-key".into()));
    settings.provider.models = vec!["test/primary".into(), "test/fallback".into()];
    let consumer = SummaryConsumer::new(db.clone(), settings).expect("consumer");
    for (scenario, order) in golden.scenarios.iter().zip(&orders) {
        let disposition = consumer.process(&delivery(*order)).await;
        let (status, risk, flags, model): (String, Option<String>, Value, Option<String>) = sqlx::query_as(
            "SELECT summary_status, summary_risk, summary_flags, summary_model FROM orders.orders WHERE id = $1",
        )
        .bind(order)
        .fetch_one(&db)
        .await
        .expect("order");
        let paid: i64 =
            sqlx::query_scalar("SELECT count(*) FROM orders.ai_usage WHERE order_id = $1")
                .bind(order)
                .fetch_one(&db)
                .await
                .expect("usage");
        if scenario.provider.as_deref() == Some("retry") {
            assert!(
                matches!(disposition, Disposition::RetryLater { .. }),
                "{}: {disposition:?}",
                scenario.name
            );
            assert_eq!((status.as_str(), paid), ("pending", 0), "{}", scenario.name);
            continue;
        }
        assert_eq!(disposition, Disposition::Stored, "{}", scenario.name);
        let expected_risk = match &scenario.expect_risk {
            Some(risk) => risk.clone(),
            None => Some(fake_risk(scenario.expect_flags.len()).to_owned()),
        };
        assert_eq!(
            (status.as_str(), &risk),
            ("ready", &expected_risk),
            "{}",
            scenario.name
        );
        let stored: Vec<&str> = flags
            .as_array()
            .expect("flags array")
            .iter()
            .map(|flag| flag["code"].as_str().expect("code"))
            .collect();
        assert_eq!(stored, scenario.expect_flags, "{}", scenario.name);
        assert_eq!(model.as_deref(), Some("test/primary"), "{}", scenario.name);
        assert_eq!(paid, 1, "{}", scenario.name);

        // What was sent: the structured request, and nothing the customer wrote.
        let seen = provider.last_request(*order).await;
        let body = &seen["body"];
        assert_eq!(body["response_format"]["json_schema"]["strict"], true);
        assert_eq!(body["provider"]["require_parameters"], true);
        assert_eq!(body["usage"]["include"], true);
        assert_eq!(body["models"], json!(["test/primary", "test/fallback"]));
        assert_eq!(seen["headers"]["x-title"], "Shop order summaries");
        assert!(
            seen["headers"]["http-referer"]
                .as_str()
                .is_some_and(|r| r.starts_with("http"))
        );
        let email: String = sqlx::query_scalar(
            "SELECT u.email FROM auth.users u JOIN orders.orders o ON o.user_id = u.id WHERE o.id = $1",
        )
        .bind(order)
        .fetch_one(&db)
        .await
        .expect("email");
        let sent = body["messages"].to_string();
        assert!(
            !sent.contains(&email),
            "{}: the customer's email reached the prompt",
            scenario.name
        );
    }
}
