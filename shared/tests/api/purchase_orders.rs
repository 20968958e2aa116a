//! Purchase orders: create, list, read, receive (partial, concurrent, faulted) and cancel, and
//! what they do to a product's `incoming` and stock ledger.

use std::sync::Arc;

use axum::http::StatusCode;
use serde_json::{Value, json};
use sqlx::PgPool;
use testkit::{TestApp, TestResponse, assert_ledger_matches_stock};

async fn product(app: &TestApp, admin: &str, sku: &str, stock: i64) -> String {
    app.post("/products")
        .bearer(admin)
        .json(&json!({"sku": sku, "name": format!("Product {sku}"), "price_cents": 500, "stock": stock}))
        .send()
        .await
        .expect(StatusCode::CREATED)
        .id()
}

async fn product_json(app: &TestApp, id: &str) -> Value {
    app.get(&format!("/products/{id}"))
        .send()
        .await
        .expect(StatusCode::OK)
        .body
}

async fn create_po(app: &TestApp, admin: &str, lines: Value) -> TestResponse {
    app.post("/purchase-orders")
        .bearer(admin)
        .json(&json!({"supplier": "Acme Ceramics", "lines": lines}))
        .send()
        .await
}

async fn receive(app: &TestApp, admin: &str, po: &str, lines: Value) -> TestResponse {
    app.post(&format!("/purchase-orders/{po}/receive"))
        .bearer(admin)
        .json(&json!({ "lines": lines }))
        .send()
        .await
}

