//! What staff need to ship an order: the customer's email, the shipping address and note on
//! the order, and the staff list's filters (status, creation time, search) with paging intact.

use std::collections::HashSet;
use std::time::Duration;

use aws_lambda_events::event::sqs::SqsMessage;
use axum::http::StatusCode;
use serde_json::{Value, json};
use shared::orders::queue::OrderMessage;
use shared::summary::{Disposition, SummaryConsumer, SummarySettings};
use sqlx::PgPool;
use testkit::{TestApp, assert_ledger_matches_stock};
use uuid::Uuid;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn product(app: &TestApp, admin: &str, sku: &str, stock: i64) -> Uuid {
    app.product(admin, sku, 500, stock).await
}

fn address() -> Value {
    json!({
        "name": "Ada Lovelace",
        "line1": "12 Analytical Row",
        "line2": "Flat 3",
        "city": "London",
        "postal_code": "N1 9GU",
        "country": "gb"
    })
}

async fn place(app: &TestApp, token: &str, product: Uuid) -> Value {
    app.post("/orders")
        .bearer(token)
        .json(&json!({"items": [{"product_id": product, "quantity": 1}]}))
        .send()
        .await
        .expect(StatusCode::CREATED)
        .body
}

/// Every order id of a filtered list, walked page by page.
async fn walk(app: &TestApp, token: &str, filters: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut path = format!("/orders?limit=2&{filters}");
    loop {
        let page = app
            .get(&path)
            .bearer(token)
            .send()
            .await
            .expect(StatusCode::OK);
        for order in page.body["items"].as_array().expect("items") {
            ids.push(order["id"].as_str().expect("id").to_owned());
        }
        match page.body["next_cursor"].as_str() {
            Some(cursor) => path = format!("/orders?limit=2&{filters}&cursor={cursor}"),
            None => return ids,
        }
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn an_order_keeps_its_address_note_and_customer_email(db: PgPool) {
    let app = TestApp::new(db);
    let (_, admin) = app.admin().await;
    let (_, customer) = app.customer().await;
    let mug = product(&app, &admin, "MUG", 5).await;
    let me = app
        .get("/auth/me")
        .bearer(&customer)
        .send()
        .await
        .expect(StatusCode::OK);

    let created = app
        .post("/orders")
        .bearer(&customer)
        .json(&json!({
            "items": [{"product_id": mug, "quantity": 1}],
            "shipping": address(),
            "note": "  Please leave it with the neighbour.  "
        }))
        .send()
        .await
        .expect(StatusCode::CREATED);
    let body = &created.body;
    assert_eq!(body["customer_email"], me.body["email"]);
    assert_eq!(body["shipping"]["country"], "GB", "stored in upper case");
    assert_eq!(body["shipping"]["line2"], "Flat 3");
    assert_eq!(body["note"], "Please leave it with the neighbour.");

    for token in [&customer, &admin] {
        let read = app
            .get(&format!("/orders/{}", created.id()))
            .bearer(token)
            .send()
            .await
            .expect(StatusCode::OK);
        assert_eq!(read.body["shipping"], body["shipping"]);
        assert_eq!(read.body["note"], body["note"]);
        assert_eq!(read.body["customer_email"], body["customer_email"]);
    }

    let bare = place(&app, &customer, mug).await;
    assert_eq!(bare["shipping"], Value::Null);
    assert_eq!(bare["note"], Value::Null);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_bad_address_lists_every_field_and_takes_nothing(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (_, admin) = app.admin().await;
    let (_, customer) = app.customer().await;
    let mug = product(&app, &admin, "MUG", 5).await;

    let refused = app
        .post("/orders")
        .bearer(&customer)
        .json(&json!({
            "items": [{"product_id": mug, "quantity": 0}],
            "shipping": {"name": "", "line1": "x".repeat(201), "city": "  ", "postal_code": "", "country": "XX"},
            "note": "n".repeat(501)
        }))
        .send()
        .await
        .expect_problem(StatusCode::UNPROCESSABLE_ENTITY);
    let fields: HashSet<&str> = refused.error_fields().into_iter().collect();
    let expected: HashSet<&str> = [
        "items[0].quantity",
        "shipping.name",
        "shipping.line1",
        "shipping.city",
        "shipping.postal_code",
        "shipping.country",
        "note",
    ]
    .into_iter()
    .collect();
    assert_eq!(fields, expected, "all at once");

    // A country code that looks right but is not assigned, and a missing required member.
    app.post("/orders")
        .bearer(&customer)
        .json(&json!({"items": [{"product_id": mug, "quantity": 1}],
                      "shipping": {"name": "A", "line1": "B", "city": "C", "postal_code": "D", "country": "UK"}}))
        .send()
        .await
        .expect_problem(StatusCode::UNPROCESSABLE_ENTITY);
    app.post("/orders")
        .bearer(&customer)
        .json(&json!({"items": [{"product_id": mug, "quantity": 1}],
                      "shipping": {"name": "A", "line1": "B", "city": "C", "country": "DE"}}))
        .send()
        .await
        .expect_problem(StatusCode::UNPROCESSABLE_ENTITY);

    let orders: i64 = sqlx::query_scalar("SELECT count(*) FROM orders.orders")
        .fetch_one(&db)
        .await
        .expect("count");
    assert_eq!(orders, 0);
    let stock: i64 = sqlx::query_scalar("SELECT stock FROM inventory.products WHERE id = $1")
        .bind(mug)
        .fetch_one(&db)
        .await
        .expect("stock");
    assert_eq!(stock, 5, "nothing taken");
    assert_ledger_matches_stock(&db).await;
}

#[sqlx::test(migrations = "../migrations")]
async fn staff_filter_by_status_time_and_search_with_paging_intact(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (_, admin) = app.admin().await;
    let (_, alice) = app.customer().await;
    let (_, bob) = app.customer().await;
    let mug = product(&app, &admin, "MUG", 100).await;

    let mut alice_orders = Vec::new();
    for _ in 0..5 {
        alice_orders.push(place(&app, &alice, mug).await);
    }
    let mut bob_orders = Vec::new();
    for _ in 0..3 {
        bob_orders.push(place(&app, &bob, mug).await);
    }
    let id = |order: &Value| order["id"].as_str().expect("id").to_owned();
    // Two of alice's cancelled, one of bob's fulfilled.
    for order in [&alice_orders[1], &alice_orders[3]] {
        app.post(&format!("/orders/{}/cancel", id(order)))
            .bearer(&alice)
            .send()
            .await
            .expect(StatusCode::OK);
    }
    app.post(&format!("/orders/{}/fulfil", id(&bob_orders[0])))
        .bearer(&admin)
        .send()
        .await
        .expect(StatusCode::OK);

    let newest_first = |orders: &[&Value]| -> Vec<String> {
        let mut ids: Vec<String> = orders.iter().map(|order| id(order)).collect();
        ids.reverse();
        ids
    };
    assert_eq!(
        walk(&app, &admin, "scope=all&status=cancelled").await,
        newest_first(&[&alice_orders[1], &alice_orders[3]])
    );
    assert_eq!(
        walk(&app, &admin, "scope=all&status=confirmed").await.len(),
        5
    );

    // Search by the customer's email (any part, any case) and by an id prefix.
    let bob_email = bob_orders[0]["customer_email"].as_str().expect("email");
    let part = bob_email[..13].to_uppercase();
    assert_eq!(
        walk(&app, &admin, &format!("scope=all&q={part}")).await,
        newest_first(&bob_orders.iter().collect::<Vec<_>>())
    );
    let target = id(&alice_orders[2]);
    let prefix = &target[..target.len() - 4];
    assert_eq!(
        walk(&app, &admin, &format!("scope=all&q={prefix}")).await,
        vec![target.clone()]
    );
    // The short id the app shows: the id's last 8 characters.
    let short = &target[target.len() - 8..];
    assert_eq!(
        walk(&app, &admin, &format!("scope=all&q={short}")).await,
        vec![target.clone()]
    );
    // Wildcards in a search match literally.
    assert!(walk(&app, &admin, "scope=all&q=%25").await.is_empty());
    // A customer's search stays inside their own orders.
    assert!(
        walk(&app, &alice, &format!("q={part}")).await.is_empty(),
        "alice cannot find bob's orders by his email"
    );

    // Creation-time bounds: from is inclusive, to exclusive.
    let created = |order: &Value| order["created_at"].as_str().expect("time").to_owned();
    let from = created(&alice_orders[1]);
    let to = created(&alice_orders[4]);
    let window = walk(
        &app,
        &admin,
        &format!(
            "scope=all&from={}&to={}",
            from.replace('+', "%2B"),
            to.replace('+', "%2B")
        ),
    )
    .await;
    assert_eq!(
        window,
        newest_first(&[&alice_orders[1], &alice_orders[2], &alice_orders[3]])
    );
    // Filters combine, and paging within a filter neither repeats nor skips when new orders arrive.
    let mut seen = Vec::new();
    let mut path = "/orders?scope=all&status=confirmed&limit=2".to_owned();
    loop {
        let page = app
            .get(&path)
            .bearer(&admin)
            .send()
            .await
            .expect(StatusCode::OK);
        seen.extend(
            page.body["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(&id),
        );
        place(&app, &bob, mug).await;
        match page.body["next_cursor"].as_str() {
            Some(cursor) => {
                path = format!("/orders?scope=all&status=confirmed&limit=2&cursor={cursor}")
            }
            None => break,
        }
    }
    let confirmed = newest_first(&[
        &alice_orders[0],
        &alice_orders[2],
        &alice_orders[4],
        &bob_orders[1],
        &bob_orders[2],
    ]);
    assert_eq!(
        seen, confirmed,
        "each once, newest first, none of the newer ones"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn bad_filters_are_422_naming_each_field(db: PgPool) {
    let app = TestApp::new(db);
    let (_, admin) = app.admin().await;
    let refused = app
        .get("/orders?scope=all&status=shipped&from=yesterday&to=2026-02-30T00:00:00Z&limit=0")
        .bearer(&admin)
        .send()
        .await
        .expect_problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.error_fields(), ["status", "from", "to", "limit"]);
    let reversed = app
        .get("/orders?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z")
        .bearer(&admin)
        .send()
        .await
        .expect_problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reversed.error_fields(), ["to"]);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_note_and_address_never_reach_the_ai_provider(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (_, admin) = app.admin().await;
    let (_, customer) = app.customer().await;
    let mug = product(&app, &admin, "MUG", 5).await;
    let note = "Ring twice, my code is 4711";
    let created = app
        .post("/orders")
        .bearer(&customer)
        .json(&json!({"items": [{"product_id": mug, "quantity": 1}], "shipping": address(), "note": note}))
        .send()
        .await
        .expect(StatusCode::CREATED);
    let order_id = Uuid::parse_str(&created.id()).expect("uuid");

    let provider = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/chat/completions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "gen-1",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": "One mug."}}]
        })))
        .expect(1)
        .mount(&provider)
        .await;
    let mut settings = SummarySettings::for_provider(provider.uri(), Some("test-key".to_owned()));
    settings.provider.request_timeout = Duration::from_secs(5);
    let consumer = SummaryConsumer::new(db.clone(), settings).expect("consumer");
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
    assert_eq!(consumer.process(&message).await, Disposition::Stored);

    let requests = provider.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 1);
    let sent = String::from_utf8_lossy(&requests[0].body).to_string();
    assert!(
        sent.contains("MUG"),
        "the request is about this order: {sent}"
    );
    for private in [note, "4711", "Ada Lovelace", "Analytical Row", "N1 9GU"] {
        assert!(!sent.contains(private), "{private:?} was sent: {sent}");
    }
}
