//! Accounts, passwords and access tokens.

pub mod bootstrap;
pub mod extract;
pub mod jwt_crypto;
pub mod login;
pub mod logout;
pub mod me;
pub mod password;
pub mod register;
pub mod session;
pub mod throttle;
pub mod tokens;
pub mod users;

use serde::{Deserialize, Serialize};

pub use extract::{AdminUser, AuthUser};

/// An account's role; the `text` column `auth.users.role` holds its lowercase name.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema, sqlx::Type,
)]
#[serde(rename_all = "lowercase")]
#[sqlx(type_name = "text", rename_all = "lowercase")]
pub enum Role {
    Customer,
    Admin,
}

impl Role {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "customer" => Some(Self::Customer),
            "admin" => Some(Self::Admin),
            _ => None,
        }
    }
}
