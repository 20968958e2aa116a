//! Functions read their secrets from Secrets Manager by ARN (moto here, as under `make dev`),
//! and only the secrets their needs name: a secret a function must not read can be unreadable
//! without the function noticing.

use std::collections::BTreeMap;

use shared::auth::Role;
use shared::auth::tokens::generate_key_pair;
use shared::db::role_pool;
use shared::db_role::DbRole;
use shared::functions::HTTP_FUNCTIONS;
use shared::secrets::{Secret, SecretStore};
use shared::state::AppState;
use testkit::MotoServer;
use uuid::Uuid;

/// The key pair in moto, its ARNs by secret.
async fn key_secrets(moto: &MotoServer, tag: &str) -> BTreeMap<Secret, String> {
    let (private, public) = generate_key_pair().expect("key pair");
    BTreeMap::from([
        (
            Secret::JwtPrivateKey,
            moto.secret(&format!("{tag}/jwt-private-key"), &private)
                .await,
        ),
        (
            Secret::JwtPublicKey,
            moto.secret(&format!("{tag}/jwt-public-key"), &public).await,
        ),
    ])
}

#[tokio::test]
async fn login_signs_with_the_key_it_read_and_others_verify_with_theirs() {
    let moto = MotoServer::start().await;
    let store = SecretStore::new(moto.secrets_client(), key_secrets(&moto, "sign").await);
    let login = shared::functions::find("auth-login");
    let me = shared::functions::find("auth-me");

    let signer = AppState::from_secrets(login.database, login.needs, &store)
        .await
        .expect("auth-login starts");
    let verifier = AppState::from_secrets(me.database, me.needs, &store)
        .await
        .expect("auth-me starts");

    let token = signer
        .tokens
        .issuer()
        .expect("login holds the signing key")
        .issue(Uuid::now_v7(), Role::Customer, 1)
        .expect("token");
    assert!(verifier.tokens.verify(&token).is_ok());
    assert!(verifier.tokens.issuer().is_err(), "auth-me cannot sign");
}

#[tokio::test]
async fn only_login_reads_the_private_key() {
    let moto = MotoServer::start().await;
    let mut arns = key_secrets(&moto, "only-login").await;
    // The private key's ARN names a secret that does not exist: reading it fails.
    arns.insert(
        Secret::JwtPrivateKey,
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:no-such-key-AbCdEf".into(),
    );
    arns.insert(
        Secret::WebhookSecretsKey,
        // Base64 of 32 bytes, the shape the webhook key takes.
        moto.secret(
            "only-login/webhook-secrets-key",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        )
        .await,
    );
    let store = SecretStore::new(moto.secrets_client(), arns);
    for function in HTTP_FUNCTIONS {
        let started = AppState::from_secrets(function.database, function.needs, &store).await;
        if function.name == "auth-login" {
            let Err(error) = started else {
                panic!("login cannot start without its key")
            };
            assert!(
                error.to_string().contains("JWT_PRIVATE_KEY_SECRET_ARN"),
                "{error}"
            );
        } else if function.needs.order_queue {
            // No ORDERS_QUEUE_URL in a test's environment: it stops there, not at the key.
            let Err(error) = started else {
                panic!("no queue here")
            };
            let error = error.to_string();
            assert!(error.contains("ORDERS_QUEUE_URL"), "{error}");
        } else {
            assert!(
                started.is_ok(),
                "{} starts without reading the private key",
                function.name
            );
        }
    }
}

#[tokio::test]
async fn only_webhook_creation_reads_the_webhook_key() {
    let moto = MotoServer::start().await;
    let mut arns = key_secrets(&moto, "only-webhooks").await;
    arns.insert(
        Secret::WebhookSecretsKey,
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:no-such-key-AbCdEf".into(),
    );
    let store = SecretStore::new(moto.secrets_client(), arns);
    for function in HTTP_FUNCTIONS.iter().filter(|f| !f.needs.order_queue) {
        let started = AppState::from_secrets(function.database, function.needs, &store).await;
        match started {
            Err(error) => {
                assert_eq!(function.name, "webhooks-create", "{error}");
                assert!(
                    error.to_string().contains("WEBHOOK_SECRETS_KEY_SECRET_ARN"),
                    "{error}"
                );
            }
            Ok(_) => assert_ne!(function.name, "webhooks-create", "it needs the key"),
        }
    }
}

#[tokio::test]
async fn a_missing_arn_or_an_unreadable_secret_is_named_and_nothing_leaks() {
    let moto = MotoServer::start().await;
    let store = SecretStore::new(moto.secrets_client(), BTreeMap::new());
    let missing = store.read(Secret::JwtPublicKey).await.unwrap_err();
    assert!(
        missing.to_string().contains("JWT_PUBLIC_KEY_SECRET_ARN"),
        "{missing}"
    );

    let arn = moto
        .secret("leak/database", "not json: hunter2-password")
        .await;
    let store = SecretStore::new(
        moto.secrets_client(),
        BTreeMap::from([(Secret::DatabaseCredentials, arn)]),
    );
    let error = store.database_credentials().await.unwrap_err().to_string();
    assert!(error.contains("DATABASE_SECRET_ARN"), "{error}");
    assert!(
        !error.contains("hunter2"),
        "the value stays out of the error: {error}"
    );
}

#[tokio::test]
async fn a_function_signs_in_only_with_its_own_roles_credentials() {
    let moto = MotoServer::start().await;
    let arn = moto
        .secret(
            "roles/shop_auth",
            r#"{"username": "shop_auth", "password": "auth-password"}"#,
        )
        .await;
    let store = SecretStore::new(
        moto.secrets_client(),
        BTreeMap::from([(Secret::DatabaseCredentials, arn)]),
    );
    let own = role_pool(DbRole::Auth, &store).await.expect("its own role");
    assert_eq!(own.connect_options().get_username(), "shop_auth");

    let error = role_pool(DbRole::Catalogue, &store).await.unwrap_err();
    assert!(
        error.to_string().contains("shop_auth") && error.to_string().contains("shop_catalogue"),
        "{error}"
    );
}

#[tokio::test]
async fn json_fields_are_read_from_the_stacks_generated_secrets() {
    let moto = MotoServer::start().await;
    let arn = moto
        .secret("fields/admin", r#"{"password": "a generated one"}"#)
        .await;
    let store = SecretStore::new(
        moto.secrets_client(),
        BTreeMap::from([(Secret::AdminPassword, arn)]),
    );
    assert_eq!(
        store
            .read_field(Secret::AdminPassword, "password")
            .await
            .expect("field"),
        "a generated one"
    );
    assert!(
        store
            .read_field(Secret::AdminPassword, "username")
            .await
            .is_err()
    );
}
