//! The deploy-time database step: migrations and the admin bootstrap (a CloudFormation custom
//! resource; see shared::migrate_resource).
use lambda_runtime::{Error, LambdaEvent, service_fn};
use serde_json::Value;

// One event at a time per instance: one thread serves it without cross-thread wake-ups.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    shared::telemetry::init();
    lambda_runtime::run(service_fn(|event: LambdaEvent<Value>| async move {
        shared::migrate_resource::handle(event.payload)
            .await
            .map_err(Error::from)
    }))
    .await
}
