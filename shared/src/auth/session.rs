//! The account state every authenticated request is checked against, and the ways a session
//! ends. One primary-key lookup through `auth.session_state`, the function other domains are
//! granted instead of the `auth.users` table.

use sqlx::PgExecutor;
use uuid::Uuid;

use super::Role;

/// What a token is compared with on every request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionState {
    pub role: Role,
    pub disabled: bool,
    pub version: i32,
}

/// The account's current state; `None` when it does not exist (any more).
pub async fn current(
    db: impl PgExecutor<'_>,
    account: Uuid,
) -> Result<Option<SessionState>, sqlx::Error> {
    let row: Option<(Role, bool, i32)> =
        sqlx::query_as("SELECT role, disabled, session_version FROM auth.session_state($1)")
            .bind(account)
            .fetch_optional(db)
            .await?;
    Ok(row.map(|(role, disabled, version)| SessionState {
        role,
        disabled,
        version,
    }))
}

/// Ends every token issued to the account so far (logout). Role and disabled changes end them
/// through the table's trigger instead, whoever makes the change.
pub async fn end_all(db: impl PgExecutor<'_>, account: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE auth.users SET session_version = session_version + 1 WHERE id = $1")
        .bind(account)
        .execute(db)
        .await?;
    Ok(())
}
