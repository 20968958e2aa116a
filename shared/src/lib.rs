//! The shop's shared library: every Lambda function links it and contributes only its wiring.

pub mod app;
pub mod auth;
pub mod aws_env;
pub mod config;
pub mod db;
pub mod db_role;
pub mod db_tls;
pub mod error;
pub mod functions;
pub mod health;
pub mod http_client;
pub mod json;
pub mod migrate_resource;
pub mod openapi;
pub mod openapi_problems;
pub mod orders;
pub mod outbox_relay;
pub mod pagination;
pub mod products;
pub mod purchase_orders;
pub mod query;
pub mod reports;
pub mod restock;
pub mod role_password;
pub mod secrets;
pub mod serve;
pub mod spreadsheet;
pub mod state;
pub mod stock;
pub mod summary;
pub mod telemetry;
pub mod users;
pub mod webhooks;

pub use error::{ApiError, ApiResult};
pub use state::AppState;
