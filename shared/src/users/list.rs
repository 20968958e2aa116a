//! `GET /users` (admin): accounts newest first, optionally matching an email fragment or a role.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use sqlx::{Postgres, QueryBuilder};
use uuid::Uuid;

use super::{USER_COLUMNS, User, UserRow};
use crate::auth::{AdminUser, Role};
use crate::error::{ApiResult, FieldErrors};
use crate::pagination::{Page, PageQuery, PageRequest};
use crate::query::ApiQuery;
use crate::state::AppState;

/// Longer than any email can be: a longer `q` can match nothing and is a mistake.
const MAX_QUERY_CHARS: usize = 254;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserQuery {
    /// Part of the email, any letter case.
    #[param(max_length = 254)]
    pub q: Option<String>,
    /// `customer` or `admin`.
    pub role: Option<String>,
    /// 1 to 100, default 20.
    pub limit: Option<String>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

type TimeKey = (DateTime<Utc>, Uuid);

pub fn routes() -> Router<AppState> {
    Router::new().route("/users", get(list_users))
}

#[utoipa::path(
    get, path = "/users", tag = "users",
    security(("bearer" = [])),
    params(UserQuery),
    responses(
        (status = 200, description = "A page of accounts, newest first", body = Page<User>),
        (status = 400, description = "Malformed query string", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid role, q, limit or cursor", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_users(
    State(state): State<AppState>,
    AdminUser(_admin): AdminUser,
    ApiQuery(query): ApiQuery<UserQuery>,
) -> ApiResult<Json<Page<User>>> {
    let mut errors = FieldErrors::new();
    let role = match query.role.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => {
            let role = Role::parse(raw);
            if role.is_none() {
                errors.add("role", "must be `customer` or `admin`");
            }
            role
        }
    };
    let term = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
    if term.is_some_and(|q| q.chars().count() > MAX_QUERY_CHARS || q.contains('\0')) {
        errors.add("q", "must be at most 254 characters, without NUL");
    }
    let page = PageRequest::<TimeKey>::parse(&PageQuery {
        limit: query.limit,
        cursor: query.cursor,
    });
    let page = errors.into_result_with(page)?;

    let mut sql: QueryBuilder<Postgres> =
        QueryBuilder::new(format!("SELECT {USER_COLUMNS} FROM auth.users WHERE true"));
    if let Some(term) = term {
        // strpos, not LIKE: the caller's `%` and `_` are letters of an email, not wildcards.
        sql.push(" AND strpos(lower(email), lower(")
            .push_bind(term)
            .push(")) > 0");
    }
    if let Some(role) = role {
        sql.push(" AND role = ").push_bind(role);
    }
    if let Some((created_at, id)) = page.after {
        sql.push(" AND (created_at, id) < (")
            .push_bind(created_at)
            .push(", ")
            .push_bind(id)
            .push(")");
    }
    sql.push(" ORDER BY created_at DESC, id DESC LIMIT ")
        .push_bind(page.fetch_limit());
    let rows: Vec<UserRow> = sql.build_query_as().fetch_all(&state.db).await?;
    let users: Vec<User> = rows.into_iter().map(User::from).collect();
    Ok(Json(Page::from_rows(users, page.limit, |user| {
        (user.created_at, user.id)
    })))
}
