//! The `auth.users` table.

use anyhow::Context;
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
    role: String,
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

impl TryFrom<UserRow> for UserWithHash {
    type Error = anyhow::Error;

    fn try_from(row: UserRow) -> anyhow::Result<Self> {
        let role =
            Role::parse(&row.role).with_context(|| format!("unknown role {:?}", row.role))?;
        Ok(Self {
            user: UserView {
                id: row.id,
                email: row.email,
                role,
                created_at: row.created_at,
            },
            password_hash: row.password_hash,
            disabled: row.disabled,
            session_version: row.session_version,
        })
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
    .bind(role.as_str())
    .fetch_one(db)
    .await?;
    UserWithHash::try_from(row)
        .map(|found| found.user)
        .map_err(|error| sqlx::Error::Decode(error.into()))
}

pub async fn find_by_email(
    db: impl PgExecutor<'_>,
    email: &str,
) -> anyhow::Result<Option<UserWithHash>> {
    let row: Option<UserRow> = sqlx::query_as(
        "SELECT id, email, role, password_hash, disabled, session_version, created_at FROM auth.users WHERE lower(email) = lower($1)",
    )
    .bind(email)
    .fetch_optional(db)
    .await
    .context("looking up a user by email")?;
    row.map(UserWithHash::try_from).transpose()
}

pub async fn find_by_id(db: impl PgExecutor<'_>, id: Uuid) -> anyhow::Result<Option<UserView>> {
    let row: Option<UserRow> = sqlx::query_as(
        "SELECT id, email, role, password_hash, disabled, session_version, created_at FROM auth.users WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await
    .context("looking up a user by id")?;
    Ok(row
        .map(UserWithHash::try_from)
        .transpose()?
        .map(|found| found.user))
}
