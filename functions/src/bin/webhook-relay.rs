//! `webhook-relay`, the scheduled job: see `shared::webhooks::fanout` for what one run does.
//! Any event starts a run (EventBridge schedule in AWS, the local event source's timer).
use lambda_runtime::{Error, LambdaEvent, service_fn};
use serde_json::Value;
use shared::db_role::DbRole;
use shared::secrets::SecretStore;
use shared::webhooks::fanout::{self, RelayReport, RelaySettings};
use shared::webhooks::queue::DeliveryQueue;

// One event at a time per instance: one thread serves it without cross-thread wake-ups.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    shared::telemetry::init();
    let settings = RelaySettings::from_env()?;
    let db = shared::db::role_pool(DbRole::Webhooks, &SecretStore::from_env()).await?;
    let queue = DeliveryQueue::from_env().await?;
    lambda_runtime::run(service_fn(move |_: LambdaEvent<Value>| {
        let (db, queue, settings) = (db.clone(), queue.clone(), settings.clone());
        async move {
            let report = fanout::run(&db, &queue, &settings)
                .await
                .inspect_err(|error| {
                    tracing::error!(error = %format!("{error:#}"), "webhook-relay run failed");
                })?;
            if report != RelayReport::default() {
                tracing::info!(?report, "webhook-relay run done");
            }
            Ok::<RelayReport, Error>(report)
        }
    }))
    .await
}
