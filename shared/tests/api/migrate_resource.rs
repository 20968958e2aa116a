//! The deploy step answers CloudFormation whatever happens, and migrates a fresh database.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{Value, json};
use shared::db_role::server_options;
use shared::migrate_resource::handle_with;
use shared::secrets::SecretStore;
use sqlx::postgres::PgConnectOptions;
use testkit::MotoServer;
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn request(kind: &str, response_url: &str) -> Value {
    json!({
        "RequestType": kind,
        "ServiceToken": "arn:aws:lambda:eu-west-1:123456789012:function:shop-db-migrate",
        "ResponseURL": response_url,
        "StackId": "arn:aws:cloudformation:eu-west-1:123456789012:stack/shop/guid",
        "RequestId": "request-1",
        "ResourceType": "Custom::DatabaseSchema",
        "LogicalResourceId": "DatabaseSchema",
        "PhysicalResourceId": "shop-database-schema",
        "ResourceProperties": {"ServiceToken": "arn", "DeployNonce": "1"},
        "OldResourceProperties": {"ServiceToken": "arn", "DeployNonce": "0"}
    })
}

/// A CloudFormation stand-in that expects `answers` PUTs to `/response` whose JSON contains
/// `expected`; the returned URL goes in the request's `ResponseURL`. Drop verifies the count.
async fn cloudformation_expecting(expected: Value, answers: u64) -> (MockServer, String) {
    let cloudformation = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/response"))
        .and(body_partial_json(expected))
        .respond_with(ResponseTemplate::new(200))
        .expect(answers)
        .mount(&cloudformation)
        .await;
    let url = format!("{}/response", cloudformation.uri());
    (cloudformation, url)
}

fn server(url: &str) -> anyhow::Result<PgConnectOptions> {
    Ok(server_options(url)?)
}

/// No secret named: the local server trusts the owner, and no admin is ensured.
fn no_secrets() -> SecretStore {
    SecretStore::with_arns(BTreeMap::new())
}

/// Handles one request against a database nobody listens on.
async fn handle_without_database(kind: &str, response_url: &str) {
    handle_with(
        request(kind, response_url),
        server("postgres://nobody@127.0.0.1:1/none"),
        &no_secrets(),
        Duration::from_millis(100),
    )
    .await
    .expect("answered");
}

/// A database of its own on the test server, dropped at the end.
struct ScratchDatabase {
    server: String,
    name: String,
}

impl ScratchDatabase {
    async fn create() -> Self {
        let url = std::env::var("DATABASE_URL").expect("DATABASE_URL");
        let server = url.rsplit_once('/').expect("a database path").0.to_owned();
        let name = format!("migrate_test_{}", uuid::Uuid::new_v4().simple());
        let admin = sqlx::PgPool::connect(&format!("{server}/postgres"))
            .await
            .expect("server");
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&admin)
            .await
            .expect("create database");
        Self { server, name }
    }

    fn url(&self) -> String {
        format!("{}/{}", self.server, self.name)
    }

    async fn drop_it(self) {
        let admin = sqlx::PgPool::connect(&format!("{}/postgres", self.server))
            .await
            .expect("server");
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE {} WITH (FORCE)",
            self.name
        )))
        .execute(&admin)
        .await
        .expect("drop database");
    }
}

#[tokio::test]
async fn create_migrates_and_reports_success() {
    let (_cloudformation, url) = cloudformation_expecting(
        json!({
            "Status": "SUCCESS",
            "PhysicalResourceId": "shop-database-schema",
            "RequestId": "request-1",
            "LogicalResourceId": "DatabaseSchema"
        }),
        2,
    )
    .await;
    let database = ScratchDatabase::create().await;
    for kind in ["Create", "Update"] {
        handle_with(
            request(kind, &url),
            server(&database.url()),
            &no_secrets(),
            Duration::from_secs(5),
        )
        .await
        .expect("answered");
    }
    let pool = sqlx::PgPool::connect(&database.url())
        .await
        .expect("connect");
    let tables: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema IN ('auth', 'inventory', 'orders')",
    )
    .fetch_one(&pool)
    .await
    .expect("count");
    assert!(tables >= 7, "every schema is in place ({tables} tables)");
    pool.close().await;
    database.drop_it().await;
}

