//! Handler tests: the real router against a real Postgres, a fresh database per test
//! (`#[sqlx::test]` creates and drops it; `DATABASE_URL` names the server).
//! One test binary for all of them keeps link time down.

mod auth;
mod contract;
mod csv_files;
mod db_tls;
mod fake_provider;
mod fault_proxy;
mod functions;
mod gateway_bodies;
mod migrate_resource;
mod order_details;
mod order_summary;
mod orders;
mod outbox_relay;
mod pipeline;
mod products;
mod purchase_orders;
mod reorder;
mod reports;
mod restock;
mod restock_advice;
mod roles;
mod round_trips;
mod router_table;
mod secrets;
mod sessions;
mod sign_in_throttle;
mod summary;
mod summary_eval;
mod summary_golden;
mod summary_history;
mod summary_skips;
mod throttle;
mod timeline;
mod tls_clients;
mod top_products;
mod updated_at;
mod users;
mod webhook_delivery;
mod webhook_events;
mod webhook_receiver;
mod webhooks;