async fn movements(app: &TestApp, admin: &str, product: &str) -> Vec<Value> {
    app.get(&format!("/products/{product}/stock-movements"))
        .bearer(admin)
        .send()
        .await
        .expect(StatusCode::OK)
        .body["items"]
        .as_array()
        .expect("items")
        .clone()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_purchase_order_counts_as_incoming_until_received(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (admin_id, admin) = app.admin().await;
    let mug = product(&app, &admin, "MUG", 2).await;
    let tea = product(&app, &admin, "TEA", 0).await;

    let created = create_po(
        &app,
        &admin,
        json!([{"product_id": mug, "quantity": 10, "unit_cost_cents": 250}, {"product_id": tea, "quantity": 4}]),
    )
    .await
    .expect(StatusCode::CREATED);
    let po = created.id();
    assert_eq!(
        created.header("location"),
        Some(format!("/purchase-orders/{po}").as_str())
    );
    let body = &created.body;
    assert_eq!(body["status"], "open");
    assert_eq!(body["supplier"], "Acme Ceramics");
    assert_eq!(body["created_by"], admin_id.to_string());
    assert_eq!(body["lines"][0]["sku"], "MUG");
    assert_eq!(body["lines"][0]["quantity"], 10);
    assert_eq!(body["lines"][0]["received"], 0);
    assert_eq!(body["lines"][0]["unit_cost_cents"], 250);
    assert_eq!(body["lines"][1]["unit_cost_cents"], Value::Null);
    assert_eq!(product_json(&app, &mug).await["incoming"], 10);
    assert_eq!(product_json(&app, &tea).await["incoming"], 4);

    // A partial receipt: stock up through one ledger movement, the rest still incoming.
    let partial = receive(
        &app,
        &admin,
        &po,
        json!([{"product_id": mug, "quantity": 6}]),
    )
    .await
    .expect(StatusCode::OK);
    assert_eq!(partial.body["status"], "open");
    assert_eq!(partial.body["lines"][0]["received"], 6);
    let mug_now = product_json(&app, &mug).await;
    assert_eq!(
        (mug_now["stock"].clone(), mug_now["incoming"].clone()),
        (json!(8), json!(4))
    );
    let latest = &movements(&app, &admin, &mug).await[0];
    assert_eq!(latest["reason"], "received");
    assert_eq!(latest["delta"], 6);
    assert_eq!(latest["stock_after"], 8);
    assert_eq!(latest["purchase_order_id"], po.as_str());
    assert_eq!(latest["order_id"], Value::Null);
    assert_eq!(latest["actor_id"], admin_id.to_string());

    // The rest of both lines: the order is complete.
    let done = receive(
        &app,
        &admin,
        &po,
        json!([{"product_id": tea, "quantity": 4}, {"product_id": mug, "quantity": 4}]),
    )
    .await
    .expect(StatusCode::OK);
    assert_eq!(done.body["status"], "received");
    assert_eq!(product_json(&app, &mug).await["stock"], 12);
    assert_eq!(product_json(&app, &mug).await["incoming"], 0);
    assert_eq!(product_json(&app, &tea).await["stock"], 4);
    let fetched = app
        .get(&format!("/purchase-orders/{po}"))
        .bearer(&admin)
        .send()
        .await
        .expect(StatusCode::OK);
    assert_eq!(fetched.body, done.body);

    // A received order takes no more.
    receive(
        &app,
        &admin,
        &po,
        json!([{"product_id": mug, "quantity": 1}]),
    )
    .await
    .expect_problem(StatusCode::CONFLICT);
    assert_ledger_matches_stock(&db).await;
}

#[sqlx::test(migrations = "../migrations")]
async fn receiving_more_than_outstanding_is_409_and_takes_nothing(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (_, admin) = app.admin().await;
    let mug = product(&app, &admin, "MUG", 0).await;
    let tea = product(&app, &admin, "TEA", 0).await;
    let other = product(&app, &admin, "OTHER", 0).await;
    let po = create_po(
        &app,
        &admin,
        json!([{"product_id": mug, "quantity": 5}, {"product_id": tea, "quantity": 5}]),
    )
    .await
    .expect(StatusCode::CREATED)
    .id();

    // The first line fits, the second does not: neither is received.
    let refused = receive(
        &app,
        &admin,
        &po,
        json!([{"product_id": mug, "quantity": 5}, {"product_id": tea, "quantity": 6}]),
    )
    .await
    .expect_problem(StatusCode::CONFLICT);
    assert_eq!(refused.body["lines"][0]["product_id"], tea.as_str());
    assert_eq!(refused.body["lines"][0]["outstanding"], 5);
    assert_eq!(product_json(&app, &mug).await["stock"], 0);
    assert_eq!(product_json(&app, &mug).await["incoming"], 5);

    let not_on_order = receive(
        &app,
        &admin,
        &po,
        json!([{"product_id": other, "quantity": 1}]),
    )
    .await
    .expect_problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(not_on_order.error_fields(), vec!["lines[0].product_id"]);
    let invalid = receive(
        &app,
        &admin,
        &po,
        json!([{"product_id": mug, "quantity": 0}, {"product_id": mug, "quantity": 1}]),
    )
    .await
    .expect_problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        invalid.error_fields(),
        vec!["lines[0].quantity", "lines[1].product_id"]
    );
    receive(&app, &admin, &po, json!([]))
        .await
        .expect_problem(StatusCode::UNPROCESSABLE_ENTITY);
    let missing = uuid::Uuid::now_v7();
    receive(
        &app,
        &admin,
        &missing.to_string(),
        json!([{"product_id": mug, "quantity": 1}]),
    )
    .await
    .expect_problem(StatusCode::NOT_FOUND);
    assert_eq!(movements(&app, &admin, &mug).await.len(), 0);
    assert_ledger_matches_stock(&db).await;
}

