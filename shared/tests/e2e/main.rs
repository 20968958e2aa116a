//! End-to-end tests: the local stack started as `make dev` starts it (by `localstack/e2e.sh`),
//! driven over real HTTP. Ignored by a plain `cargo test`; the script runs them with
//! `--ignored` and sets `E2E_API_URL`.

mod client;
mod faults;
mod journeys;
mod restock_advice;
mod sessions;
mod summary;
#[path = "../api/webhook_receiver.rs"]
mod webhook_receiver;
mod webhooks;
