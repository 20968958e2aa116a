//! `GET /openapi.json`: the API description, generated from the handlers' annotations.

use axum::routing::get;
use axum::{Json, Router};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::openapi_problems::ProblemResponses;

use crate::state::AppState;
use crate::{
    auth, error, health, orders, products, purchase_orders, reports, restock, stock, users,
    webhooks,
};

#[derive(OpenApi)]
#[openapi(
    info(title = "Shop API", description = "Orders and inventory for a small shop."),
    paths(
        health::health,
        crate::openapi::openapi,
        auth::register::register,
        auth::login::login,
        auth::me::me,
        auth::logout::logout,
        users::list::list_users,
        users::update::update_user,
        products::list::list_products,
        products::get::get_product,
        products::create::create_product,
        products::update::update_product,
        products::delete::archive_product,
        stock::adjust::adjust_stock,
        stock::movements::list_movements,
        orders::create::create_order,
        orders::list::list_orders,
        orders::get::get_order,
        orders::cancel::cancel_order,
        orders::fulfil::fulfil_order,
        orders::summarise::summarise_order,
        orders::events::list_events,
        purchase_orders::create::create_purchase_order,
        purchase_orders::list::list_purchase_orders,
        purchase_orders::get::get_purchase_order,
        purchase_orders::receive::receive_purchase_order,
        purchase_orders::cancel::cancel_purchase_order,
        restock::suggestions::list_suggestions,
        restock::purchase_orders::order_suggestions,
        reports::sales::sales_report,
        reports::stock::stock_report,
        products::export::export_products,
        products::import::import_products,
        orders::export::export_orders,
        webhooks::create::create_endpoint,
        webhooks::list::list_endpoints,
        webhooks::update::update_endpoint,
        webhooks::delete::delete_endpoint,
        webhooks::deliveries::list_deliveries,
        webhooks::retry::retry_delivery,
    ),
    components(schemas(error::Problem, error::FieldError)),
    modifiers(&BearerAuth, &ProblemResponses),
    tags((name = "health"), (name = "auth"), (name = "users"), (name = "products"), (name = "orders"), (name = "restock"), (name = "reports"), (name = "webhooks"))
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/openapi.json", get(openapi))
}

#[utoipa::path(
    get, path = "/openapi.json", tag = "health",
    responses((status = 200, description = "This document", content_type = "application/json"))
)]
pub async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