#[sqlx::test(migrations = "../migrations")]
async fn invalid_purchase_orders_are_422_per_field(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (_, admin) = app.admin().await;
    let (_, customer) = app.customer().await;
    let mug = product(&app, &admin, "MUG", 0).await;
    let archived = product(&app, &admin, "OLD", 0).await;
    app.request(axum::http::Method::DELETE, &format!("/products/{archived}"))
        .bearer(&admin)
        .send()
        .await
        .expect(StatusCode::NO_CONTENT);

    let too_many: Vec<Value> = (0..201)
        .map(|_| json!({"product_id": uuid::Uuid::now_v7(), "quantity": 1}))
        .collect();
    let cases: Vec<(Value, Vec<&str>)> = vec![
        (
            json!({"supplier": " ", "lines": [{"product_id": mug, "quantity": 1}]}),
            vec!["supplier"],
        ),
        (
            json!({"supplier": "x".repeat(201), "lines": [{"product_id": mug, "quantity": 1}]}),
            vec!["supplier"],
        ),
        (json!({"supplier": "A", "lines": []}), vec!["lines"]),
        (json!({"supplier": "A", "lines": too_many}), vec!["lines"]),
        (
            json!({"supplier": "A", "lines": [{"product_id": mug, "quantity": 0}]}),
            vec!["lines[0].quantity"],
        ),
        (
            json!({"supplier": "A", "lines": [{"product_id": mug, "quantity": 1_000_001}]}),
            vec!["lines[0].quantity"],
        ),
        (
            json!({"supplier": "A", "lines": [{"product_id": mug, "quantity": 1, "unit_cost_cents": -1}]}),
            vec!["lines[0].unit_cost_cents"],
        ),
        (
            json!({"supplier": "A", "lines": [{"product_id": mug, "quantity": 1}, {"product_id": mug, "quantity": 2}]}),
            vec!["lines[1].product_id"],
        ),
        (
            json!({"supplier": "A", "lines": [{"product_id": mug, "quantity": 1}, {"product_id": archived, "quantity": 2}, {"product_id": uuid::Uuid::now_v7(), "quantity": 2}]}),
            vec!["lines[1].product_id", "lines[2].product_id"],
        ),
    ];
    for (body, fields) in cases {
        let refused = app
            .post("/purchase-orders")
            .bearer(&admin)
            .json(&body)
            .send()
            .await
            .expect_problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(refused.error_fields(), fields, "{body}");
    }
    let malformed = app
        .post("/purchase-orders")
        .bearer(&admin)
        .json(&json!({"supplier": "A", "lines": [{"product_id": "nope", "quantity": 1}]}))
        .send()
        .await;
    assert!(malformed.status.is_client_error(), "{}", malformed.status);
    create_po(&app, &customer, json!([{"product_id": mug, "quantity": 1}]))
        .await
        .expect_problem(StatusCode::FORBIDDEN);
    app.get("/purchase-orders")
        .bearer(&customer)
        .send()
        .await
        .expect_problem(StatusCode::FORBIDDEN);
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM inventory.purchase_orders")
        .fetch_one(&db)
        .await
        .expect("count");
    assert_eq!(count, 0, "nothing half-written");
}

#[sqlx::test(migrations = "../migrations")]
async fn cancel_stops_incoming_and_keeps_what_arrived(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (_, admin) = app.admin().await;
    let mug = product(&app, &admin, "MUG", 0).await;
    let po = create_po(&app, &admin, json!([{"product_id": mug, "quantity": 10}]))
        .await
        .expect(StatusCode::CREATED)
        .id();
    receive(
        &app,
        &admin,
        &po,
        json!([{"product_id": mug, "quantity": 3}]),
    )
    .await
    .expect(StatusCode::OK);
    let cancelled = app
        .post(&format!("/purchase-orders/{po}/cancel"))
        .bearer(&admin)
        .send()
        .await
        .expect(StatusCode::OK);
    assert_eq!(cancelled.body["status"], "cancelled");
    let now = product_json(&app, &mug).await;
    assert_eq!(
        (now["stock"].clone(), now["incoming"].clone()),
        (json!(3), json!(0))
    );
    app.post(&format!("/purchase-orders/{po}/cancel"))
        .bearer(&admin)
        .send()
        .await
        .expect_problem(StatusCode::CONFLICT);
    receive(
        &app,
        &admin,
        &po,
        json!([{"product_id": mug, "quantity": 1}]),
    )
    .await
    .expect_problem(StatusCode::CONFLICT);
    assert_ledger_matches_stock(&db).await;
}

