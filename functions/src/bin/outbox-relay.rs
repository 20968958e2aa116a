//! Scheduled sweep: relays unsent outbox rows to the orders queue and expires idempotency keys.
//! Any event starts a sweep (EventBridge schedule in AWS, the local event source's timer).
use lambda_runtime::{Error, LambdaEvent, service_fn};
use serde_json::Value;
use shared::housekeeping::{self, SweepReport};
use shared::orders::queue::OrderQueue;

#[tokio::main]
async fn main() -> Result<(), Error> {
    shared::telemetry::init();
    let url = shared::db::database_url()?;
    let db = shared::db::lambda_pool(&url)?;
    let queue = OrderQueue::from_env().await?;
    lambda_runtime::run(service_fn(move |_: LambdaEvent<Value>| {
        let (db, queue) = (db.clone(), queue.clone());
        async move {
            let report: SweepReport =
                housekeeping::sweep(&db, &queue)
                    .await
                    .inspect_err(|error| {
                        tracing::error!(error = %format!("{error:#}"), "sweep failed");
                    })?;
            if report != SweepReport::default() {
                tracing::info!(?report, "sweep done");
            }
            Ok::<SweepReport, Error>(report)
        }
    }))
    .await
}
