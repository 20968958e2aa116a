//! The deploy step that brings the database up to date: migrations, then the admin bootstrap.
//!
//! CloudFormation invokes it as a custom resource at every deploy and waits for the answer at
//! the request's presigned `ResponseURL`; an answer must be sent whatever happens, or the stack
//! hangs until CloudFormation's own timeout. An operator can also invoke it directly with `{}`.

use std::time::Duration;

use anyhow::Context;
use aws_lambda_events::event::cloudformation::{
    CloudFormationCustomResourceRequest, CloudFormationCustomResourceResponse,
    CloudFormationCustomResourceResponseStatus,
};
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
    let run = || run(database_url, patience);
    if event.get("RequestType").is_none() {
        return run()
            .await
            .map(|report| json!({ "status": "ok", "report": report }));
    }
    let request: CloudFormationCustomResourceRequest =
        serde_json::from_value(event).context("not a CloudFormation custom resource request")?;
    let (outcome, response_url, mut response) = match &request {
        CloudFormationCustomResourceRequest::Create(create) => (
            Some(run().await),
            create.response_url.clone(),
            response_for(
                &create.stack_id,
                &create.request_id,
                &create.logical_resource_id,
            ),
        ),
        CloudFormationCustomResourceRequest::Update(update) => (
            Some(run().await),
            update.response_url.clone(),
            response_for(
                &update.stack_id,
                &update.request_id,
                &update.logical_resource_id,
            ),
        ),
        // Deleting the stack deletes the database too; there is nothing to undo first.
        CloudFormationCustomResourceRequest::Delete(delete) => (
            None,
            delete.response_url.clone(),
            response_for(
                &delete.stack_id,
                &delete.request_id,
                &delete.logical_resource_id,
            ),
        ),
        other => anyhow::bail!("unsupported custom resource request: {other:?}"),
    };
    match &outcome {
        Some(Err(error)) => {
            tracing::error!(error = %format!("{error:#}"), "database deploy step failed");
            response.status = CloudFormationCustomResourceResponseStatus::Failed;
            response.reason = Some(format!("{error:#}"));
        }
        Some(Ok(report)) => response.reason = Some(report.clone()),
        None => response.reason = Some("nothing to do on delete".to_owned()),
    }
    answer(&response_url, &response).await?;
    Ok(json!({ "status": format!("{:?}", response.status) }))
}

fn response_for(
    stack_id: &str,
    request_id: &str,
    logical_id: &str,
) -> CloudFormationCustomResourceResponse {
    let mut response = CloudFormationCustomResourceResponse::default();
    response.physical_resource_id = PHYSICAL_ID.to_owned();
    response.stack_id = stack_id.to_owned();
    response.request_id = request_id.to_owned();
    response.logical_resource_id = logical_id.to_owned();
    response
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
