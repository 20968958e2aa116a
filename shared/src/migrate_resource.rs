//! The deploy step that brings the database up to date: migrations, then the admin bootstrap.
//!
//! CloudFormation invokes it as a custom resource at every deploy and waits for the answer at
//! the request's presigned `ResponseURL`; an answer must be sent whatever happens, or the stack
//! hangs until CloudFormation's own timeout. An operator can also invoke it directly with `{}`.

use std::time::Duration;

use anyhow::Context;
use aws_lambda_events::event::cloudformation::{
    CloudFormationCustomResourceResponse, CloudFormationCustomResourceResponseStatus,
};
use serde::Deserialize;
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::auth::bootstrap::{self, Outcome};
use crate::db;

/// On a first deploy the database (behind RDS Proxy) may still be coming up.
const CONNECT_PATIENCE: Duration = Duration::from_secs(120);
const PHYSICAL_ID: &str = "shop-database-schema";

/// Handles one invocation: a CloudFormation request, or anything else as a direct run.
pub async fn handle(event: Value) -> anyhow::Result<Value> {
    handle_with(event, &db::database_url()?, CONNECT_PATIENCE).await
}

/// [`handle`] with the database and the connection patience given.
pub async fn handle_with(
    event: Value,
    database_url: &str,
    patience: Duration,
) -> anyhow::Result<Value> {
    if event.get("RequestType").is_none() {
        return run(database_url, patience)
            .await
            .map(|report| json!({ "status": "ok", "report": report }));
    }
    // Only the envelope is read strictly: whatever else is wrong with the request, an answer
    // can still be sent to its ResponseURL.
    let envelope: Envelope = serde_json::from_value(event)
        .context("a custom resource request without its response fields")?;
    let mut response = CloudFormationCustomResourceResponse::default();
    response.physical_resource_id = PHYSICAL_ID.to_owned();
    response.stack_id = envelope.stack_id;
    response.request_id = envelope.request_id;
    response.logical_resource_id = envelope.logical_resource_id;
    let outcome = match envelope.request_type.as_str() {
        "Create" | "Update" => run(database_url, patience).await,
        // Deleting the stack deletes the database too; there is nothing to undo first.
        "Delete" => Ok("nothing to do on delete".to_owned()),
        other => Err(anyhow::anyhow!("unknown request type {other:?}")),
    };
    match outcome {
        Ok(report) => response.reason = Some(report),
        Err(error) => {
            tracing::error!(error = %format!("{error:#}"), "database deploy step failed");
            response.status = CloudFormationCustomResourceResponseStatus::Failed;
            response.reason = Some(format!("{error:#}"));
        }
    }
    answer(&envelope.response_url, &response).await?;
    Ok(json!({ "status": format!("{:?}", response.status) }))
}

/// The fields of a CloudFormation custom resource request that its answer needs.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Envelope {
    request_type: String,
    #[serde(rename = "ResponseURL")]
    response_url: String,
    stack_id: String,
    request_id: String,
    logical_resource_id: String,
}

/// Migrates, then ensures the admin account; returns a line for the deploy log.
async fn run(database_url: &str, patience: Duration) -> anyhow::Result<String> {
    let pool = connect_patiently(database_url, patience).await?;
    db::MIGRATOR
        .run(&pool)
        .await
        .context("applying migrations")?;
    let admin = match bootstrap::ensure_admin_from_env(&pool).await? {
        Outcome::NotConfigured => "no admin configured".to_owned(),
        Outcome::Ensured { email } => format!("admin {email} ensured"),
    };
    Ok(format!("migrations applied; {admin}"))
}

async fn connect_patiently(url: &str, patience: Duration) -> anyhow::Result<PgPool> {
    let started = tokio::time::Instant::now();
    let mut delay = Duration::from_secs(2);
    loop {
        match db::connect(url, 1).await {
            Ok(pool) => return Ok(pool),
            Err(error) if started.elapsed() < patience => {
                tracing::warn!(%error, retry_in = ?delay, "database not reachable yet");
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(Duration::from_secs(15));
            }
            Err(error) => return Err(error).context("the database did not become reachable"),
        }
    }
}

/// PUTs the answer to CloudFormation's presigned URL (no content type: it is not signed).
async fn answer(url: &str, response: &CloudFormationCustomResourceResponse) -> anyhow::Result<()> {
    let body = serde_json::to_vec(response).context("encoding the custom resource answer")?;
    let status = reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .context("building an HTTP client")?
        .put(url)
        .body(body)
        .send()
        .await
        .context("answering CloudFormation")?
        .status();
    anyhow::ensure!(
        status.is_success(),
        "CloudFormation's response URL answered {status}"
    );
    Ok(())
}
