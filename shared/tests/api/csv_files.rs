//! CSV in and out: the catalogue's export and import, and the orders export.

use axum::http::StatusCode;
use serde_json::{Value, json};
use shared::functions::find;
use sqlx::PgPool;
use testkit::{TestApp, assert_ledger_matches_stock};
use uuid::Uuid;

const HEADER: &str = "sku,name,description,price_cents,stock,low_stock_threshold,reorder_quantity";

async fn product(app: &TestApp, admin: &str, body: Value) -> Uuid {
    let created = app
        .post("/products")
        .bearer(admin)
        .json(&body)
        .send()
        .await
        .expect(StatusCode::CREATED);
    Uuid::parse_str(&created.id()).expect("uuid")
}

async fn export(app: &TestApp, admin: &str) -> String {
    let answer = app
        .get("/products/export.csv")
        .bearer(admin)
        .send()
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        answer.header("content-type"),
        Some("text/csv; charset=utf-8")
    );
    answer.body.as_str().expect("a CSV text").to_owned()
}

async fn import(app: &TestApp, admin: &str, query: &str, file: String) -> Value {
    app.post(&format!("/products/import{query}"))
        .bearer(admin)
        .raw_body("text/csv", file)
        .send()
        .await
        .expect(StatusCode::OK)
        .body
}

async fn count(db: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
        .fetch_one(db)
        .await
        .expect("count")
}

fn cells(file: &str) -> Vec<Vec<String>> {
    csv::Reader::from_reader(file.as_bytes())
        .records()
        .map(|record| record.expect("record").iter().map(str::to_owned).collect())
        .collect()
}

/// A catalogue with the awkward cases: formula-like text, commas, quotes, new lines.
async fn awkward_catalogue(app: &TestApp, admin: &str) -> Uuid {
    product(app, admin, json!({"sku": "-LEAD", "name": "=HYPERLINK(\"http://evil.example\")", "description": "a, \"quoted\"\nsecond line", "price_cents": 1250, "stock": 7, "low_stock_threshold": 2, "reorder_quantity": 30})).await;
    product(
        app,
        admin,
        json!({"sku": "AT", "name": "@SUM(A1:A9)", "description": "+1 -1", "price_cents": 0}),
    )
    .await;
    product(
        app,
        admin,
        json!({"sku": "PLAIN", "name": "'90s mug", "price_cents": 999, "stock": 3}),
    )
    .await
}

