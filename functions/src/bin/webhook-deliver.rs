//! SQS consumer of the webhook deliveries queue: one signed POST per message.
//! Its event source mapping must enable `ReportBatchItemFailures`.
use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};
use lambda_runtime::{Error, LambdaEvent, service_fn};
use shared::webhooks::consumer::DeliverFunction;

// One event at a time per instance: one thread serves it without cross-thread wake-ups.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    shared::telemetry::init();
    let function = DeliverFunction::from_env().await.inspect_err(|error| {
        tracing::error!(error = %format!("{error:#}"), "start-up failed");
    })?;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<SqsEvent>| {
        let function = function.clone();
        async move { Ok::<SqsBatchResponse, Error>(function.handle(event.payload).await) }
    }))
    .await
}