#[sqlx::test(migrations = "../migrations")]
async fn listing_is_newest_first_filtered_and_paged(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (_, admin) = app.admin().await;
    let mug = product(&app, &admin, "MUG", 0).await;
    let mut ids = Vec::new();
    for _ in 0..5 {
        ids.push(
            create_po(&app, &admin, json!([{"product_id": mug, "quantity": 1}]))
                .await
                .expect(StatusCode::CREATED)
                .id(),
        );
    }
    app.post(&format!("/purchase-orders/{}/cancel", ids[1]))
        .bearer(&admin)
        .send()
        .await
        .expect(StatusCode::OK);

    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(cursor) => format!("/purchase-orders?limit=2&cursor={cursor}"),
            None => "/purchase-orders?limit=2".to_owned(),
        };
        let page = app
            .get(&path)
            .bearer(&admin)
            .send()
            .await
            .expect(StatusCode::OK);
        for item in page.body["items"].as_array().expect("items") {
            seen.push(item["id"].as_str().expect("id").to_owned());
        }
        match page.body["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    let newest_first: Vec<String> = ids.iter().rev().cloned().collect();
    assert_eq!(seen, newest_first);

    let cancelled = app
        .get("/purchase-orders?status=cancelled")
        .bearer(&admin)
        .send()
        .await
        .expect(StatusCode::OK);
    let items = cancelled.body["items"].as_array().expect("items");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"], ids[1].as_str());
    assert_eq!(items[0]["lines"][0]["quantity"], 1);
    let bad = app
        .get("/purchase-orders?status=lost")
        .bearer(&admin)
        .send()
        .await
        .expect_problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.error_fields(), vec!["status"]);
    assert_eq!(product_json(&app, &mug).await["incoming"], 4);
}

#[sqlx::test(migrations = "../migrations")]
async fn concurrent_receipts_of_one_line_never_over_receive(db: PgPool) {
    let app = Arc::new(TestApp::new(db.clone()));
    let (_, admin) = app.admin().await;
    let mug = product(&app, &admin, "MUG", 7).await;
    let po = create_po(&app, &admin, json!([{"product_id": mug, "quantity": 10}]))
        .await
        .expect(StatusCode::CREATED)
        .id();
    // 40 receipts of 3 units race for 10 ordered: exactly three fit.
    let tasks: Vec<_> = (0..40)
        .map(|_| {
            let (app, admin, po, mug) = (app.clone(), admin.clone(), po.clone(), mug.clone());
            tokio::spawn(async move {
                receive(
                    &app,
                    &admin,
                    &po,
                    json!([{"product_id": mug, "quantity": 3}]),
                )
                .await
                .status
            })
        })
        .collect();
    let (mut accepted, mut refused) = (0, 0);
    for task in tasks {
        match task.await.expect("task") {
            StatusCode::OK => accepted += 1,
            StatusCode::CONFLICT => refused += 1,
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!((accepted, refused), (3, 37));
    let now = product_json(&app, &mug).await;
    assert_eq!(
        (now["stock"].clone(), now["incoming"].clone()),
        (json!(16), json!(1))
    );
    let received: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM inventory.stock_movements WHERE purchase_order_id IS NOT NULL",
    )
    .fetch_one(&db)
    .await
    .expect("count");
    assert_eq!(received, 3, "one movement per receipt");
    assert_ledger_matches_stock(&db).await;
}

#[sqlx::test(migrations = "../migrations")]
async fn a_receipt_whose_ledger_write_fails_leaves_nothing_received(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (_, admin) = app.admin().await;
    let mug = product(&app, &admin, "MUG", 1).await;
    let po = create_po(&app, &admin, json!([{"product_id": mug, "quantity": 10}]))
        .await
        .expect(StatusCode::CREATED)
        .id();
    // The fault: the ledger refuses receipt movements, after the line and stock were updated.
    sqlx::raw_sql(
        "CREATE FUNCTION refuse_receipts() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN RAISE EXCEPTION 'injected ledger fault'; END $$;
         CREATE TRIGGER refuse_receipts BEFORE INSERT ON inventory.stock_movements
         FOR EACH ROW WHEN (NEW.reason = 'received') EXECUTE FUNCTION refuse_receipts();",
    )
    .execute(&db)
    .await
    .expect("fault installed");
    let failed = receive(
        &app,
        &admin,
        &po,
        json!([{"product_id": mug, "quantity": 4}]),
    )
    .await
    .expect_problem(StatusCode::INTERNAL_SERVER_ERROR);
    assert!(
        !failed.body.to_string().contains("injected"),
        "no internals leak"
    );
    let now = product_json(&app, &mug).await;
    assert_eq!(
        (now["stock"].clone(), now["incoming"].clone()),
        (json!(1), json!(10))
    );
    let received: i64 = sqlx::query_scalar("SELECT received FROM inventory.purchase_order_lines")
        .fetch_one(&db)
        .await
        .expect("line");
    assert_eq!(received, 0);
    assert_ledger_matches_stock(&db).await;
}
