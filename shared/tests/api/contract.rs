//! The contract every route keeps: health, unknown routes and undecodable paths as problems,
//! panics answered, and an OpenAPI document that describes every route and its limits.

use axum::http::StatusCode;
use serde_json::json;
use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;
use testkit::TestApp;

#[sqlx::test(migrations = "../migrations")]
async fn health_is_ok_when_the_database_answers(db: PgPool) {
    let app = TestApp::new(db);
    let response = app.get("/health").send().await.expect(StatusCode::OK);
    assert_eq!(response.body, json!({"status": "ok"}));
}

#[sqlx::test(migrations = "../migrations")]
async fn health_is_503_when_the_database_is_gone(db: PgPool) {
    let mut app = TestApp::new(db);
    // Nothing listens on port 1.
    app.state.db = PgPoolOptions::new()
        .acquire_timeout(std::time::Duration::from_millis(500))
        .connect_lazy("postgres://nobody@127.0.0.1:1/none")
        .expect("lazy pool");
    let app = TestApp::with_state(app.state, app.private_key_pem, app.public_key_pem);
    let response = app
        .get("/health")
        .send()
        .await
        .expect_problem(StatusCode::SERVICE_UNAVAILABLE);
    let body = response.body.to_string();
    assert!(!body.contains("127.0.0.1"), "no internals leak: {body}");
}

#[sqlx::test(migrations = "../migrations")]
async fn unknown_routes_are_404_problems(db: PgPool) {
    let app = TestApp::new(db);
    app.get("/nope")
        .send()
        .await
        .expect_problem(StatusCode::NOT_FOUND);
}

#[sqlx::test(migrations = "../migrations")]
async fn openapi_describes_every_route(db: PgPool) {
    let app = TestApp::new(db);
    let response = app.get("/openapi.json").send().await.expect(StatusCode::OK);
    assert!(
        response.body["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3."))
    );
    let paths = response.body["paths"].as_object().expect("paths");
    // Every route of the local router table (Cargo.toml), with its method.
    let routes = crate::router_table::routes();
    for route in &routes {
        let method = route.method.to_lowercase();
        assert!(
            paths
                .get(&route.path)
                .and_then(|p| p.get(&method))
                .is_some(),
            "{method} {} is documented",
            route.path
        );
    }
    // And nothing documented is missing from the table: the counts of operations agree.
    let documented: usize = paths
        .values()
        .map(|path| path.as_object().map_or(0, |methods| methods.len()))
        .sum();
    assert_eq!(
        routes.len(),
        documented,
        "every documented route is in the router table"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_panicking_handler_still_answers_a_problem(db: PgPool) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    let app = TestApp::new(db);
    let router = shared::app::finish(
        axum::Router::new().route(
            "/boom",
            axum::routing::get(|| async {
                if true {
                    panic!("a bug");
                }
            }),
        ),
        app.state.clone(),
    );
    let response = router
        .oneshot(
            axum::http::Request::get("/boom")
                .body(axum::body::Body::empty())
                .expect("request"),
        )
        .await
        .expect("infallible");
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(
        response
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap()),
        Some("application/problem+json")
    );
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    assert!(!String::from_utf8_lossy(&body).contains("a bug"));
}

#[sqlx::test(migrations = "../migrations")]
async fn undecodable_path_segments_are_404_problems(db: PgPool) {
    let app = TestApp::new(db);
    app.get("/products/%FF")
        .send()
        .await
        .expect_problem(StatusCode::NOT_FOUND);
}

