//! A product's reorder quantity (create, PATCH, bounds) and its `incoming` default.

use axum::http::{Method, StatusCode};
use serde_json::json;
use sqlx::PgPool;
use testkit::TestApp;

#[sqlx::test(migrations = "../migrations")]
async fn reorder_quantity_is_set_on_create_and_patch(db: PgPool) {
    let app = TestApp::new(db);
    let (_, admin) = app.admin().await;
    let plain = app
        .post("/products")
        .bearer(&admin)
        .json(&json!({"sku": "PLAIN", "name": "Plain", "price_cents": 100}))
        .send()
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(plain.body["reorder_quantity"], 0, "0 means not set");
    assert_eq!(plain.body["incoming"], 0, "nothing is on order");

    let set = app
        .post("/products")
        .bearer(&admin)
        .json(&json!({"sku": "SET", "name": "Set", "price_cents": 100, "reorder_quantity": 48}))
        .send()
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(set.body["reorder_quantity"], 48);

    let patched = app
        .request(Method::PATCH, &format!("/products/{}", set.id()))
        .bearer(&admin)
        .json(&json!({"reorder_quantity": 1_000_000_000}))
        .send()
        .await
        .expect(StatusCode::OK);
    assert_eq!(patched.body["reorder_quantity"], 1_000_000_000);
    let fetched = app
        .get(&format!("/products/{}", set.id()))
        .send()
        .await
        .expect(StatusCode::OK);
    assert_eq!(fetched.body, patched.body);
    let listed = app
        .get("/products?q=SET")
        .send()
        .await
        .expect(StatusCode::OK);
    assert_eq!(listed.body["items"][0]["reorder_quantity"], 1_000_000_000);
    assert_eq!(listed.body["items"][0]["incoming"], 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn reorder_quantity_out_of_bounds_is_422(db: PgPool) {
    let app = TestApp::new(db);
    let (_, admin) = app.admin().await;
    for bad in [json!(-1), json!(1_000_000_001)] {
        let refused = app
            .post("/products")
            .bearer(&admin)
            .json(
                &json!({"sku": "BAD", "name": "Bad", "price_cents": 100, "reorder_quantity": bad}),
            )
            .send()
            .await
            .expect_problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(refused.error_fields(), vec!["reorder_quantity"]);
    }
    let id = app
        .post("/products")
        .bearer(&admin)
        .json(&json!({"sku": "OK", "name": "Ok", "price_cents": 100}))
        .send()
        .await
        .expect(StatusCode::CREATED)
        .id();
    let refused = app
        .request(Method::PATCH, &format!("/products/{id}"))
        .bearer(&admin)
        .json(&json!({"reorder_quantity": -5}))
        .send()
        .await
        .expect_problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.error_fields(), vec!["reorder_quantity"]);
    let wrong_type = app
        .request(Method::PATCH, &format!("/products/{id}"))
        .bearer(&admin)
        .json(&json!({"reorder_quantity": "many"}))
        .send()
        .await;
    assert!(wrong_type.status.is_client_error(), "{}", wrong_type.status);
}
