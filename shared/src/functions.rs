//! Every HTTP function of the workspace: the Lambda's name (its binary,
//! `functions/src/bin/<name>.rs`), the database role it connects as, what it loads at start-up
//! and the routes it serves. Each binary looks itself up here by its own name at compile time
//! (`find(env!("CARGO_BIN_NAME"))`), so the wiring is data the tests can check, not a
//! hand-written main per function, and each binary still links only its own handlers.

use axum::Router;

use crate::db_role::DbRole;
use crate::state::{AppState, Needs};
use crate::{
    auth, health, openapi, orders, products, purchase_orders, reports, restock, stock, users,
    webhooks,
};

#[derive(Clone, Copy)]
pub struct HttpFunction {
    pub name: &'static str,
    /// The database role it connects as; `None`: it gets no database at all.
    pub database: Option<DbRole>,
    pub needs: Needs,
    pub routes: fn() -> Router<AppState>,
}

/// Least privilege: each function connects as its domain's database role, only login holds the
/// signing key, only order creation the queue, only webhook creation the webhook secrets key.
pub const HTTP_FUNCTIONS: &[HttpFunction] = &[
    HttpFunction {
        name: "health",
        database: Some(DbRole::Health),
        needs: Needs::NOTHING,
        routes: health::routes,
    },
    HttpFunction {
        name: "openapi",
        database: None,
        needs: Needs::NOTHING,
        routes: openapi::routes,
    },
    HttpFunction {
        name: "auth-register",
        database: Some(DbRole::Auth),
        needs: Needs::NOTHING,
        routes: auth::register::routes,
    },
    HttpFunction {
        name: "auth-login",
        database: Some(DbRole::Auth),
        needs: Needs {
            signing_key: true,
            order_queue: false,
            webhook_secrets: false,
        },
        routes: auth::login::routes,
    },
    HttpFunction {
        name: "auth-me",
        database: Some(DbRole::Auth),
        needs: Needs::NOTHING,
        routes: auth::me::routes,
    },
    HttpFunction {
        name: "auth-logout",
        database: Some(DbRole::Auth),
        needs: Needs::NOTHING,
        routes: auth::logout::routes,
    },
    HttpFunction {
        name: "users-list",
        database: Some(DbRole::Auth),
        needs: Needs::NOTHING,
        routes: users::list::routes,
    },
    HttpFunction {
        name: "users-update",
        database: Some(DbRole::Auth),
        needs: Needs::NOTHING,
        routes: users::update::routes,
    },
    HttpFunction {
        name: "products-list",
        database: Some(DbRole::Catalogue),
        needs: Needs::NOTHING,
        routes: products::list::routes,
    },
    HttpFunction {
        name: "products-get",
        database: Some(DbRole::Catalogue),
        needs: Needs::NOTHING,
        routes: products::get::routes,
    },
    HttpFunction {
        name: "products-create",
        database: Some(DbRole::Catalogue),
        needs: Needs::NOTHING,
        routes: products::create::routes,
    },
    HttpFunction {
        name: "products-update",
        database: Some(DbRole::Catalogue),
        needs: Needs::NOTHING,
        routes: products::update::routes,
    },
    HttpFunction {
        name: "products-delete",
        database: Some(DbRole::Catalogue),
        needs: Needs::NOTHING,
        routes: products::delete::routes,
    },
    HttpFunction {
        name: "stock-adjust",
        database: Some(DbRole::Catalogue),
        needs: Needs::NOTHING,
        routes: stock::adjust::routes,
    },
    HttpFunction {
        name: "stock-movements",
        database: Some(DbRole::Catalogue),
        needs: Needs::NOTHING,
        routes: stock::movements::routes,
    },
    HttpFunction {
        name: "orders-create",
        database: Some(DbRole::Orders),
        needs: Needs {
            signing_key: false,
            order_queue: true,
            webhook_secrets: false,
        },
        routes: orders::create::routes,
    },
    HttpFunction {
        name: "orders-list",
        database: Some(DbRole::Orders),
        needs: Needs::NOTHING,
        routes: orders::list::routes,
    },
    HttpFunction {
        name: "orders-get",
        database: Some(DbRole::Orders),
        needs: Needs::NOTHING,
        routes: orders::get::routes,
    },
    HttpFunction {
        name: "orders-cancel",
        database: Some(DbRole::Orders),
        needs: Needs::NOTHING,
        routes: orders::cancel::routes,
    },
    HttpFunction {
        name: "orders-fulfil",
        database: Some(DbRole::Orders),
        needs: Needs::NOTHING,
        routes: orders::fulfil::routes,
    },
    HttpFunction {
        name: "orders-summarise",
        database: Some(DbRole::Orders),
        needs: Needs::NOTHING,
        routes: orders::summarise::routes,
    },
    HttpFunction {
        name: "orders-events",
        database: Some(DbRole::Orders),
        needs: Needs::NOTHING,
        routes: orders::events::routes,
    },
    HttpFunction {
        name: "purchase-orders-create",
        database: Some(DbRole::Catalogue),
        needs: Needs::NOTHING,
        routes: purchase_orders::create::routes,
    },
    HttpFunction {
        name: "purchase-orders-list",
        database: Some(DbRole::Catalogue),
        needs: Needs::NOTHING,
        routes: purchase_orders::list::routes,
    },
    HttpFunction {
        name: "purchase-orders-get",
        database: Some(DbRole::Catalogue),
        needs: Needs::NOTHING,
        routes: purchase_orders::get::routes,
    },
    HttpFunction {
        name: "purchase-orders-receive",
        database: Some(DbRole::Catalogue),
        needs: Needs::NOTHING,
        routes: purchase_orders::receive::routes,
    },
    HttpFunction {
        name: "purchase-orders-cancel",
        database: Some(DbRole::Catalogue),
        needs: Needs::NOTHING,
        routes: purchase_orders::cancel::routes,
    },
    HttpFunction {
        name: "restock-suggestions",
        database: Some(DbRole::Catalogue),
        needs: Needs::NOTHING,
        routes: restock::suggestions::routes,
    },
    HttpFunction {
        name: "restock-purchase-orders",
        database: Some(DbRole::Catalogue),
        needs: Needs::NOTHING,
        routes: restock::purchase_orders::routes,
    },
    HttpFunction {
        name: "reports-sales",
        database: Some(DbRole::Catalogue),
        needs: Needs::NOTHING,
        routes: reports::sales::routes,
    },
    HttpFunction {
        name: "reports-stock",
        database: Some(DbRole::Catalogue),
        needs: Needs::NOTHING,
        routes: reports::stock::routes,
    },
    HttpFunction {
        name: "products-export",
        database: Some(DbRole::Catalogue),
        needs: Needs::NOTHING,
        routes: products::export::routes,
    },
    HttpFunction {
        name: "products-import",
        database: Some(DbRole::Catalogue),
        needs: Needs::NOTHING,
        routes: products::import::routes,
    },
    HttpFunction {
        name: "orders-export",
        database: Some(DbRole::Orders),
        needs: Needs::NOTHING,
        routes: orders::export::routes,
    },
    HttpFunction {
        name: "webhooks-create",
        database: Some(DbRole::Webhooks),
        needs: Needs {
            signing_key: false,
            order_queue: false,
            webhook_secrets: true,
        },
        routes: webhooks::create::routes,
    },
    HttpFunction {
        name: "webhooks-list",
        database: Some(DbRole::Webhooks),
        needs: Needs::NOTHING,
        routes: webhooks::list::routes,
    },
    HttpFunction {
        name: "webhooks-update",
        database: Some(DbRole::Webhooks),
        needs: Needs::NOTHING,
        routes: webhooks::update::routes,
    },
    HttpFunction {
        name: "webhooks-delete",
        database: Some(DbRole::Webhooks),
        needs: Needs::NOTHING,
        routes: webhooks::delete::routes,
    },
    HttpFunction {
        name: "webhooks-deliveries",
        database: Some(DbRole::Webhooks),
        needs: Needs::NOTHING,
        routes: webhooks::deliveries::routes,
    },
    HttpFunction {
        name: "webhooks-retry",
        database: Some(DbRole::Webhooks),
        needs: Needs::NOTHING,
        routes: webhooks::retry::routes,
    },
];

/// The entry of a function, for a main to evaluate at compile time:
/// `const FUNCTION: HttpFunction = find(env!("CARGO_PKG_NAME"));` does not build for a name
/// without an entry, and leaves the other entries' handlers out of the binary.
pub const fn find(name: &str) -> HttpFunction {
    let mut index = 0;
    while index < HTTP_FUNCTIONS.len() {
        if same(HTTP_FUNCTIONS[index].name, name) {
            return HTTP_FUNCTIONS[index];
        }
        index += 1;
    }
    panic!("no HTTP function has this name: add it to shared::functions::HTTP_FUNCTIONS")
}

/// `a == b` for strings, which `const fn` cannot write directly yet.
const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut index = 0;
    while index < a.len() {
        if a[index] != b[index] {
            return false;
        }
        index += 1;
    }
    true
}
