//! `POST /orders`: checkout. One statement (`orders.place_order`, see `place`) counts the order
//! against the throttle, takes the stock and writes the order, its lines and movements, its
//! `created` event, the outbox row and the `order.created` webhook event (the order as staff see
//! it); with an `Idempotency-Key` the answer is stored in the same transaction. The queue hears of the order after commit.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use uuid::Uuid;

use super::idempotency;
use super::outbox;
use super::place::{self, Checkout, Placement, RefusedLine};
use super::queue::OrderMessage;
use super::shipping::{Shipping, normalise_note, normalise_shipping};
use super::throttle;
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult, FieldErrors, PROBLEM_JSON};
use crate::json::ApiJson;
use crate::state::AppState;
use crate::stock::ledger::{Shortage, StockLine};

pub const MAX_LINES: usize = 50;
pub const MAX_QUANTITY: i64 = 1000;

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NewOrder {
    #[schema(min_items = 1, max_items = 50)]
    pub items: Vec<NewOrderLine>,
    // Absent fields are left out of the serialised form, so the idempotency fingerprint of an
    // order without them is what it was before they existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping: Option<Shipping>,
    /// The customer's words for staff (at most 500 characters); never sent to the AI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 500)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NewOrderLine {
    pub product_id: Uuid,
    #[schema(example = 2, minimum = 1, maximum = 1000)]
    pub quantity: i64,
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/orders", post(create_order))
}

#[utoipa::path(
    post, path = "/orders", tag = "orders",
    security(("bearer" = [])),
    request_body = NewOrder,
    params(("Idempotency-Key" = Option<String>, Header, description = "1–255 characters; a repeat with the same body replays the first answer")),
    responses(
        (status = 201, description = "Order confirmed, stock taken", body = super::Order),
        (status = 401, description = "No valid token", body = crate::error::Problem),
        (status = 409, description = "Some lines lack stock; `short` lists every one and nothing is taken", body = crate::error::Problem),
        (status = 422, description = "Invalid order, unknown or archived product, or a reused key with another body", body = crate::error::Problem),
        (status = 429, description = "More than the account's orders per minute (30 by default); `Retry-After` says when to try again, nothing is taken", body = crate::error::Problem),
    )
)]
pub async fn create_order(
    State(state): State<AppState>,
    user: AuthUser,
    headers: HeaderMap,
    ApiJson(request): ApiJson<NewOrder>,
) -> ApiResult<Response> {
    let extras = validate(&request)?;
    let key = idempotency::key_from(&headers)?;
    let hash = key.as_ref().map(|_| idempotency::fingerprint(&request));
    let lines: Vec<StockLine> = request
        .items
        .iter()
        .map(|line| StockLine {
            product_id: line.product_id,
            quantity: line.quantity,
        })
        .collect();
    let message = OrderMessage {
        order_id: Uuid::now_v7(),
        correlation_id: Uuid::new_v4(),
    };
    let checkout = Checkout {
        order_id: message.order_id,
        user_id: user.id,
        lines: &lines,
        shipping: extras.shipping.as_ref(),
        note: extras.note.as_deref(),
        message: &message,
        outbox_id: Uuid::now_v7(),
        idempotency: key.as_deref().zip(hash.as_deref()),
        rate_limit: throttle::limit_per_minute(),
    };

    let Some((key, hash)) = checkout.idempotency else {
        // Without a key the statement is the whole transaction: one round trip.
        let placement = place::place(&state.db, &checkout).await?;
        return finish(&state, &checkout, answer(placement, None, &user, &request)?).await;
    };
    // With a key, the answer is stored in the transaction that claimed the key, so a concurrent
    // repeat waits for this one and then replays what it stored.
    let mut tx = state.db.begin().await?;
    let placement = place::place(&mut *tx, &checkout).await?;
    let outcome = answer(placement, Some(hash), &user, &request);
    let stored = match &outcome {
        Ok(Answer::Created(body)) => Some((StatusCode::CREATED, body.clone())),
        Ok(Answer::Replayed(..)) => None,
        Err(refusal) => refusal.stored_answer(),
    };
    if let Some((status, body)) = stored {
        idempotency::store(&mut tx, user.id, key, status, &body).await?;
    }
    // Commits the throttle count too, whatever the answer.
    tx.commit().await?;
    finish(&state, &checkout, outcome?).await
}