#[sqlx::test(migrations = "../migrations")]
async fn an_exported_catalogue_imports_back_unchanged(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (_, admin) = app.admin().await;
    awkward_catalogue(&app, &admin).await;
    let file = export(&app, &admin).await;
    assert_eq!(file.lines().next(), Some(HEADER));
    let movements = count(&db, "SELECT count(*) FROM inventory.stock_movements").await;
    let before: Vec<Value> = app
        .get("/products")
        .send()
        .await
        .expect(StatusCode::OK)
        .body["items"]
        .as_array()
        .expect("items")
        .clone();

    let outcome = import(&app, &admin, "", file.clone()).await;
    assert_eq!(outcome, json!({"created": 0, "updated": 0, "errors": []}));
    assert_eq!(export(&app, &admin).await, file);
    let after: Vec<Value> = app
        .get("/products")
        .send()
        .await
        .expect(StatusCode::OK)
        .body["items"]
        .as_array()
        .expect("items")
        .clone();
    assert_eq!(before, after, "not even updated_at moved");
    assert_eq!(
        count(&db, "SELECT count(*) FROM inventory.stock_movements").await,
        movements
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn formula_like_cells_are_written_as_text(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (_, admin) = app.admin().await;
    awkward_catalogue(&app, &admin).await;
    let rows = cells(&export(&app, &admin).await);
    // By sku: -LEAD, AT, PLAIN.
    assert_eq!(rows[0][0], "'-LEAD");
    assert_eq!(rows[0][1], "'=HYPERLINK(\"http://evil.example\")");
    assert_eq!(rows[0][2], "a, \"quoted\"\nsecond line");
    assert_eq!(rows[1][1], "'@SUM(A1:A9)");
    assert_eq!(rows[1][2], "'+1 -1");
    assert_eq!(
        rows[2][1], "'90s mug",
        "an apostrophe before plain text is left alone"
    );
    for row in &rows {
        for cell in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@']),
                "no cell starts like a formula: {cell:?}"
            );
        }
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn an_import_creates_updates_and_moves_stock_through_the_ledger(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (admin_id, admin) = app.admin().await;
    let mug = product(
        &app,
        &admin,
        json!({"sku": "MUG", "name": "Mug", "price_cents": 1000, "stock": 10}),
    )
    .await;
    let file = format!(
        "{HEADER}\nMUG,Blue mug,,1100,4,3,12\nTEA,Tea,'=green,300,25,,\nNEW,No stock column,x,1,,,\n"
    );

    let dry = import(&app, &admin, "?dry_run=true", file.clone()).await;
    assert_eq!(dry, json!({"created": 2, "updated": 1, "errors": []}));
    assert_eq!(
        count(&db, "SELECT count(*) FROM inventory.products").await,
        1,
        "a dry run writes nothing"
    );

    let done = import(&app, &admin, "?dry_run=false", file).await;
    assert_eq!(done, json!({"created": 2, "updated": 1, "errors": []}));
    let mug_now = app
        .get(&format!("/products/{mug}"))
        .send()
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(
        (
            &mug_now["name"],
            &mug_now["price_cents"],
            &mug_now["stock"],
            &mug_now["low_stock_threshold"],
            &mug_now["reorder_quantity"]
        ),
        (
            &json!("Blue mug"),
            &json!(1100),
            &json!(4),
            &json!(3),
            &json!(12)
        )
    );
    let moves: Vec<(i64, String, Option<Uuid>)> = sqlx::query_as(
        "SELECT delta, reason, actor_id FROM inventory.stock_movements WHERE product_id = $1 ORDER BY created_at",
    )
    .bind(mug)
    .fetch_all(&db)
    .await
    .expect("movements");
    assert_eq!(
        moves[1],
        (-6, "import".to_owned(), Some(admin_id)),
        "one movement sets the stock"
    );
    let tea: (String, String, i64, i64) = sqlx::query_as(
        "SELECT name, description, stock, low_stock_threshold FROM inventory.products WHERE sku = 'TEA'",
    )
    .fetch_one(&db)
    .await
    .expect("tea");
    assert_eq!(tea, ("Tea".to_owned(), "=green".to_owned(), 25, 5));
    assert_ledger_matches_stock(&db).await;
}

#[sqlx::test(migrations = "../migrations")]
async fn a_file_with_errors_on_several_lines_writes_nothing(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (_, admin) = app.admin().await;
    let mug = product(
        &app,
        &admin,
        json!({"sku": "MUG", "name": "Mug", "price_cents": 1000, "stock": 10}),
    )
    .await;
    let file = format!(
        "{HEADER}\nMUG,Changed,,1,1,1,1\nGOOD,Good,,5,5,5,5\nbad sku,x,,5,,,\nOK2,,,-3,lots,,\nGOOD,Twice,,5,,,\n"
    );
    let outcome = import(&app, &admin, "", file).await;
    assert_eq!(outcome["created"], 0);
    assert_eq!(outcome["updated"], 0);
    let errors: Vec<(i64, &str)> = outcome["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|error| {
            (
                error["line"].as_i64().expect("line"),
                error["field"].as_str().expect("field"),
            )
        })
        .collect();
    assert_eq!(
        errors,
        [
            (4, "sku"),
            (5, "name"),
            (5, "price_cents"),
            (5, "stock"),
            (6, "sku")
        ]
    );
    assert!(
        outcome["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM inventory.products").await,
        1
    );
    let now = app
        .get(&format!("/products/{mug}"))
        .send()
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!((&now["name"], &now["stock"]), (&json!("Mug"), &json!(10)));
    assert_eq!(
        count(&db, "SELECT count(*) FROM inventory.stock_movements").await,
        1
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn an_archived_sku_is_an_error_of_its_line(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (_, admin) = app.admin().await;
    let old = product(
        &app,
        &admin,
        json!({"sku": "OLD", "name": "Old", "price_cents": 1}),
    )
    .await;
    app.request(axum::http::Method::DELETE, &format!("/products/{old}"))
        .bearer(&admin)
        .send()
        .await
        .expect(StatusCode::NO_CONTENT);
    let outcome = import(
        &app,
        &admin,
        "",
        format!("{HEADER}\nNEW,New,,1,,,\nOLD,Old,,1,,,\n"),
    )
    .await;
    assert_eq!(outcome["errors"][0]["line"], 3);
    assert_eq!(outcome["errors"][0]["field"], "sku");
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM inventory.products WHERE sku = 'NEW'"
        )
        .await,
        0
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn at_most_ten_thousand_rows(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (_, admin) = app.admin().await;
    let file = |rows: usize| {
        let mut file = String::from("sku,name,price_cents\n");
        for row in 0..rows {
            file.push_str(&format!("SKU-{row},Product {row},100\n"));
        }
        file
    };
    app.post("/products/import")
        .bearer(&admin)
        .raw_body("text/csv", file(10_001))
        .send()
        .await
        .expect_problem(StatusCode::PAYLOAD_TOO_LARGE);
    let outcome = import(&app, &admin, "?dry_run=true", file(10_000)).await;
    assert_eq!(outcome["created"], 10_000);
    assert_eq!(
        count(&db, "SELECT count(*) FROM inventory.products").await,
        0
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn imports_need_staff_and_a_csv_body(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (_, admin) = app.admin().await;
    let (_, customer) = app.customer().await;
    let file = format!("{HEADER}\nA,A,,1,,,\n");
    app.post("/products/import")
        .bearer(&customer)
        .raw_body("text/csv", file.clone())
        .send()
        .await
        .expect_problem(StatusCode::FORBIDDEN);
    app.post("/products/import")
        .bearer(&admin)
        .raw_body("application/json", file.clone())
        .send()
        .await
        .expect_problem(StatusCode::BAD_REQUEST);
    app.post("/products/import?dry_run=maybe")
        .bearer(&admin)
        .raw_body("text/csv", file)
        .send()
        .await
        .expect_problem(StatusCode::BAD_REQUEST);
    let not_utf8 = app
        .post("/products/import")
        .bearer(&admin)
        .raw_body("text/csv", b"sku,name,price_cents\nA,\xff\xfe,1\n".to_vec())
        .send()
        .await
        .expect(StatusCode::OK);
    assert_eq!(not_utf8.body["errors"][0]["line"], 2);
    app.get("/products/export.csv")
        .bearer(&customer)
        .send()
        .await
        .expect_problem(StatusCode::FORBIDDEN);
}

#[sqlx::test(migrations = "../migrations")]
async fn export_csv_is_not_taken_for_a_product_id(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (_, admin) = app.admin().await;
    // The function that serves /products/{id} alone: `export.csv` is no id, so 404...
    let products_get = app.function(&find("products-get"), None).await;
    products_get
        .get("/products/export.csv")
        .bearer(&admin)
        .send()
        .await
        .expect_problem(StatusCode::NOT_FOUND);
    // ...while the export function and every route together answer with the file.
    let products_export = app.function(&find("products-export"), None).await;
    assert!(export(&products_export, &admin).await.starts_with(HEADER));
    assert!(export(&app, &admin).await.starts_with(HEADER));
    let orders_export = app.function(&find("orders-export"), None).await;
    orders_export
        .get("/orders/export.csv")
        .bearer(&admin)
        .send()
        .await
        .expect(StatusCode::OK);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_orders_export_lists_each_line_of_the_period_newest_first(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (_, admin) = app.admin().await;
    let (_, customer) = app.customer().await;
    let evil = product(
        &app,
        &admin,
        json!({"sku": "EVIL", "name": "=cmd|' /C calc'!A0", "price_cents": 200, "stock": 10}),
    )
    .await;
    let mug = product(
        &app,
        &admin,
        json!({"sku": "MUG", "name": "Mug", "price_cents": 1000, "stock": 10}),
    )
    .await;
    let mut placed = Vec::new();
    for lines in [vec![(mug, 1)], vec![(mug, 2), (evil, 3)]] {
        let items: Vec<Value> = lines
            .iter()
            .map(|(id, q)| json!({"product_id": id, "quantity": q}))
            .collect();
        let created = app
            .post("/orders")
            .bearer(&customer)
            .json(&json!({ "items": items }))
            .send()
            .await
            .expect(StatusCode::CREATED);
        placed.push(created.id());
    }
    let answer = app
        .get("/orders/export.csv")
        .bearer(&admin)
        .send()
        .await
        .expect(StatusCode::OK);
    let file = answer.body.as_str().expect("csv").to_owned();
    assert!(file.starts_with("order_id,created_at,status,customer_email,line_no,product_id,sku,name,unit_price_cents,quantity,line_total_cents,order_total_cents\n"));
    let rows = cells(&file);
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0][0], placed[1], "newest order first");
    assert_eq!(rows[2][0], placed[0]);
    let evil_line = rows.iter().find(|row| row[6] == "EVIL").expect("evil line");
    assert_eq!(evil_line[7], "'=cmd|' /C calc'!A0");
    assert_eq!(
        (
            evil_line[9].as_str(),
            evil_line[10].as_str(),
            evil_line[11].as_str()
        ),
        ("3", "600", "2600")
    );

    let future = app
        .get("/orders/export.csv?from=2099-01-01T00:00:00Z&to=2099-02-01T00:00:00Z")
        .bearer(&admin)
        .send()
        .await
        .expect(StatusCode::OK);
    assert_eq!(cells(future.body.as_str().expect("csv")).len(), 0);
    for bad in [
        "?from=2024-01-01T00:00:00Z&to=2025-01-02T00:00:01Z",
        "?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z",
        "?from=last-week",
    ] {
        app.get(&format!("/orders/export.csv{bad}"))
            .bearer(&admin)
            .send()
            .await
            .expect_problem(StatusCode::UNPROCESSABLE_ENTITY);
    }
}
