//! The Postgres pool and the schema migrations.

use std::pin::Pin;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::pool::PoolConnectionMetadata;
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPoolOptions};
use sqlx::{Connection, PgPool};

use crate::config::{self, ConfigError};
use crate::db_role::{self, DbRole};
use crate::db_tls;
use crate::secrets::{Secret, SecretStore};

/// Every migration of the product, embedded in each binary so any of them can migrate.
pub static MIGRATOR: Migrator = sqlx::migrate!("../migrations");

/// The database URL from `DATABASE_URL`.
pub fn database_url() -> Result<String, ConfigError> {
    config::required("DATABASE_URL")
}

/// The pool a Lambda instance keeps for its lifetime.
///
/// One connection: an instance serves one request at a time, and RDS connections are scarce
/// when hundreds of instances run. The connection is opened lazily so a cold start does not
/// wait for the database before the first request needs it (a function's start-up begins
/// opening it in the background: [`connect_in_background`]).
pub fn lambda_pool(url: &str) -> Result<PgPool, sqlx::Error> {
    Ok(lambda_pool_with(url.parse()?))
}

/// The pool of a function that connects as `role` to the server and database of `DATABASE_URL`.
///
/// Deployed, the role's password comes from its own secret (`DATABASE_SECRET_ARN`, registered on
/// RDS Proxy); locally that variable is unset and the role signs in without one, which Postgres
/// on loopback trusts. Either way the function is its role: a secret holding another role's
/// credentials stops start-up.
pub async fn role_pool(role: DbRole, secrets: &SecretStore) -> Result<PgPool, ConfigError> {
    let server = server_options_from_env()?;
    let password = match secrets.database_credentials().await? {
        Some(credentials) if credentials.username != role.name() => {
            return Err(ConfigError::Secret {
                name: Secret::DatabaseCredentials.arn_variable(),
                reason: format!(
                    "it holds the credentials of {}, but this function connects as {}",
                    credentials.username,
                    role.name()
                ),
            });
        }
        Some(credentials) => Some(credentials.password),
        None => None,
    };
    Ok(lambda_pool_with(role.options(&server, password.as_deref())))
}

/// `DATABASE_URL`'s connection options, with the certificate authorities that verify the
/// server when its `sslmode` is `verify-ca` or `verify-full` (see [`db_tls`]).
pub fn server_options_from_env() -> Result<PgConnectOptions, ConfigError> {
    let server = db_role::server_options(&database_url()?)?;
    db_tls::with_trusted_roots(server, config::optional("DATABASE_CA_CERT").as_deref())
}

/// [`lambda_pool`] over connection options instead of a URL.
pub fn lambda_pool_with(options: PgConnectOptions) -> PgPool {
    pool_options()
        .max_connections(1)
        .min_connections(0)
        .acquire_timeout(Duration::from_secs(5))
        .connect_lazy_with(options)
}

/// Starts opening `pool`'s connection without waiting for it. At a Lambda's start-up the
/// connection (TCP, TLS, the server's authentication) is then made while the function fetches
/// its secrets, instead of inside its first request. A failure is only logged: the first request
/// connects as it would have.
pub fn connect_in_background(pool: &PgPool) {
    let pool = pool.clone();
    tokio::spawn(async move {
        if let Err(error) = pool.acquire().await {
            tracing::warn!(%error, "connecting to the database at start-up failed; the first request tries again");
        }
    });
}

/// A connection idle at least this long is pinged before it is handed out.
const PING_AFTER_IDLE: Duration = Duration::from_secs(5);

/// Pool settings every pool shares. sqlx pings a connection on every acquire by default, a round
/// trip per statement run on the pool; here only one idle for [`PING_AFTER_IDLE`] is (a Lambda
/// instance thawed after minutes, a proxy that may have closed it), so busy instances pay none.
fn pool_options() -> PgPoolOptions {
    PgPoolOptions::new()
        .test_before_acquire(false)
        .before_acquire(ping_if_idle)
}

fn ping_if_idle<'c>(
    connection: &'c mut PgConnection,
    metadata: PoolConnectionMetadata,
) -> Pin<Box<dyn Future<Output = Result<bool, sqlx::Error>> + Send + 'c>> {
    Box::pin(async move {
        if metadata.idle_for >= PING_AFTER_IDLE {
            connection.ping().await?;
        }
        Ok(true)
    })
}

/// The pool of a function that has no database (`openapi`): it knows no server, no database and
/// no credentials, so any query fails at once instead of reaching anything.
pub fn no_database() -> PgPool {
    PgPoolOptions::new()
        .max_connections(1)
        .acquire_timeout(Duration::from_millis(100))
        .connect_lazy_with(
            PgConnectOptions::new_without_pgpass().socket("/nonexistent/no-database"),
        )
}

/// A pool for long-running tools and benchmarks that issue queries in parallel.
pub async fn connect(url: &str, max_connections: u32) -> Result<PgPool, sqlx::Error> {
    pool_options()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(10))
        .connect(url)
        .await
}

/// [`connect`] over connection options (credentials and TLS already in them).
pub async fn connect_with(
    options: PgConnectOptions,
    max_connections: u32,
) -> Result<PgPool, sqlx::Error> {
    pool_options()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(options)
        .await
}

/// Whether a statement failed on the named unique (or other) constraint, so a handler can turn
/// a race it lost into a 409 instead of a 500.
pub fn violates(error: &sqlx::Error, constraint: &str) -> bool {
    error
        .as_database_error()
        .and_then(|db| db.constraint())
        .is_some_and(|name| name == constraint)
}
