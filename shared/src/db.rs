//! The Postgres pool and the schema migrations.

use std::time::Duration;

use sqlx::PgPool;
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

use crate::config::{self, ConfigError};
use crate::db_role::{self, DbRole};

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
/// wait for the database before the first request needs it.
pub fn lambda_pool(url: &str) -> Result<PgPool, sqlx::Error> {
    Ok(lambda_pool_with(url.parse()?))
}

/// The pool of a function that connects as `role` to the server and database of `DATABASE_URL`.
///
/// `DATABASE_ROLES=off` keeps `DATABASE_URL`'s own user instead: the deployed template sets it
/// until each role has its own credentials registered on RDS Proxy, since a role without a
/// password cannot sign in there.
pub fn role_pool_from_env(role: DbRole) -> Result<PgPool, ConfigError> {
    let server = db_role::server_options(&database_url()?)?;
    if roles_disabled(std::env::var("DATABASE_ROLES").ok().as_deref()) {
        return Ok(lambda_pool_with(server));
    }
    Ok(lambda_pool_with(role.options(&server, None)))
}

fn roles_disabled(setting: Option<&str>) -> bool {
    setting.is_some_and(|value| value.eq_ignore_ascii_case("off"))
}

/// [`lambda_pool`] over connection options instead of a URL.
pub fn lambda_pool_with(options: PgConnectOptions) -> PgPool {
    PgPoolOptions::new()
        .max_connections(1)
        .min_connections(0)
        .acquire_timeout(Duration::from_secs(5))
        .connect_lazy_with(options)
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
    PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(10))
        .connect(url)
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

#[cfg(test)]
mod role_setting_tests {
    use super::roles_disabled;

    #[test]
    fn only_off_keeps_the_url_user() {
        assert!(roles_disabled(Some("off")));
        assert!(roles_disabled(Some("OFF")));
        assert!(!roles_disabled(None));
        assert!(!roles_disabled(Some("on")));
        assert!(!roles_disabled(Some("")));
    }
}
