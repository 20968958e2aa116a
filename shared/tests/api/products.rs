use std::collections::HashSet;

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use sqlx::PgPool;
use testkit::{TestApp, assert_ledger_matches_stock};

async fn create(app: &TestApp, admin: &str, body: Value) -> Value {
    app.post("/products")
        .bearer(admin)
        .json(&body)
        .send()
        .await
        .expect(StatusCode::CREATED)
        .body
}

fn product(sku: &str, name: &str, stock: i64) -> Value {
    json!({"sku": sku, "name": name, "price_cents": 1000, "stock": stock})
}

fn id_of(product: &Value) -> String {
    product["id"].as_str().expect("id").to_owned()
}

#[sqlx::test(migrations = "../migrations")]
async fn create_get_and_defaults(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (_, admin) = app.admin().await;
    let created = create(
        &app,
        &admin,
        json!({"sku": "MUG-1", "name": "Mug", "price_cents": 1299}),
    )
    .await;
    assert_eq!(created["stock"], 0);
    assert_eq!(created["low_stock_threshold"], 5);
    assert_eq!(created["low_stock"], true);
    assert_eq!(created["description"], Value::Null);
    for key in [
        "id",
        "sku",
        "name",
        "price_cents",
        "created_at",
        "updated_at",
    ] {
        assert!(created.get(key).is_some(), "{key}");
    }
    let fetched = app
        .get(&format!("/products/{}", id_of(&created)))
        .send()
        .await
        .expect(StatusCode::OK);
    assert_eq!(fetched.body, created);

    let stocked = create(&app, &admin, product("MUG-2", "Big mug", 40)).await;
    assert_eq!(stocked["stock"], 40);
    assert_eq!(stocked["low_stock"], false);
    assert_ledger_matches_stock(&db).await;
}

#[sqlx::test(migrations = "../migrations")]
async fn writes_need_an_admin(db: PgPool) {
    let app = TestApp::new(db);
    let (_, admin) = app.admin().await;
    let (_, customer) = app.customer().await;
    let id = id_of(&create(&app, &admin, product("A-1", "A", 5)).await);
    let writes = [
        (
            Method::POST,
            "/products".to_owned(),
            json!({"sku": "B-1", "name": "B", "price_cents": 1}),
        ),
        (
            Method::PATCH,
            format!("/products/{id}"),
            json!({"name": "C"}),
        ),
        (Method::DELETE, format!("/products/{id}"), json!({})),
        (
            Method::POST,
            format!("/products/{id}/stock-adjustments"),
            json!({"delta": 1, "reason": "x"}),
        ),
        (
            Method::GET,
            format!("/products/{id}/stock-movements"),
            json!({}),
        ),
    ];
    for (method, path, body) in writes {
        let anonymous = app.request(method.clone(), &path).json(&body).send().await;
        let anonymous = anonymous.expect_problem(StatusCode::UNAUTHORIZED);
        assert_eq!(anonymous.header("www-authenticate"), Some("Bearer"));
        app.request(method, &path)
            .bearer(&customer)
            .json(&body)
            .send()
            .await
            .expect_problem(StatusCode::FORBIDDEN);
    }
    // Reads are public.
    app.get("/products").send().await.expect(StatusCode::OK);
    app.get(&format!("/products/{id}"))
        .send()
        .await
        .expect(StatusCode::OK);
}

#[sqlx::test(migrations = "../migrations")]
async fn invalid_products_are_422_per_field(db: PgPool) {
    let app = TestApp::new(db);
    let (_, admin) = app.admin().await;
    let cases = [
        (json!({"sku": "", "name": "A", "price_cents": 1}), "sku"),
        (
            json!({"sku": "HAS SPACE", "name": "A", "price_cents": 1}),
            "sku",
        ),
        (
            json!({"sku": "X".repeat(65), "name": "A", "price_cents": 1}),
            "sku",
        ),
        (json!({"sku": "OK", "name": "", "price_cents": 1}), "name"),
        (
            json!({"sku": "OK", "name": "n".repeat(201), "price_cents": 1}),
            "name",
        ),
        (
            json!({"sku": "OK", "name": "A", "price_cents": -1}),
            "price_cents",
        ),
        (
            json!({"sku": "OK", "name": "A", "price_cents": 100_000_001}),
            "price_cents",
        ),
        (
            json!({"sku": "OK", "name": "A", "price_cents": 1, "stock": -1}),
            "stock",
        ),
        (
            json!({"sku": "OK", "name": "A", "price_cents": 1, "stock": 1_000_000_001}),
            "stock",
        ),
        (
            json!({"sku": "OK", "name": "A", "price_cents": "free"}),
            "price_cents",
        ),
    ];
    for (body, field) in cases {
        let response = app
            .post("/products")
            .bearer(&admin)
            .json(&body)
            .send()
            .await
            .expect_problem(StatusCode::UNPROCESSABLE_ENTITY);
        let fields = response.error_fields();
        assert!(fields.contains(&field), "{body} → {fields:?}");
    }
    // Limits are inclusive.
    create(&app, &admin, json!({"sku": "X".repeat(64), "name": "n".repeat(200), "price_cents": 100_000_000, "stock": 1_000_000_000})).await;
}

