//! `PATCH /users/{id}` (admin): change an account's role or disable it. The change ends that
//! account's sessions at once (the `auth.users` trigger raises its session version), and is
//! refused when it would leave the shop without an active admin.

use axum::extract::State;
use axum::routing::patch;
use axum::{Json, Router};
use serde::Deserialize;
use uuid::Uuid;

use super::{USER_COLUMNS, User, UserRow};
use crate::auth::{AdminUser, Role};
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::query::ApiPath;
use crate::state::AppState;

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    pub role: Option<Role>,
    pub disabled: Option<bool>,
}

/// Every change that could remove an active admin takes this transaction-scoped lock first,
/// so two admins demoting each other at once are serialised: the second sees the first's
/// change and is refused instead of both succeeding.
const ACTIVE_ADMINS_LOCK: i64 = 0x7573_6572_735f_6164; // "users_ad"

pub fn routes() -> Router<AppState> {
    Router::new().route("/users/{id}", patch(update_user))
}

#[utoipa::path(
    patch, path = "/users/{id}", tag = "users",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Account id")),
    request_body = UserPatch,
    responses(
        (status = 200, description = "The updated account; its earlier tokens no longer work", body = User),
        (status = 400, description = "Malformed JSON or not JSON", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The change would leave no active admin", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body over 1 MiB", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown field or invalid value", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn update_user(
    State(state): State<AppState>,
    AdminUser(_admin): AdminUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(patch): ApiJson<UserPatch>,
) -> ApiResult<Json<User>> {
    let mut tx = state.db.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(ACTIVE_ADMINS_LOCK)
        .execute(&mut *tx)
        .await?;
    let row: Option<UserRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "UPDATE auth.users SET role = COALESCE($2, role), disabled = COALESCE($3, disabled)
         WHERE id = $1 RETURNING {USER_COLUMNS}"
    )))
    .bind(id)
    .bind(patch.role)
    .bind(patch.disabled)
    .fetch_optional(&mut *tx)
    .await?;
    let user = User::from(row.ok_or(ApiError::NotFound)?);
    let active_admins: i64 =
        sqlx::query_scalar("SELECT count(*) FROM auth.users WHERE role = 'admin' AND NOT disabled")
            .fetch_one(&mut *tx)
            .await?;
    if active_admins == 0 {
        // Dropping the transaction rolls the change back.
        return Err(ApiError::conflict(
            "last-active-admin",
            "This change would leave no active admin.",
        ));
    }
    tx.commit().await?;
    Ok(Json(user))
}
