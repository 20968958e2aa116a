use std::collections::HashSet;
use std::sync::Arc;

use axum::http::StatusCode;
use serde_json::{Value, json};
use shared::orders::queue::OrderQueue;
use sqlx::PgPool;
use testkit::{TestApp, TestResponse, assert_ledger_matches_stock, local_sqs_client};
use uuid::Uuid;

async fn product(app: &TestApp, admin: &str, sku: &str, price_cents: i64, stock: i64) -> Uuid {
    app.product(admin, sku, price_cents, stock).await
}

async fn order(app: &TestApp, token: &str, lines: &[(Uuid, i64)]) -> TestResponse {
    app.post("/orders")
        .bearer(token)
        .json(&order_body(lines))
        .send()
        .await
}

/// Places an order that must succeed; returns its id.
async fn placed_order(app: &TestApp, token: &str, lines: &[(Uuid, i64)]) -> String {
    order(app, token, lines)
        .await
        .expect(StatusCode::CREATED)
        .id()
}

fn order_body(lines: &[(Uuid, i64)]) -> Value {
    let items: Vec<Value> = lines
        .iter()
        .map(|(id, quantity)| json!({"product_id": id, "quantity": quantity}))
        .collect();
    json!({ "items": items })
}

async fn stock_of(db: &PgPool, id: Uuid) -> i64 {
    sqlx::query_scalar("SELECT stock FROM inventory.products WHERE id = $1")
        .bind(id)
        .fetch_one(db)
        .await
        .expect("stock")
}

async fn count(db: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
        .fetch_one(db)
        .await
        .expect("count")
}

#[sqlx::test(migrations = "../migrations")]
async fn an_order_takes_stock_and_keeps_the_price_of_its_moment(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (_, admin) = app.admin().await;
    let (customer_id, customer) = app.customer().await;
    let mug = product(&app, &admin, "MUG", 1250, 10).await;
    let tea = product(&app, &admin, "TEA", 499, 5).await;

    let created = order(&app, &customer, &[(mug, 2), (tea, 1), (mug, 1)])
        .await
        .expect(StatusCode::CREATED);
    let body = &created.body;
    assert_eq!(body["status"], "confirmed");
    assert_eq!(body["user_id"], customer_id.to_string());
    assert_eq!(body["total_cents"], 3 * 1250 + 499);
    // The summary is staff information; the owning customer gets null.
    assert_eq!(body["summary"], Value::Null);
    let items = body["items"].as_array().expect("items");
    assert_eq!(items.len(), 2, "lines naming one product twice are summed");
    let mug_line = items
        .iter()
        .find(|line| line["sku"] == "MUG")
        .expect("mug line");
    assert_eq!(mug_line["quantity"], 3);
    assert_eq!(mug_line["unit_price_cents"], 1250);
    assert_eq!(mug_line["line_total_cents"], 3750);
    assert_eq!(mug_line["name"], "Product MUG");
    let order_id = created.id();
    assert_eq!(
        created.header("location"),
        Some(format!("/orders/{order_id}").as_str())
    );

    assert_eq!(stock_of(&db, mug).await, 7);
    assert_eq!(stock_of(&db, tea).await, 4);
    let movements = count(
        &db,
        &format!("SELECT count(*) FROM inventory.stock_movements WHERE order_id = '{order_id}'"),
    )
    .await;
    assert_eq!(movements, 2, "one movement per product");
    assert_ledger_matches_stock(&db).await;

    // Later catalogue changes do not rewrite the order.
    app.request(axum::http::Method::PATCH, &format!("/products/{mug}"))
        .bearer(&admin)
        .json(&json!({"price_cents": 9999, "name": "Renamed"}))
        .send()
        .await
        .expect(StatusCode::OK);
    let fetched = app
        .get(&format!("/orders/{order_id}"))
        .bearer(&customer)
        .send()
        .await
        .expect(StatusCode::OK);
    assert_eq!(fetched.body["items"], body["items"]);
    assert_eq!(fetched.body["total_cents"], body["total_cents"]);
}

