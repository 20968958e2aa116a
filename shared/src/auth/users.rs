//! The `auth.users` table.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgExecutor;
use uuid::Uuid;

use super::Role;

/// An account as the API shows it: never the password hash.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UserView {
    pub id: Uuid,
    pub email: String,
    pub role: Role,
    pub created_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: Uuid,
    email: String,
    role: Role,
    password_hash: String,
    disabled: bool,
    session_version: i32,
    created_at: DateTime<Utc>,
}

pub struct UserWithHash {
    pub user: UserView,
    pub password_hash: String,
    pub disabled: bool,
    /// Goes into the tokens issued now (see `auth::session`).
    pub session_version: i32,
}

impl From<UserRow> for UserWithHash {
    fn from(row: UserRow) -> Self {
        Self {
            user: UserView {
                id: row.id,
                email: row.email,
                role: row.role,
                created_at: row.created_at,
            },
            password_hash: row.password_hash,
            disabled: row.disabled,
            session_version: row.session_version,
        }
    }
}

/// The name of the unique index that makes emails unique regardless of letter case.
pub const EMAIL_UNIQUE_INDEX: &str = "users_email_lower_key";

pub async fn insert(
    db: impl PgExecutor<'_>,
    email: &str,
    password_hash: &str,
    role: Role,
) -> Result<UserView, sqlx::Error> {
    let row: UserRow = sqlx::query_as(
        "INSERT INTO auth.users (id, email, password_hash, role) VALUES ($1, $2, $3, $4)
         RETURNING id, email, role, password_hash, disabled, session_version, created_at",
    )
    .bind(Uuid::now_v7())
    .bind(email)
    .bind(password_hash)
    .bind(role)
    .fetch_one(db)
    .await?;
    Ok(UserWithHash::from(row).user)
}

pub async fn find_by_email(
    db: impl PgExecutor<'_>,
    email: &str,
) -> Result<Option<UserWithHash>, sqlx::Error> {
    let row: Option<UserRow> = sqlx::query_as(
        "SELECT id, email, role, password_hash, disabled, session_version, created_at FROM auth.users WHERE lower(email) = lower($1)",
    )
    .bind(email)
    .fetch_optional(db)
    .await?;
    Ok(row.map(UserWithHash::from))
}

pub async fn find_by_id(
    db: impl PgExecutor<'_>,
    id: Uuid,
) -> Result<Option<UserView>, sqlx::Error> {
    let row: Option<UserRow> = sqlx::query_as(
        "SELECT id, email, role, password_hash, disabled, session_version, created_at FROM auth.users WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|row| UserWithHash::from(row).user))
}
