//! Test support for the shop: drives the API in-process (the real router and handlers against
//! a real Postgres, with no HTTP server in between) and starts real local AWS APIs. Used by the
//! handler tests, the end-to-end tests and the benchmarks; no Lambda links it.

mod app;
pub mod http;
mod ledger;
mod moto;
mod requests;

pub use app::{TEST_WEBHOOK_KEY, TestApp, test_audience, test_webhook_parts};
pub use ledger::assert_ledger_matches_stock;
pub use moto::{MotoServer, TestQueues, local_sqs_client};
pub use requests::{TestRequest, TestResponse};