#[sqlx::test(migrations = "../migrations")]
async fn invalid_orders_are_422(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (_, admin) = app.admin().await;
    let (_, customer) = app.customer().await;
    let mug = product(&app, &admin, "MUG", 100, 10).await;
    let archived = product(&app, &admin, "OLD", 100, 10).await;
    app.request(axum::http::Method::DELETE, &format!("/products/{archived}"))
        .bearer(&admin)
        .send()
        .await
        .expect(StatusCode::NO_CONTENT);

    let too_many: Vec<(Uuid, i64)> = (0..51).map(|_| (mug, 1)).collect();
    let cases: Vec<(Value, &str)> = vec![
        (json!({"items": []}), "items"),
        (order_body(&too_many), "items"),
        (order_body(&[(mug, 0)]), "items[0].quantity"),
        (order_body(&[(mug, 1), (mug, 1001)]), "items[1].quantity"),
        (
            order_body(&[(mug, 1), (Uuid::now_v7(), 1)]),
            "items[1].product_id",
        ),
        (order_body(&[(archived, 1)]), "items[0].product_id"),
        (
            json!({"items": [{"product_id": "nope", "quantity": 1}]}),
            "items[0].product_id",
        ),
        (
            json!({"items": [{"product_id": mug, "quantity": 1.5}]}),
            "items[0].quantity",
        ),
    ];
    for (body, field) in cases {
        let response = app
            .post("/orders")
            .bearer(&customer)
            .json(&body)
            .send()
            .await
            .expect_problem(StatusCode::UNPROCESSABLE_ENTITY);
        let fields = response.error_fields();
        assert!(fields.contains(&field), "{body} → {fields:?}");
    }
    assert_eq!(
        stock_of(&db, mug).await,
        10,
        "nothing taken by invalid orders"
    );
    app.post("/orders")
        .json(&order_body(&[(mug, 1)]))
        .send()
        .await
        .expect_problem(StatusCode::UNAUTHORIZED);
}

#[sqlx::test(migrations = "../migrations")]
async fn short_lines_are_all_listed_and_nothing_is_taken(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (_, admin) = app.admin().await;
    let (_, customer) = app.customer().await;
    let plenty = product(&app, &admin, "PLENTY", 100, 50).await;
    let few = product(&app, &admin, "FEW", 100, 2).await;
    let none = product(&app, &admin, "NONE", 100, 0).await;

    // The first line (in product-id order) succeeds before the later ones fail.
    let response = order(&app, &customer, &[(plenty, 5), (few, 3), (none, 1)])
        .await
        .expect_problem(StatusCode::CONFLICT);
    let mut short: Vec<(String, i64, i64)> = response.body["short"]
        .as_array()
        .expect("short")
        .iter()
        .map(|line| {
            (
                line["product_id"].as_str().unwrap().to_owned(),
                line["requested"].as_i64().unwrap(),
                line["available"].as_i64().unwrap(),
            )
        })
        .collect();
    short.sort();
    let mut expected = vec![(few.to_string(), 3, 2), (none.to_string(), 1, 0)];
    expected.sort();
    assert_eq!(short, expected);

    assert_eq!(
        stock_of(&db, plenty).await,
        50,
        "the line that fit was rolled back"
    );
    assert_eq!(stock_of(&db, few).await, 2);
    assert_eq!(count(&db, "SELECT count(*) FROM orders.orders").await, 0);
    assert_eq!(count(&db, "SELECT count(*) FROM orders.outbox").await, 0);
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM inventory.stock_movements WHERE order_id IS NOT NULL"
        )
        .await,
        0
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn an_order_failing_on_its_second_line_takes_nothing_from_its_first(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (_, admin) = app.admin().await;
    let (_, customer) = app.customer().await;
    let first = product(&app, &admin, "FIRST", 100, 10).await;
    let second = product(&app, &admin, "SECOND", 100, 1).await;
    let (low, high) = if first < second {
        (first, second)
    } else {
        (second, first)
    };
    // Make the product that is taken second the short one.
    sqlx::query("UPDATE inventory.products SET stock = 0 WHERE id = $1")
        .bind(high)
        .execute(&db)
        .await
        .expect("empty shelf");
    sqlx::query("DELETE FROM inventory.stock_movements WHERE product_id = $1")
        .bind(high)
        .execute(&db)
        .await
        .expect("ledger");
    let before = stock_of(&db, low).await;
    order(&app, &customer, &[(low, 1), (high, 1)])
        .await
        .expect_problem(StatusCode::CONFLICT);
    assert_eq!(stock_of(&db, low).await, before);
    assert_ledger_matches_stock(&db).await;
}

