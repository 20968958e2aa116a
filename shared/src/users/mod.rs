//! Staff management of accounts: `GET /users`, `PATCH /users/{id}`.

pub mod list;
pub mod update;

use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use crate::auth::Role;

/// An account as staff see it: never the password hash.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct User {
    pub id: Uuid,
    pub email: String,
    pub role: Role,
    pub disabled: bool,
    pub created_at: DateTime<Utc>,
}

pub const USER_COLUMNS: &str = "id, email, role, disabled, created_at";

#[derive(sqlx::FromRow)]
pub struct UserRow {
    id: Uuid,
    email: String,
    role: Role,
    disabled: bool,
    created_at: DateTime<Utc>,
}

impl From<UserRow> for User {
    fn from(row: UserRow) -> Self {
        Self {
            id: row.id,
            email: row.email,
            role: row.role,
            disabled: row.disabled,
            created_at: row.created_at,
        }
    }
}
