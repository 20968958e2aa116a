//! `restock-advice`, the scheduled job that writes the AI restock note: see
//! `shared::restock::advice` for what one run does. Any event starts a run (EventBridge schedule
//! in AWS, the local event source's timer).
use lambda_runtime::{Error, LambdaEvent, service_fn};
use serde_json::Value;
use shared::db_role::DbRole;
use shared::restock::advice::{AdviceReport, AdviceSettings, RestockAdvisor};
use shared::secrets::SecretStore;

// One event at a time per instance: one thread serves it without cross-thread wake-ups.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    shared::telemetry::init();
    // The provider key from its secret (this function and order-summary alone may read it).
    let secrets = SecretStore::from_env();
    let mut settings = AdviceSettings::from_env()?;
    settings.provider = settings.provider.with_key_from(&secrets).await?;
    let db = shared::db::role_pool(DbRole::Advice, &secrets).await?;
    let advisor = std::sync::Arc::new(RestockAdvisor::new(db, settings)?);
    lambda_runtime::run(service_fn(move |_: LambdaEvent<Value>| {
        let advisor = advisor.clone();
        async move {
            let report = advisor.run().await.inspect_err(|error| {
                tracing::error!(error = %format!("{error:#}"), "restock-advice run failed");
            })?;
            tracing::info!(?report, "restock-advice run done");
            Ok::<AdviceReport, Error>(report)
        }
    }))
    .await
}
