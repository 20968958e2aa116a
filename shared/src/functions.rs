//! Every HTTP function of the workspace: the Lambda's name (its crate under `functions/`), what
//! it loads at start-up and the routes it serves. Each `functions/*/main.rs` looks itself up
//! here by package name, so the wiring is data the tests can check, not 17 hand-written mains.

use axum::Router;

use crate::state::{AppState, Needs};
use crate::{auth, health, inventory, openapi, orders};

pub struct HttpFunction {
    pub name: &'static str,
    pub needs: Needs,
    pub routes: fn() -> Router<AppState>,
}

/// Least privilege: only login holds the signing key, only order creation the queue.
pub const HTTP_FUNCTIONS: &[HttpFunction] = &[
    HttpFunction {
        name: "health",
        needs: Needs::NOTHING,
        routes: health::routes,
    },
    HttpFunction {
        name: "openapi",
        needs: Needs::NOTHING,
        routes: openapi::routes,
    },
    HttpFunction {
        name: "auth-register",
        needs: Needs::NOTHING,
        routes: auth::register::routes,
    },
    HttpFunction {
        name: "auth-login",
        needs: Needs {
            signing_key: true,
            order_queue: false,
        },
        routes: auth::login::routes,
    },
    HttpFunction {
        name: "auth-me",
        needs: Needs::NOTHING,
        routes: auth::me::routes,
    },
    HttpFunction {
        name: "products-list",
        needs: Needs::NOTHING,
        routes: inventory::list::routes,
    },
    HttpFunction {
        name: "products-get",
        needs: Needs::NOTHING,
        routes: inventory::get::routes,
    },
    HttpFunction {
        name: "products-create",
        needs: Needs::NOTHING,
        routes: inventory::create::routes,
    },
    HttpFunction {
        name: "products-update",
        needs: Needs::NOTHING,
        routes: inventory::update::routes,
    },
    HttpFunction {
        name: "products-delete",
        needs: Needs::NOTHING,
        routes: inventory::archive::routes,
    },
    HttpFunction {
        name: "stock-adjust",
        needs: Needs::NOTHING,
        routes: inventory::adjust::routes,
    },
    HttpFunction {
        name: "stock-movements",
        needs: Needs::NOTHING,
        routes: inventory::movements::routes,
    },
    HttpFunction {
        name: "orders-create",
        needs: Needs {
            signing_key: false,
            order_queue: true,
        },
        routes: orders::create::routes,
    },
    HttpFunction {
        name: "orders-list",
        needs: Needs::NOTHING,
        routes: orders::list::routes,
    },
    HttpFunction {
        name: "orders-get",
        needs: Needs::NOTHING,
        routes: orders::get::routes,
    },
    HttpFunction {
        name: "orders-cancel",
        needs: Needs::NOTHING,
        routes: orders::cancel::routes,
    },
    HttpFunction {
        name: "orders-fulfil",
        needs: Needs::NOTHING,
        routes: orders::fulfil::routes,
    },
];

/// The HTTP function of that name, if there is one.
pub fn http_function(name: &str) -> Option<&'static HttpFunction> {
    HTTP_FUNCTIONS.iter().find(|function| function.name == name)
}
