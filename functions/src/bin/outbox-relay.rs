//! `outbox-relay`, the scheduled job: see `shared::outbox_relay` for what one run does.
//! Any event starts a run (EventBridge schedule in AWS, the local event source's timer).
use lambda_runtime::{Error, LambdaEvent, service_fn};
use serde_json::Value;
use shared::db_role::DbRole;
use shared::orders::queue::OrderQueue;
use shared::outbox_relay::{self, OutboxRelayReport, OutboxRelaySettings};
use shared::secrets::SecretStore;

// One event at a time per instance: one thread serves it without cross-thread wake-ups.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    shared::telemetry::init();
    let settings = OutboxRelaySettings::from_env()?;
    let db = shared::db::role_pool(DbRole::Relay, &SecretStore::from_env()).await?;
    let queue = OrderQueue::from_env().await?;
    lambda_runtime::run(service_fn(move |_: LambdaEvent<Value>| {
        let (db, queue, settings) = (db.clone(), queue.clone(), settings.clone());
        async move {
            let report = outbox_relay::run(&db, &queue, &settings)
                .await
                .inspect_err(|error| {
                    tracing::error!(error = %format!("{error:#}"), "outbox-relay run failed");
                })?;
            if report != OutboxRelayReport::default() {
                tracing::info!(?report, "outbox-relay run done");
            }
            Ok::<OutboxRelayReport, Error>(report)
        }
    }))
    .await
}