#[sqlx::test(migrations = "../migrations")]
async fn duplicate_sku_is_409(db: PgPool) {
    let app = TestApp::new(db);
    let (_, admin) = app.admin().await;
    create(&app, &admin, product("DUP-1", "First", 0)).await;
    app.post("/products")
        .bearer(&admin)
        .json(&product("DUP-1", "Second", 0))
        .send()
        .await
        .expect_problem(StatusCode::CONFLICT);
}

#[sqlx::test(migrations = "../migrations")]
async fn patch_changes_fields_but_never_stock_or_sku(db: PgPool) {
    let app = TestApp::new(db);
    let (_, admin) = app.admin().await;
    let id = id_of(&create(&app, &admin, json!({"sku": "P-1", "name": "Plate", "price_cents": 500, "stock": 3, "description": "white"})).await);
    let path = format!("/products/{id}");
    let patched = app
        .request(Method::PATCH, &path)
        .bearer(&admin)
        .json(&json!({"name": "Dinner plate", "price_cents": 650, "low_stock_threshold": 1}))
        .send()
        .await
        .expect(StatusCode::OK);
    assert_eq!(patched.body["name"], "Dinner plate");
    assert_eq!(patched.body["price_cents"], 650);
    assert_eq!(patched.body["low_stock"], false);
    assert_eq!(patched.body["description"], "white");

    let cleared = app
        .request(Method::PATCH, &path)
        .bearer(&admin)
        .json(&json!({"description": null}))
        .send()
        .await
        .expect(StatusCode::OK);
    assert_eq!(cleared.body["description"], Value::Null);

    for body in [
        json!({"stock": 100}),
        json!({"sku": "OTHER"}),
        json!({"price_cents": -5}),
    ] {
        app.request(Method::PATCH, &path)
            .bearer(&admin)
            .json(&body)
            .send()
            .await
            .expect_problem(StatusCode::UNPROCESSABLE_ENTITY);
    }
    let unchanged = app.get(&path).send().await.expect(StatusCode::OK);
    assert_eq!(unchanged.body["stock"], 3);
    assert_eq!(unchanged.body["sku"], "P-1");
}

#[sqlx::test(migrations = "../migrations")]
async fn archived_products_disappear(db: PgPool) {
    let app = TestApp::new(db);
    let (_, admin) = app.admin().await;
    let id = id_of(&create(&app, &admin, product("GONE-1", "Gone", 2)).await);
    let path = format!("/products/{id}");
    let response = app
        .request(Method::DELETE, &path)
        .bearer(&admin)
        .send()
        .await
        .expect(StatusCode::NO_CONTENT);
    assert_eq!(response.body, Value::Null);
    app.get(&path)
        .send()
        .await
        .expect_problem(StatusCode::NOT_FOUND);
    let list = app.get("/products").send().await.expect(StatusCode::OK);
    assert!(list.body["items"].as_array().expect("items").is_empty());
    app.request(Method::DELETE, &path)
        .bearer(&admin)
        .send()
        .await
        .expect_problem(StatusCode::NOT_FOUND);
    app.request(Method::PATCH, &path)
        .bearer(&admin)
        .json(&json!({"name": "Back"}))
        .send()
        .await
        .expect_problem(StatusCode::NOT_FOUND);
    app.get("/products/not-a-uuid")
        .send()
        .await
        .expect_problem(StatusCode::NOT_FOUND);
}