/// What a checkout answers, before the answer is stored or sent.
enum Answer {
    Created(Value),
    Replayed(StatusCode, Value),
}

fn answer(
    placement: Placement,
    request_hash: Option<&str>,
    user: &AuthUser,
    request: &NewOrder,
) -> Result<Answer, ApiError> {
    match placement {
        Placement::Throttled { seconds_left } => Err(throttle::refusal(
            user.id,
            throttle::limit_per_minute(),
            seconds_left,
        )),
        Placement::Replay {
            request_hash: stored_hash,
            status,
            body,
        } => {
            let (status, body) = idempotency::replay(request_hash, &stored_hash, status, body)?;
            Ok(Answer::Replayed(status, body))
        }
        Placement::Refused { lines } => Err(refusal(&lines, request)),
        Placement::Created { order } => serde_json::to_value(order.seen_by(user))
            .map(Answer::Created)
            .map_err(|error| ApiError::Internal(error.into())),
    }
}

/// Answers after commit; a new order is announced to the queue first (the relay sends it later
/// if that fails).
async fn finish(state: &AppState, checkout: &Checkout<'_>, answer: Answer) -> ApiResult<Response> {
    match answer {
        Answer::Replayed(status, body) => Ok(replayed(status, body)),
        Answer::Created(body) => {
            tracing::info!(order_id = %checkout.order_id, correlation_id = %checkout.message.correlation_id, total_cents = body["total_cents"].as_i64(), "order confirmed");
            if let Some(queue) = &state.queue {
                outbox::publish(&state.db, queue, checkout.outbox_id, checkout.message).await;
            }
            Ok(created(checkout.order_id, body))
        }
    }
}

/// The address and note as stored, once checked.
struct OrderExtras {
    shipping: Option<Shipping>,
    note: Option<String>,
}

/// Checks the whole request, listing every invalid field at once.
fn validate(request: &NewOrder) -> Result<OrderExtras, ApiError> {
    let mut errors = FieldErrors::new();
    if request.items.is_empty() || request.items.len() > MAX_LINES {
        errors.add("items", format!("must hold 1 to {MAX_LINES} lines"));
    }
    for (index, line) in request.items.iter().enumerate() {
        if !(1..=MAX_QUANTITY).contains(&line.quantity) {
            errors.add(
                format!("items[{index}].quantity"),
                format!("must be from 1 to {MAX_QUANTITY}"),
            );
        }
    }
    let shipping = request
        .shipping
        .as_ref()
        .map(|shipping| normalise_shipping(shipping, &mut errors));
    let note = normalise_note(request.note.as_deref(), &mut errors);
    errors.into_result()?;
    Ok(OrderExtras { shipping, note })
}

/// The 422 (a product not on sale) or 409 (every short line) for a refused checkout.
fn refusal(lines: &[RefusedLine], request: &NewOrder) -> ApiError {
    let unknown: Vec<Uuid> = lines
        .iter()
        .filter(|line| line.available.is_none())
        .map(|line| line.product_id)
        .collect();
    if !unknown.is_empty() {
        let mut errors = FieldErrors::new();
        for (index, line) in request.items.iter().enumerate() {
            if unknown.contains(&line.product_id) {
                errors.add(
                    format!("items[{index}].product_id"),
                    "is not a product on sale",
                );
            }
        }
        return ApiError::Validation(errors);
    }
    let short: Vec<Shortage> = lines.iter().filter_map(RefusedLine::shortage).collect();
    ApiError::conflict(
        "insufficient-stock",
        format!("{} product(s) lack stock; nothing was taken.", short.len()),
    )
    .with_member("short", json!(short))
}

fn created(order_id: Uuid, body: Value) -> Response {
    let mut response = (StatusCode::CREATED, Json(body)).into_response();
    if let Ok(location) = HeaderValue::from_str(&format!("/orders/{order_id}")) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

fn replayed(status: StatusCode, body: Value) -> Response {
    let mut response = (status, Json(body)).into_response();
    let headers = response.headers_mut();
    headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
    if status.is_client_error() {
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    }
    response
}