#[sqlx::test(migrations = "../migrations")]
async fn openapi_states_the_limits_the_handlers_enforce(db: PgPool) {
    use shared::orders::create as orders;
    use shared::orders::shipping;
    use shared::products::validate;
    use shared::purchase_orders;
    use shared::stock::adjust;

    let app = TestApp::new(db);
    let spec = app
        .get("/openapi.json")
        .send()
        .await
        .expect(StatusCode::OK)
        .body;
    let field = |schema: &str, field: &str, keyword: &str| -> i64 {
        spec["components"]["schemas"][schema]["properties"][field][keyword]
            .as_f64()
            .unwrap_or_else(|| panic!("{schema}.{field} states {keyword}")) as i64
    };
    let limits = [
        (
            "NewProduct",
            "sku",
            "maxLength",
            validate::MAX_SKU_CHARS as i64,
        ),
        (
            "NewProduct",
            "name",
            "maxLength",
            validate::MAX_NAME_CHARS as i64,
        ),
        (
            "NewProduct",
            "description",
            "maxLength",
            validate::MAX_DESCRIPTION_CHARS as i64,
        ),
        (
            "NewProduct",
            "price_cents",
            "maximum",
            validate::MAX_PRICE_CENTS,
        ),
        ("NewProduct", "stock", "maximum", validate::MAX_STOCK),
        (
            "NewProduct",
            "low_stock_threshold",
            "maximum",
            validate::MAX_THRESHOLD,
        ),
        (
            "ProductPatch",
            "name",
            "maxLength",
            validate::MAX_NAME_CHARS as i64,
        ),
        (
            "ProductPatch",
            "description",
            "maxLength",
            validate::MAX_DESCRIPTION_CHARS as i64,
        ),
        (
            "ProductPatch",
            "price_cents",
            "maximum",
            validate::MAX_PRICE_CENTS,
        ),
        (
            "ProductPatch",
            "low_stock_threshold",
            "maximum",
            validate::MAX_THRESHOLD,
        ),
        ("StockAdjustment", "delta", "maximum", adjust::MAX_DELTA),
        ("StockAdjustment", "delta", "minimum", -adjust::MAX_DELTA),
        (
            "StockAdjustment",
            "reason",
            "maxLength",
            adjust::MAX_REASON_CHARS as i64,
        ),
        ("NewOrder", "items", "maxItems", orders::MAX_LINES as i64),
        ("NewOrderLine", "quantity", "maximum", orders::MAX_QUANTITY),
        (
            "NewOrder",
            "note",
            "maxLength",
            shipping::MAX_NOTE_CHARS as i64,
        ),
        (
            "Shipping",
            "name",
            "maxLength",
            shipping::MAX_ADDRESS_FIELD_CHARS as i64,
        ),
        (
            "Shipping",
            "line1",
            "maxLength",
            shipping::MAX_ADDRESS_FIELD_CHARS as i64,
        ),
        (
            "Shipping",
            "line2",
            "maxLength",
            shipping::MAX_ADDRESS_FIELD_CHARS as i64,
        ),
        (
            "Shipping",
            "city",
            "maxLength",
            shipping::MAX_ADDRESS_FIELD_CHARS as i64,
        ),
        (
            "Shipping",
            "postal_code",
            "maxLength",
            shipping::MAX_ADDRESS_FIELD_CHARS as i64,
        ),
        ("Shipping", "country", "maxLength", 2),
        ("Shipping", "name", "minLength", 1),
        ("Shipping", "country", "minLength", 2),
        // The lower bounds the validators write inline.
        ("NewProduct", "sku", "minLength", 1),
        ("NewProduct", "name", "minLength", 1),
        ("NewProduct", "price_cents", "minimum", 0),
        ("NewProduct", "stock", "minimum", 0),
        ("NewProduct", "low_stock_threshold", "minimum", 0),
        ("ProductPatch", "name", "minLength", 1),
        ("ProductPatch", "price_cents", "minimum", 0),
        ("ProductPatch", "low_stock_threshold", "minimum", 0),
        ("StockAdjustment", "reason", "minLength", 1),
        ("NewOrder", "items", "minItems", 1),
        ("NewOrderLine", "quantity", "minimum", 1),
        (
            "NewProduct",
            "reorder_quantity",
            "maximum",
            validate::MAX_REORDER_QUANTITY,
        ),
        ("NewProduct", "reorder_quantity", "minimum", 0),
        (
            "ProductPatch",
            "reorder_quantity",
            "maximum",
            validate::MAX_REORDER_QUANTITY,
        ),
        ("ProductPatch", "reorder_quantity", "minimum", 0),
        (
            "NewPurchaseOrder",
            "supplier",
            "maxLength",
            purchase_orders::MAX_SUPPLIER_CHARS as i64,
        ),
        ("NewPurchaseOrder", "supplier", "minLength", 1),
        (
            "NewPurchaseOrder",
            "lines",
            "maxItems",
            purchase_orders::MAX_LINES as i64,
        ),
        ("NewPurchaseOrder", "lines", "minItems", 1),
        (
            "NewPurchaseOrderLine",
            "quantity",
            "maximum",
            purchase_orders::MAX_QUANTITY,
        ),
        ("NewPurchaseOrderLine", "quantity", "minimum", 1),
        (
            "NewPurchaseOrderLine",
            "unit_cost_cents",
            "maximum",
            purchase_orders::MAX_UNIT_COST_CENTS,
        ),
        (
            "Receipt",
            "lines",
            "maxItems",
            purchase_orders::MAX_LINES as i64,
        ),
        (
            "ReceiptLine",
            "quantity",
            "maximum",
            purchase_orders::MAX_QUANTITY,
        ),
        ("ReceiptLine", "quantity", "minimum", 1),
        (
            "SuggestedPurchaseOrder",
            "supplier",
            "maxLength",
            purchase_orders::MAX_SUPPLIER_CHARS as i64,
        ),
        (
            "SuggestedPurchaseOrder",
            "product_ids",
            "maxItems",
            purchase_orders::MAX_LINES as i64,
        ),
        ("SuggestedPurchaseOrder", "product_ids", "minItems", 1),
    ];
    for (schema, name, keyword, enforced) in limits {
        assert_eq!(
            field(schema, name, keyword),
            enforced,
            "{schema}.{name} {keyword} matches the handler"
        );
    }
}