#[sqlx::test(migrations = "../migrations")]
async fn adjustments_move_stock_and_write_the_ledger(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (_, admin) = app.admin().await;
    let id = id_of(&create(&app, &admin, product("ADJ-1", "Adjusted", 5)).await);
    let adjust = |delta: i64, reason: &str| {
        app.post(&format!("/products/{id}/stock-adjustments"))
            .bearer(&admin)
            .json(&json!({"delta": delta, "reason": reason}))
            .send()
    };
    let added = adjust(10, "delivery").await.expect(StatusCode::OK);
    assert_eq!(added.body["stock"], 15);
    let refused = adjust(-16, "breakage")
        .await
        .expect_problem(StatusCode::CONFLICT);
    assert_eq!(refused.body["available"], 15);
    adjust(0, "nothing")
        .await
        .expect_problem(StatusCode::UNPROCESSABLE_ENTITY);
    adjust(1, "")
        .await
        .expect_problem(StatusCode::UNPROCESSABLE_ENTITY);
    adjust(1, &"r".repeat(201))
        .await
        .expect_problem(StatusCode::UNPROCESSABLE_ENTITY);
    let removed = adjust(-15, "stocktake").await.expect(StatusCode::OK);
    assert_eq!(removed.body["stock"], 0);

    let movements = app
        .get(&format!("/products/{id}/stock-movements"))
        .bearer(&admin)
        .send()
        .await
        .expect(StatusCode::OK);
    let items = movements.body["items"].as_array().expect("items");
    let summary: Vec<(i64, &str, i64)> = items
        .iter()
        .map(|m| {
            (
                m["delta"].as_i64().unwrap(),
                m["reason"].as_str().unwrap(),
                m["stock_after"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (-15, "stocktake", 0),
            (10, "delivery", 15),
            (5, "initial stock", 5)
        ],
        "newest first, refused adjustments leave no trace"
    );
    assert_eq!(items[0]["order_id"], Value::Null);
    assert_ledger_matches_stock(&db).await;

    // Paged two at a time, the history comes out the same, newest first, each once.
    let mut paged = Vec::new();
    let mut path = format!("/products/{id}/stock-movements?limit=2");
    loop {
        let page = app
            .get(&path)
            .bearer(&admin)
            .send()
            .await
            .expect(StatusCode::OK);
        paged.extend(
            page.body["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m["id"].clone()),
        );
        match page.body["next_cursor"].as_str() {
            Some(cursor) => {
                path = format!("/products/{id}/stock-movements?limit=2&cursor={cursor}")
            }
            None => break,
        }
    }
    let all: Vec<Value> = items.iter().map(|m| m["id"].clone()).collect();
    assert_eq!(paged, all);

    let missing = format!("/products/{}/stock-adjustments", uuid::Uuid::now_v7());
    app.post(&missing)
        .bearer(&admin)
        .json(&json!({"delta": 1, "reason": "x"}))
        .send()
        .await
        .expect_problem(StatusCode::NOT_FOUND);
}

#[sqlx::test(migrations = "../migrations")]
async fn concurrent_adjustments_never_drift_or_go_negative(db: PgPool) {
    let app = std::sync::Arc::new(TestApp::new(db.clone()));
    let (_, admin) = app.admin().await;
    let id = id_of(&create(&app, &admin, product("RACE-1", "Raced", 10)).await);
    let mut tasks = Vec::new();
    for i in 0..100 {
        let app = app.clone();
        let admin = admin.clone();
        let path = format!("/products/{id}/stock-adjustments");
        // More removals than additions, so some must be refused at zero.
        let delta = if i % 3 == 0 { 1 } else { -1 };
        tasks.push(tokio::spawn(async move {
            let response = app
                .post(&path)
                .bearer(&admin)
                .json(&json!({"delta": delta, "reason": "race"}))
                .send()
                .await;
            (delta, response.status)
        }));
    }
    let mut expected = 10;
    let mut refused = 0;
    for task in tasks {
        let (delta, status) = task.await.expect("task");
        match status {
            StatusCode::OK => expected += delta,
            StatusCode::CONFLICT => refused += 1,
            other => panic!("unexpected status {other}"),
        }
    }
    assert!(refused > 0, "some removals met an empty shelf");
    let stock: i64 = sqlx::query_scalar("SELECT stock FROM inventory.products")
        .fetch_one(&db)
        .await
        .expect("stock");
    assert_eq!(stock, expected);
    assert!(stock >= 0);
    let negative: i64 =
        sqlx::query_scalar("SELECT count(*) FROM inventory.stock_movements WHERE stock_after < 0")
            .fetch_one(&db)
            .await
            .expect("movements");
    assert_eq!(negative, 0);
    assert_ledger_matches_stock(&db).await;
}

#[sqlx::test(migrations = "../migrations")]
async fn search_and_low_stock_filters(db: PgPool) {
    let app = TestApp::new(db);
    let (_, admin) = app.admin().await;
    create(&app, &admin, product("TEA-GREEN", "Sencha", 2)).await;
    create(&app, &admin, product("TEA-BLACK", "Assam", 50)).await;
    create(&app, &admin, product("MUG-1", "Green Mug", 50)).await;
    create(&app, &admin, product("PCT-1", "100% cotton", 50)).await;
    let names = |body: &Value| -> Vec<String> {
        body["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|p| p["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let green = app
        .get("/products?q=GREEN")
        .send()
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        names(&green.body),
        vec!["Green Mug", "Sencha"],
        "name or sku, any case, by name"
    );
    let tea = app
        .get("/products?q=tea-")
        .send()
        .await
        .expect(StatusCode::OK);
    assert_eq!(names(&tea.body), vec!["Assam", "Sencha"]);
    let across = app
        .get("/products?q=blackassam")
        .send()
        .await
        .expect(StatusCode::OK);
    assert!(
        names(&across.body).is_empty(),
        "no match across sku and name"
    );
    let percent = app
        .get("/products?q=%25")
        .send()
        .await
        .expect(StatusCode::OK);
    assert_eq!(names(&percent.body), vec!["100% cotton"], "% is literal");
    let low = app
        .get("/products?low_stock=true")
        .send()
        .await
        .expect(StatusCode::OK);
    assert_eq!(names(&low.body), vec!["Sencha"]);
    app.get("/products?low_stock=maybe")
        .send()
        .await
        .expect_problem(StatusCode::UNPROCESSABLE_ENTITY);
    for bad in ["0", "101", "x"] {
        app.get(&format!("/products?limit={bad}"))
            .send()
            .await
            .expect_problem(StatusCode::UNPROCESSABLE_ENTITY);
    }
    app.get("/products?cursor=garbage")
        .send()
        .await
        .expect_problem(StatusCode::UNPROCESSABLE_ENTITY);
}

#[sqlx::test(migrations = "../migrations")]
async fn paging_never_repeats_or_skips_while_rows_arrive(db: PgPool) {
    let app = TestApp::new(db);
    let (_, admin) = app.admin().await;
    let mut original = HashSet::new();
    for i in 0..25 {
        // Names in steps of 10 leave room to insert between existing rows.
        let created = create(
            &app,
            &admin,
            product(&format!("P-{i}"), &format!("Item {:03}", i * 10), 1),
        )
        .await;
        original.insert(id_of(&created));
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut inserted = 0;
    loop {
        let path = match &cursor {
            Some(cursor) => format!("/products?limit=10&cursor={cursor}"),
            None => "/products?limit=10".to_owned(),
        };
        let page = app.get(&path).send().await.expect(StatusCode::OK);
        for item in page.body["items"].as_array().expect("items") {
            seen.push(id_of(item));
        }
        // Between pages, new rows land before the cursor, right after it, and at the end.
        for name in ["Item 000a", "Item 095", "Item 999"] {
            inserted += 1;
            create(
                &app,
                &admin,
                product(&format!("NEW-{inserted}"), &format!("{name} {inserted}"), 1),
            )
            .await;
        }
        match page.body["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "no item is shown twice");
    assert!(
        original.iter().all(|id| unique.contains(id)),
        "no original item is skipped"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn values_postgres_cannot_hold_are_422_not_500(db: PgPool) {
    let app = TestApp::new(db);
    let (_, admin) = app.admin().await;
    app.post("/products")
        .bearer(&admin)
        .json(&json!({"sku": "NUL-1", "name": "nul\u{0}name", "price_cents": 1}))
        .send()
        .await
        .expect_problem(StatusCode::UNPROCESSABLE_ENTITY);
    // Cursors are opaque but not trusted: a forged one with a NUL in it is refused cleanly.
    let forged = shared::pagination::encode_cursor(&("a\u{0}", uuid::Uuid::now_v7()));
    app.get(&format!("/products?cursor={forged}"))
        .send()
        .await
        .expect_problem(StatusCode::UNPROCESSABLE_ENTITY);
    let id = id_of(&create(&app, &admin, product("ADJ-NUL", "Adjusted", 1)).await);
    app.post(&format!("/products/{id}/stock-adjustments"))
        .bearer(&admin)
        .json(&json!({"delta": i64::MIN, "reason": "overflow"}))
        .send()
        .await
        .expect_problem(StatusCode::UNPROCESSABLE_ENTITY);
}
