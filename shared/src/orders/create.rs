//! `POST /orders`: checkout. One transaction takes the stock, writes the order, its lines and
//! movements, the idempotency record, the outbox row and the `order.created` webhook event; the
//! queue hears of it after commit.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sqlx::Acquire;
use uuid::Uuid;

use super::events::{self, EventType};
use super::idempotency::{self, Claim};
use super::outbox;
use super::queue::OrderMessage;
use super::shipping::{Shipping, normalise_note, normalise_shipping};
use super::throttle;
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult, FieldErrors, PROBLEM_JSON};
use crate::json::ApiJson;
use crate::state::AppState;
use crate::stock::ledger::{self, StockLine, TakeError, TakenLine};
use crate::webhooks::EventType as WebhookEvent;
use crate::webhooks::events as webhook_events;

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
    throttle::admit(&state.db, user.id, throttle::limit_per_minute()).await?;

    let mut tx = state.db.begin().await?;
    if let Some(key) = &key {
        let hash = idempotency::fingerprint(&request);
        if let Claim::Replay { status, body } =
            idempotency::claim(&mut tx, user.id, key, &hash).await?
        {
            tx.rollback().await?;
            return Ok(replayed(status, body));
        }
    }

    let order_id = Uuid::now_v7();
    let lines: Vec<StockLine> = request
        .items
        .iter()
        .map(|line| StockLine {
            product_id: line.product_id,
            quantity: line.quantity,
        })
        .collect();
    // Stock is taken inside a savepoint: a refusal undoes every line already taken but keeps
    // the key's claim, so the refusal itself is stored and a repeat gets the same answer.
    let mut attempt = (&mut tx).begin().await?;
    let taken = match ledger::take_for_order(&mut attempt, order_id, &lines, user.id).await {
        Ok(taken) => taken,
        Err(error) => {
            let refusal = take_error(error, &request);
            attempt.rollback().await?;
            if let (Some(key), Some((status, body))) = (&key, refusal.stored_answer()) {
                idempotency::store(&mut tx, user.id, key, status, &body).await?;
                tx.commit().await?;
            }
            return Err(refusal);
        }
    };

    insert_order(&mut attempt, order_id, user.id, &taken, &extras).await?;
    events::record(
        &mut attempt,
        order_id,
        EventType::Created,
        Some(user.id),
        json!({}),
    )
    .await?;
    let message = OrderMessage {
        order_id,
        correlation_id: Uuid::new_v4(),
    };
    let outbox_id = outbox::enqueue(&mut attempt, &message).await?;
    let order = super::load_in(&mut attempt, order_id)
        .await?
        .ok_or_else(|| {
            ApiError::Internal(anyhow::anyhow!(
                "order {order_id} vanished inside its transaction"
            ))
        })?;
    // Receivers are staff systems: they get the order as staff see it.
    webhook_events::record(&mut attempt, WebhookEvent::OrderCreated, &order).await?;
    let order = order.seen_by(&user);
    attempt.commit().await?;
    let body = serde_json::to_value(&order).map_err(|error| ApiError::Internal(error.into()))?;
    if let Some(key) = &key {
        idempotency::store(&mut tx, user.id, key, StatusCode::CREATED, &body).await?;
    }
    tx.commit().await?;
    tracing::info!(%order_id, correlation_id = %message.correlation_id, total_cents = order.total_cents, "order confirmed");

    if let Some(queue) = &state.queue {
        outbox::publish(&state.db, queue, outbox_id, &message).await;
    }
    Ok(created(order_id, body))
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

fn take_error(error: TakeError, request: &NewOrder) -> ApiError {
    match error {
        TakeError::Unknown(products) => {
            let mut errors = FieldErrors::new();
            for (index, line) in request.items.iter().enumerate() {
                if products.contains(&line.product_id) {
                    errors.add(
                        format!("items[{index}].product_id"),
                        "is not a product on sale",
                    );
                }
            }
            ApiError::Validation(errors)
        }
        TakeError::Short(short) => {
            let names = short.len();
            ApiError::conflict(
                "insufficient-stock",
                format!("{names} product(s) lack stock; nothing was taken."),
            )
            .with_member("short", json!(short))
        }
        TakeError::Database(error) => error.into(),
    }
}

async fn insert_order(
    tx: &mut sqlx::PgConnection,
    order_id: Uuid,
    user_id: Uuid,
    taken: &[TakenLine],
    extras: &OrderExtras,
) -> Result<(), sqlx::Error> {
    let total: i64 = taken
        .iter()
        .map(|line| line.unit_price_cents * line.quantity)
        .sum();
    sqlx::query(
        "INSERT INTO orders.orders (id, user_id, total_cents, shipping, note)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(order_id)
    .bind(user_id)
    .bind(total)
    .bind(extras.shipping.as_ref().map(sqlx::types::Json))
    .bind(extras.note.as_deref())
    .execute(&mut *tx)
    .await?;
    let line_numbers: Vec<i32> = (1..).take(taken.len()).collect();
    let products: Vec<Uuid> = taken.iter().map(|line| line.product_id).collect();
    let skus: Vec<&str> = taken.iter().map(|line| line.sku.as_str()).collect();
    let names: Vec<&str> = taken.iter().map(|line| line.name.as_str()).collect();
    let prices: Vec<i64> = taken.iter().map(|line| line.unit_price_cents).collect();
    let quantities: Vec<i64> = taken.iter().map(|line| line.quantity).collect();
    sqlx::query(
        "INSERT INTO orders.order_lines
             (order_id, line_no, product_id, sku, name, unit_price_cents, quantity, line_total_cents)
         SELECT $1, line_no, product_id, sku, name, price, quantity, price * quantity
         FROM UNNEST($2::int[], $3::uuid[], $4::text[], $5::text[], $6::bigint[], $7::bigint[])
              AS l(line_no, product_id, sku, name, price, quantity)",
    )
    .bind(order_id)
    .bind(&line_numbers)
    .bind(&products)
    .bind(&skus)
    .bind(&names)
    .bind(&prices)
    .bind(&quantities)
    .execute(&mut *tx)
    .await?;
    Ok(())
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
