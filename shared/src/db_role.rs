//! The database role each function connects as (created and granted by
//! `migrations/0080_database_roles.sql`, `shop_advice` by `0100_restock_advice.sql`), and the connection options that make it so.
//!
//! `DATABASE_URL` names the server and the database; its user is the owner role, which only the
//! migrations use. A function keeps the host, port, database and TLS settings but replaces the
//! user with its own role, so a missing grant fails the same way on a laptop as in AWS.

use std::str::FromStr;

use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

use crate::config::ConfigError;

/// A domain's database role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DbRole {
    /// No table at all: enough to answer `SELECT 1`.
    Health,
    /// The auth schema.
    Auth,
    /// Products and the stock ledger.
    Catalogue,
    /// Orders, lines, idempotency keys and the outbox; stock through the catalogue's functions.
    Orders,
    /// Reads order facts, writes only the summary columns.
    Summary,
    /// The outbox and idempotency expiry.
    Relay,
    /// Webhook endpoints, their deliveries and attempts; reads the events others record.
    Webhooks,
    /// Reads what restock suggestions are made of; writes only the AI restock notes.
    Advice,
}

impl DbRole {
    pub const ALL: [DbRole; 8] = [
        DbRole::Health,
        DbRole::Auth,
        DbRole::Catalogue,
        DbRole::Orders,
        DbRole::Summary,
        DbRole::Relay,
        DbRole::Webhooks,
        DbRole::Advice,
    ];

    /// The role's name in Postgres.
    pub const fn name(self) -> &'static str {
        match self {
            DbRole::Health => "shop_health",
            DbRole::Auth => "shop_auth",
            DbRole::Catalogue => "shop_catalogue",
            DbRole::Orders => "shop_orders",
            DbRole::Summary => "shop_summary",
            DbRole::Relay => "shop_relay",
            DbRole::Webhooks => "shop_webhooks",
            DbRole::Advice => "shop_advice",
        }
    }

    /// `server` (the options of `DATABASE_URL`) as this role: same server, database and TLS,
    /// this role's name, and its own `password` where it has one (locally none: Postgres trusts
    /// loopback users). `DATABASE_URL` carries no password in a function's environment.
    pub fn options(self, server: &PgConnectOptions, password: Option<&str>) -> PgConnectOptions {
        let options = server.clone().username(self.name());
        match password {
            Some(password) => options.password(password),
            None => options,
        }
    }

    /// A pool like `like` (its size and timeouts) over the same database, connecting as this role.
    pub fn pool_like(self, like: &PgPool) -> PgPool {
        let options = self.options(&like.connect_options(), None);
        let pool: PgPoolOptions = like.options().clone();
        pool.connect_lazy_with(options)
    }
}

/// Parses `DATABASE_URL`-style text into connection options.
pub fn server_options(url: &str) -> Result<PgConnectOptions, ConfigError> {
    PgConnectOptions::from_str(url).map_err(|error| ConfigError::Malformed {
        name: "DATABASE_URL",
        reason: error.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_role_keeps_the_server_and_takes_its_own_password() {
        let server = server_options("postgres://master@db.example:6432/shop").expect("url");
        let options = DbRole::Catalogue.options(&server, Some("catalogue-secret"));
        assert_eq!(options.get_username(), "shop_catalogue");
        assert_eq!(options.get_host(), "db.example");
        assert_eq!(options.get_port(), 6432);
        assert_eq!(options.get_database(), Some("shop"));
    }

    #[test]
    fn role_names_are_distinct() {
        let names: std::collections::BTreeSet<_> = DbRole::ALL.iter().map(|r| r.name()).collect();
        assert_eq!(names.len(), DbRole::ALL.len());
    }
}