#[sqlx::test(migrations = "../migrations")]
async fn concurrent_orders_never_oversell(db: PgPool) {
    let app = Arc::new(TestApp::new(db.clone()));
    let (_, admin) = app.admin().await;
    let hot = product(&app, &admin, "HOT", 100, 20).await;
    // Subscribed, so that each order also writes its webhook event.
    crate::webhooks::endpoint(&app, &admin, "http://127.0.0.1:9/hook", &["order.created"]).await;
    let mut customers = Vec::new();
    for _ in 0..10 {
        customers.push(app.customer().await.1);
    }
    let tasks: Vec<_> = (0..100)
        .map(|i| {
            let app = app.clone();
            let token = customers[i % customers.len()].clone();
            tokio::spawn(async move { order(&app, &token, &[(hot, 1)]).await.status })
        })
        .collect();
    let mut accepted = 0;
    let mut refused = 0;
    for task in tasks {
        match task.await.expect("task") {
            StatusCode::CREATED => accepted += 1,
            StatusCode::CONFLICT => refused += 1,
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!((accepted, refused), (20, 80));
    assert_eq!(stock_of(&db, hot).await, 0);
    let sold = count(
        &db,
        "SELECT COALESCE(sum(quantity), 0)::bigint FROM orders.order_lines",
    )
    .await;
    assert_eq!(sold, 20);
    // Orders that passed the first look at the stock and were refused under the lock leave
    // nothing behind: their order, timeline, outbox, webhook and report rows were rolled back.
    for (table, written) in [
        ("SELECT count(*) FROM orders.orders", 20),
        ("SELECT count(*) FROM orders.order_events", 20),
        ("SELECT count(*) FROM orders.outbox", 20),
        (
            "SELECT count(*) FROM webhooks.events WHERE type = 'order.created'",
            20,
        ),
        (
            "SELECT COALESCE(sum(orders), 0)::bigint FROM reports.daily_sales",
            20,
        ),
        (
            "SELECT COALESCE(sum(units), 0)::bigint FROM reports.daily_product_sales",
            20,
        ),
    ] {
        assert_eq!(count(&db, table).await, written, "{table}");
    }
    assert_ledger_matches_stock(&db).await;
}

#[sqlx::test(migrations = "../migrations")]
async fn cancels_and_new_orders_of_one_product_do_not_deadlock(db: PgPool) {
    let app = Arc::new(TestApp::new(db.clone()));
    let (_, admin) = app.admin().await;
    let mut customers = Vec::new();
    for _ in 0..4 {
        customers.push(app.customer().await.1);
    }
    let mug = product(&app, &admin, "MUG", 500, 1000).await;
    let mut placed = Vec::new();
    for i in 0..40 {
        placed.push(placed_order(&app, &customers[i % customers.len()], &[(mug, 2)]).await);
    }
    // Cancelling gives stock back and corrects the product's report row; checkout writes that
    // row and takes the stock. Both lock them in one order, so none waits on the other crosswise
    // (a deadlock would surface as a 500 after Postgres's deadlock timeout).
    let mut tasks = Vec::new();
    for (i, id) in placed.into_iter().enumerate() {
        let canceller = app.clone();
        let token = customers[i % customers.len()].clone();
        tasks.push(tokio::spawn(async move {
            canceller
                .post(&format!("/orders/{id}/cancel"))
                .bearer(&token)
                .send()
                .await
                .status
        }));
        let app = app.clone();
        let token = customers[(i + 1) % customers.len()].clone();
        tasks.push(tokio::spawn(async move {
            order(&app, &token, &[(mug, 1)]).await.status
        }));
    }
    for task in tasks {
        let status = task.await.expect("task");
        assert!(
            status == StatusCode::OK || status == StatusCode::CREATED,
            "{status}"
        );
    }
    assert_eq!(stock_of(&db, mug).await, 1000 - 40);
    assert_ledger_matches_stock(&db).await;
}

#[sqlx::test(migrations = "../migrations")]
async fn orders_with_crossing_lines_do_not_deadlock(db: PgPool) {
    let app = Arc::new(TestApp::new(db.clone()));
    let (_, admin) = app.admin().await;
    // Three accounts, so the per-customer order throttle (30 a minute) stays out of the way.
    let mut customers = Vec::new();
    for _ in 0..3 {
        customers.push(app.customer().await.1);
    }
    let a = product(&app, &admin, "A", 100, 1000).await;
    let b = product(&app, &admin, "B", 100, 1000).await;
    let c = product(&app, &admin, "C", 100, 1000).await;
    let tasks: Vec<_> = (0..60)
        .map(|i| {
            let app = app.clone();
            let token = customers[i % customers.len()].clone();
            // Every order names the same products in a different order.
            let lines = match i % 3 {
                0 => vec![(a, 1), (b, 1), (c, 1)],
                1 => vec![(c, 1), (b, 1), (a, 1)],
                _ => vec![(b, 1), (a, 1), (c, 1)],
            };
            tokio::spawn(async move { order(&app, &token, &lines).await.status })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.expect("task"), StatusCode::CREATED);
    }
    for id in [a, b, c] {
        assert_eq!(stock_of(&db, id).await, 940);
    }
    assert_ledger_matches_stock(&db).await;
}

#[sqlx::test(migrations = "../migrations")]
async fn concurrent_repeats_of_one_idempotency_key_make_one_order(db: PgPool) {
    let app = Arc::new(TestApp::new(db.clone()));
    let (_, admin) = app.admin().await;
    let (_, customer) = app.customer().await;
    let mug = product(&app, &admin, "MUG", 100, 10).await;
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let app = app.clone();
            let token = customer.clone();
            tokio::spawn(async move {
                app.post("/orders")
                    .bearer(&token)
                    .header("idempotency-key", "checkout-1")
                    .json(&order_body(&[(mug, 3)]))
                    .send()
                    .await
            })
        })
        .collect();
    let mut ids = HashSet::new();
    let mut replays = 0;
    for task in tasks {
        let response = task.await.expect("task").expect(StatusCode::CREATED);
        ids.insert(response.id());
        if response.header("idempotent-replayed") == Some("true") {
            replays += 1;
        }
    }
    assert_eq!(ids.len(), 1, "one order");
    assert_eq!(replays, 7);
    assert_eq!(stock_of(&db, mug).await, 7, "stock taken once");
    assert_eq!(count(&db, "SELECT count(*) FROM orders.orders").await, 1);

    // The same key with another body is refused; another key orders again.
    app.post("/orders")
        .bearer(&customer)
        .header("idempotency-key", "checkout-1")
        .json(&order_body(&[(mug, 1)]))
        .send()
        .await
        .expect_problem(StatusCode::UNPROCESSABLE_ENTITY);
    app.post("/orders")
        .bearer(&customer)
        .header("idempotency-key", "checkout-2")
        .json(&order_body(&[(mug, 3)]))
        .send()
        .await
        .expect(StatusCode::CREATED);
    // Keys belong to their user: another customer's identical key is a new order.
    let (_, other) = app.customer().await;
    let theirs = app
        .post("/orders")
        .bearer(&other)
        .header("idempotency-key", "checkout-1")
        .json(&order_body(&[(mug, 1)]))
        .send()
        .await
        .expect(StatusCode::CREATED);
    assert!(theirs.header("idempotent-replayed").is_none());
    assert_eq!(stock_of(&db, mug).await, 3);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_refused_order_is_replayed_under_its_key(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (_, admin) = app.admin().await;
    let (_, customer) = app.customer().await;
    let mug = product(&app, &admin, "MUG", 100, 1).await;
    let attempt = |key: &'static str| {
        app.post("/orders")
            .bearer(&customer)
            .header("idempotency-key", key)
            .json(&order_body(&[(mug, 2)]))
            .send()
    };
    let first = attempt("retry-me")
        .await
        .expect_problem(StatusCode::CONFLICT);
    app.post(&format!("/products/{mug}/stock-adjustments"))
        .bearer(&admin)
        .json(&json!({"delta": 5, "reason": "restock"}))
        .send()
        .await
        .expect(StatusCode::OK);
    // The same key gets the first answer again, even though stock has arrived since.
    let repeat = attempt("retry-me")
        .await
        .expect_problem(StatusCode::CONFLICT);
    assert_eq!(repeat.header("idempotent-replayed"), Some("true"));
    assert_eq!(repeat.body, first.body);
    assert_eq!(stock_of(&db, mug).await, 6, "the refusal took nothing");
    // A new attempt is a new key.
    attempt("retry-me-2").await.expect(StatusCode::CREATED);
    assert_eq!(stock_of(&db, mug).await, 4);
}

