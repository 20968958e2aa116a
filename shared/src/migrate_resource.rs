//! The deploy step that brings the database up to date: migrations, then the admin bootstrap.
//!
//! CloudFormation invokes it as a custom resource at every deploy and waits for the answer at
//! the request's presigned `ResponseURL`; an answer must be sent whatever happens, or the stack
//! hangs until CloudFormation's own timeout. An operator can also invoke it directly with `{}`.
//!
//! It is the only function that holds the owner's credentials (`DATABASE_SECRET_ARN`) and the
//! admin's password (`ADMIN_PASSWORD_SECRET_ARN`). The request's `RoleSecrets` property names each
//! function role's secret (`{"shop_auth": arn, ...}`, the secrets RDS Proxy signs in with); after
//! the migrations it sets each role's password to its secret's, so a changed secret takes effect
//! at the next deploy (infra/README.md, rotation).

use std::time::Duration;

use anyhow::Context;
use aws_lambda_events::event::cloudformation::{
    CloudFormationCustomResourceResponse, CloudFormationCustomResourceResponseStatus,
};
use serde::Deserialize;
use serde_json::{Value, json};
use sqlx::PgPool;
use sqlx::postgres::PgConnectOptions;

use crate::auth::bootstrap;
use crate::config;
use crate::db;
use crate::db_role::DbRole;
use crate::role_password;
use crate::secrets::{DatabaseCredentials, Secret, SecretStore};

/// On a first deploy the database (behind RDS Proxy) may still be coming up.
const CONNECT_PATIENCE: Duration = Duration::from_secs(120);
const PHYSICAL_ID: &str = "shop-database-schema";

/// Handles one invocation: a CloudFormation request, or anything else as a direct run.
pub async fn handle(event: Value) -> anyhow::Result<Value> {
    let secrets = SecretStore::from_env();
    let server = db::server_options_from_env().map_err(anyhow::Error::from);
    // Boxed: the migration's future is deep enough to overflow the compiler's layout limit
    // inside the Lambda runtime's own futures.
    Box::pin(handle_with(event, server, &secrets, CONNECT_PATIENCE)).await
}

/// [`handle`] with the database server (options, or why there are none), the secrets and the
/// connection patience given. A server that could not be configured is answered FAILED too.
pub async fn handle_with(
    event: Value,
    server: anyhow::Result<PgConnectOptions>,
    secrets: &SecretStore,
    patience: Duration,
) -> anyhow::Result<Value> {
    let role_secrets = role_secrets(&event);
    if event.get("RequestType").is_none() {
        return run(server, secrets, &role_secrets, patience)
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
        "Create" | "Update" => run(server, secrets, &role_secrets, patience).await,
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

/// The `RoleSecrets` property: role name -> the ARN of its secret.
fn role_secrets(event: &Value) -> Vec<(String, String)> {
    event
        .pointer("/ResourceProperties/RoleSecrets")
        .and_then(Value::as_object)
        .map(|roles| {
            roles
                .iter()
                .filter_map(|(role, arn)| Some((role.clone(), arn.as_str()?.to_owned())))
                .collect()
        })
        .unwrap_or_default()
}

/// Migrates, sets the roles' passwords, then ensures the admin account; returns a line for the
/// deploy log.
async fn run(
    server: anyhow::Result<PgConnectOptions>,
    secrets: &SecretStore,
    role_secrets: &[(String, String)],
    patience: Duration,
) -> anyhow::Result<String> {
    let mut server = server?;
    if let Some(owner) = secrets.database_credentials().await? {
        server = server.username(&owner.username).password(&owner.password);
    }
    let pool = connect_patiently(server, patience).await?;
    db::MIGRATOR
        .run(&pool)
        .await
        .context("applying migrations")?;
    let roles = set_role_passwords(&pool, secrets, role_secrets).await?;
    let admin = match (
        config::optional("ADMIN_EMAIL"),
        secrets.has(Secret::AdminPassword),
    ) {
        (Some(email), true) => {
            let password = secrets
                .read_field(Secret::AdminPassword, "password")
                .await?;
            bootstrap::ensure_admin(&pool, email.trim(), &password).await?;
            format!("admin {} ensured", email.trim())
        }
        _ => "no admin configured".to_owned(),
    };
    pool.close().await;
    Ok(format!("migrations applied; {roles}; {admin}"))
}

/// Gives each function role the password of its secret. Only the product's roles are touched,
/// and a secret must name the role it is given for.
async fn set_role_passwords(
    pool: &PgPool,
    secrets: &SecretStore,
    role_secrets: &[(String, String)],
) -> anyhow::Result<String> {
    for (role, arn) in role_secrets {
        anyhow::ensure!(
            DbRole::ALL.iter().any(|known| known.name() == role),
            "RoleSecrets names {role:?}, which is not a function role"
        );
        let text = secrets.read_arn(arn, "RoleSecrets").await?;
        let credentials: DatabaseCredentials = serde_json::from_str(&text)
            .map_err(|_| anyhow::anyhow!("the secret of {role} is not {{username, password}}"))?;
        anyhow::ensure!(
            &credentials.username == role,
            "the secret given for {role} holds the credentials of {}",
            credentials.username
        );
        // Only a salted SCRAM verifier travels (statement logs keep statements and their
        // parameters), and the server quotes the statement (%I, %L).
        let verifier = role_password::scram_verifier(&credentials.password)?;
        let statement: String =
            sqlx::query_scalar("SELECT format('ALTER ROLE %I PASSWORD %L', $1::text, $2::text)")
                .bind(role)
                .bind(&verifier)
                .fetch_one(pool)
                .await
                .context("quoting a role's password")?;
        sqlx::raw_sql(sqlx::AssertSqlSafe(statement))
            .execute(pool)
            .await
            .with_context(|| format!("setting the password of {role}"))?;
    }
    Ok(format!("{} role passwords set", role_secrets.len()))
}

async fn connect_patiently(server: PgConnectOptions, patience: Duration) -> anyhow::Result<PgPool> {
    let started = tokio::time::Instant::now();
    let mut delay = Duration::from_secs(2);
    loop {
        match db::connect_with(server.clone(), 1).await {
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
    let status = crate::http_client::builder()
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