#[tokio::test]
async fn an_unreachable_database_is_reported_as_failed_not_left_hanging() {
    let (_cloudformation, url) = cloudformation_expecting(json!({"Status": "FAILED"}), 1).await;
    handle_without_database("Create", &url).await;
}

#[tokio::test]
async fn delete_succeeds_without_touching_the_database() {
    let (_cloudformation, url) = cloudformation_expecting(json!({"Status": "SUCCESS"}), 1).await;
    handle_without_database("Delete", &url).await;
}

#[tokio::test]
async fn an_unknown_request_type_is_answered_failed() {
    let (_cloudformation, url) = cloudformation_expecting(json!({"Status": "FAILED"}), 1).await;
    handle_without_database("Rename", &url).await;
}

/// The password verifier Postgres keeps for `role` (the test server's user is a superuser).
async fn verifier_of(database: &ScratchDatabase, role: &str) -> Option<String> {
    let pool = sqlx::PgPool::connect(&database.url())
        .await
        .expect("connect");
    let verifier = sqlx::query_scalar("SELECT rolpassword FROM pg_authid WHERE rolname = $1")
        .bind(role)
        .fetch_one(&pool)
        .await
        .expect("the role exists");
    pool.close().await;
    verifier
}

#[tokio::test]
async fn the_deploy_step_gives_each_role_the_password_of_its_secret() {
    let moto = MotoServer::start().await;
    let password = format!("relay-{}", uuid::Uuid::new_v4().simple());
    let arn = moto
        .secret(
            "deploy/shop_relay",
            &json!({"username": "shop_relay", "password": password}).to_string(),
        )
        .await;
    let store = SecretStore::new(moto.secrets_client(), BTreeMap::new());
    let (_cloudformation, url) = cloudformation_expecting(json!({"Status": "SUCCESS"}), 2).await;
    let database = ScratchDatabase::create().await;

    let mut before = None;
    for attempt in 0..2 {
        let mut event = request("Create", &url);
        event["ResourceProperties"]["RoleSecrets"] = json!({"shop_relay": arn});
        handle_with(
            event,
            server(&database.url()),
            &store,
            Duration::from_secs(5),
        )
        .await
        .expect("answered");
        let verifier = verifier_of(&database, "shop_relay")
            .await
            .expect("a password");
        // Postgres keeps the salted SCRAM verifier the deploy step computed (4096 rounds, as
        // Postgres would), never the password itself.
        assert!(verifier.starts_with("SCRAM-SHA-256$4096:"), "{verifier}");
        assert!(!verifier.contains(&password));
        if attempt == 1 {
            assert_ne!(Some(verifier), before, "set again at every deploy");
        } else {
            before = Some(verifier);
        }
    }
    database.drop_it().await;
}

#[tokio::test]
async fn the_deploy_step_sets_no_password_but_a_function_roles_own() {
    let moto = MotoServer::start().await;
    let owner = moto
        .secret(
            "deploy/owner",
            r#"{"username": "postgres", "password": "x"}"#,
        )
        .await;
    let auth = moto
        .secret(
            "deploy/auth",
            r#"{"username": "shop_auth", "password": "x"}"#,
        )
        .await;
    let store = SecretStore::new(moto.secrets_client(), BTreeMap::new());
    for role_secrets in [json!({"postgres": owner}), json!({"shop_health": auth})] {
        let (_cloudformation, url) = cloudformation_expecting(json!({"Status": "FAILED"}), 1).await;
        let database = ScratchDatabase::create().await;
        let mut event = request("Create", &url);
        event["ResourceProperties"]["RoleSecrets"] = role_secrets;
        handle_with(
            event,
            server(&database.url()),
            &store,
            Duration::from_secs(5),
        )
        .await
        .expect("answered");
        database.drop_it().await;
    }
}