#[sqlx::test(migrations = "../migrations")]
async fn listing_is_per_owner_newest_first_and_paged(db: PgPool) {
    let app = TestApp::new(db);
    let (_, admin) = app.admin().await;
    let (_, alice) = app.customer().await;
    let (_, bob) = app.customer().await;
    let mug = product(&app, &admin, "MUG", 100, 100).await;
    let mut alice_orders = Vec::new();
    for _ in 0..5 {
        let created = order(&app, &alice, &[(mug, 1)])
            .await
            .expect(StatusCode::CREATED);
        alice_orders.push(created.id());
    }
    order(&app, &bob, &[(mug, 1)])
        .await
        .expect(StatusCode::CREATED);

    let mut seen = Vec::new();
    let mut path = "/orders?limit=2".to_owned();
    loop {
        let page = app
            .get(&path)
            .bearer(&alice)
            .send()
            .await
            .expect(StatusCode::OK);
        seen.extend(
            page.body["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o["id"].as_str().unwrap().to_owned()),
        );
        // A newer order arriving between pages must neither shift nor repeat what follows.
        order(&app, &alice, &[(mug, 1)])
            .await
            .expect(StatusCode::CREATED);
        match page.body["next_cursor"].as_str() {
            Some(cursor) => path = format!("/orders?limit=2&cursor={cursor}"),
            None => break,
        }
    }
    alice_orders.reverse();
    assert_eq!(seen, alice_orders, "only her own, newest first, each once");

    // Everyone's orders, page by page, for an admin.
    let mut everyone = std::collections::HashSet::new();
    let mut path = "/orders?scope=all&limit=3".to_owned();
    loop {
        let page = app
            .get(&path)
            .bearer(&admin)
            .send()
            .await
            .expect(StatusCode::OK);
        for order in page.body["items"].as_array().unwrap() {
            assert!(
                everyone.insert(order["id"].as_str().unwrap().to_owned()),
                "no repeats"
            );
        }
        match page.body["next_cursor"].as_str() {
            Some(cursor) => path = format!("/orders?scope=all&limit=3&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(
        everyone.len(),
        5 + 1 + 3,
        "alice's, bob's, and those made while paging"
    );

    let all = app
        .get("/orders?scope=all")
        .bearer(&admin)
        .send()
        .await
        .expect(StatusCode::OK);
    assert_eq!(all.body["items"].as_array().unwrap().len(), 9);
    app.get("/orders?scope=all")
        .bearer(&alice)
        .send()
        .await
        .expect_problem(StatusCode::FORBIDDEN);
    app.get("/orders?scope=everything")
        .bearer(&admin)
        .send()
        .await
        .expect_problem(StatusCode::UNPROCESSABLE_ENTITY);
    app.get("/orders")
        .send()
        .await
        .expect_problem(StatusCode::UNAUTHORIZED);
}

#[sqlx::test(migrations = "../migrations")]
async fn orders_are_private_to_their_owner_and_admins(db: PgPool) {
    let app = TestApp::new(db);
    let (_, admin) = app.admin().await;
    let (_, alice) = app.customer().await;
    let (_, bob) = app.customer().await;
    let mug = product(&app, &admin, "MUG", 100, 10).await;
    let id = placed_order(&app, &alice, &[(mug, 1)]).await;
    let path = format!("/orders/{id}");
    app.get(&path)
        .bearer(&alice)
        .send()
        .await
        .expect(StatusCode::OK);
    app.get(&path)
        .bearer(&admin)
        .send()
        .await
        .expect(StatusCode::OK);
    app.get(&path)
        .bearer(&bob)
        .send()
        .await
        .expect_problem(StatusCode::NOT_FOUND);
    app.post(&format!("{path}/cancel"))
        .bearer(&bob)
        .send()
        .await
        .expect_problem(StatusCode::NOT_FOUND);
    app.get(&format!("/orders/{}", Uuid::now_v7()))
        .bearer(&admin)
        .send()
        .await
        .expect_problem(StatusCode::NOT_FOUND);
    app.get("/orders/not-an-id")
        .bearer(&admin)
        .send()
        .await
        .expect_problem(StatusCode::NOT_FOUND);
}

#[sqlx::test(migrations = "../migrations")]
async fn cancel_gives_stock_back_and_only_from_confirmed(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (_, admin) = app.admin().await;
    let (_, alice) = app.customer().await;
    let mug = product(&app, &admin, "MUG", 100, 10).await;
    let id = placed_order(&app, &alice, &[(mug, 4)]).await;
    assert_eq!(stock_of(&db, mug).await, 6);
    let cancelled = app
        .post(&format!("/orders/{id}/cancel"))
        .bearer(&alice)
        .send()
        .await
        .expect(StatusCode::OK);
    assert_eq!(cancelled.body["status"], "cancelled");
    assert_eq!(stock_of(&db, mug).await, 10);
    let back = count(
        &db,
        &format!(
            "SELECT count(*) FROM inventory.stock_movements WHERE order_id = '{id}' AND delta > 0"
        ),
    )
    .await;
    assert_eq!(back, 1);
    assert_ledger_matches_stock(&db).await;

    app.post(&format!("/orders/{id}/cancel"))
        .bearer(&alice)
        .send()
        .await
        .expect_problem(StatusCode::CONFLICT);
    app.post(&format!("/orders/{id}/fulfil"))
        .bearer(&admin)
        .send()
        .await
        .expect_problem(StatusCode::CONFLICT);
    assert_eq!(
        stock_of(&db, mug).await,
        10,
        "a second cancel gives nothing back"
    );

    // An admin may cancel anyone's order.
    let other = placed_order(&app, &alice, &[(mug, 1)]).await;
    app.post(&format!("/orders/{other}/cancel"))
        .bearer(&admin)
        .send()
        .await
        .expect(StatusCode::OK);
}

#[sqlx::test(migrations = "../migrations")]
async fn fulfil_is_for_admins_and_only_from_confirmed(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (_, admin) = app.admin().await;
    let (_, alice) = app.customer().await;
    let mug = product(&app, &admin, "MUG", 100, 10).await;
    let id = placed_order(&app, &alice, &[(mug, 2)]).await;
    app.post(&format!("/orders/{id}/fulfil"))
        .bearer(&alice)
        .send()
        .await
        .expect_problem(StatusCode::FORBIDDEN);
    let fulfilled = app
        .post(&format!("/orders/{id}/fulfil"))
        .bearer(&admin)
        .send()
        .await
        .expect(StatusCode::OK);
    assert_eq!(fulfilled.body["status"], "fulfilled");
    app.post(&format!("/orders/{id}/fulfil"))
        .bearer(&admin)
        .send()
        .await
        .expect_problem(StatusCode::CONFLICT);
    app.post(&format!("/orders/{id}/cancel"))
        .bearer(&alice)
        .send()
        .await
        .expect_problem(StatusCode::CONFLICT);
    assert_eq!(stock_of(&db, mug).await, 8, "fulfilled stock stays taken");
}

#[sqlx::test(migrations = "../migrations")]
async fn an_unreachable_queue_still_confirms_the_order(db: PgPool) {
    let mut app = TestApp::new(db.clone());
    // Nothing listens on port 1: the send fails fast.
    app.state.queue = Some(OrderQueue::new(
        local_sqs_client("http://127.0.0.1:1"),
        "http://127.0.0.1:1/123456789012/shop-orders",
    ));
    let app = TestApp::with_state(app.state, app.private_key_pem, app.public_key_pem);
    let (_, admin) = app.admin().await;
    let (_, customer) = app.customer().await;
    let mug = product(&app, &admin, "MUG", 100, 10).await;
    let created = order(&app, &customer, &[(mug, 1)])
        .await
        .expect(StatusCode::CREATED);
    let (sent_at, attempts, last_error): (
        Option<chrono::DateTime<chrono::Utc>>,
        i32,
        Option<String>,
    ) = sqlx::query_as(
        "SELECT sent_at, attempts, last_error FROM orders.outbox WHERE order_id = $1",
    )
    .bind(Uuid::parse_str(&created.id()).expect("uuid"))
    .fetch_one(&db)
    .await
    .expect("outbox row");
    assert!(sent_at.is_none(), "left for the relay");
    assert_eq!(attempts, 1);
    assert!(last_error.is_some());
}
