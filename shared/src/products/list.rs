//! `GET /products`: the public catalogue, searchable, ordered by name then id, keyset-paged.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use sqlx::{Postgres, QueryBuilder};
use uuid::Uuid;

use super::{PRODUCT_COLUMNS, Product};
use crate::error::{ApiResult, FieldErrors};
use crate::pagination::{Page, PageQuery, PageRequest};
use crate::query::ApiQuery;
use crate::state::AppState;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProductQuery {
    /// Case-insensitive substring of the sku or the name.
    pub q: Option<String>,
    /// `true`: only products at or below their low-stock threshold.
    pub low_stock: Option<String>,
    /// 1 to 100, default 20.
    pub limit: Option<String>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// The sort key of a catalogue row, which is also its cursor.
type NameKey = (String, Uuid);

pub fn routes() -> Router<AppState> {
    Router::new().route("/products", get(list_products))
}

#[utoipa::path(
    get, path = "/products", tag = "products",
    params(ProductQuery),
    responses(
        (status = 200, description = "A page of active products", body = Page<Product>),
        (status = 422, description = "Invalid limit, cursor or low_stock", body = crate::error::Problem),
    )
)]
pub async fn list_products(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<ProductQuery>,
) -> ApiResult<Json<Page<Product>>> {
    let page: PageRequest<NameKey> = PageRequest::parse(&PageQuery {
        limit: query.limit.clone(),
        cursor: query.cursor.clone(),
    })?;
    let low_stock_only = match query.low_stock.as_deref() {
        None | Some("") | Some("false") => false,
        Some("true") => true,
        Some(_) => return Err(FieldErrors::single("low_stock", "must be true or false")),
    };
    let search = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty());

    // Built per request rather than with `$n IS NULL OR …` guards, so each variant gets a plan
    // that uses its index (trigram, low-stock partial, or name order).
    let mut sql: QueryBuilder<Postgres> = QueryBuilder::new(format!(
        "SELECT {PRODUCT_COLUMNS} FROM inventory.products WHERE archived_at IS NULL"
    ));
    if let Some(search) = search {
        // Control characters cannot be typed into a search box; dropping them also keeps the
        // sku/name separator of `search_text` out of any pattern.
        let term: String = search.chars().filter(|c| !c.is_control()).collect();
        // Lower-cased by Postgres on both sides, so the column and the term agree on case rules.
        sql.push(" AND search_text LIKE '%' || lower(")
            .push_bind(escape_like(&term))
            .push(") || '%'");
    }
    if low_stock_only {
        // `low_stock` (not the comparison) is what the partial index names.
        sql.push(" AND low_stock");
    }
    if let Some((name, id)) = &page.after {
        sql.push(" AND (name, id) > (")
            .push_bind(name.clone())
            .push(", ")
            .push_bind(*id)
            .push(")");
    }
    sql.push(" ORDER BY name, id LIMIT ")
        .push_bind(page.fetch_limit());

    let rows: Vec<Product> = sql.build_query_as().fetch_all(&state.db).await?;
    Ok(Json(Page::from_rows(rows, page.limit, |product| {
        (product.name.clone(), product.id)
    })))
}

/// Makes user input match literally inside a LIKE pattern.
pub(crate) fn escape_like(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for ch in text.chars() {
        if matches!(ch, '\\' | '%' | '_') {
            escaped.push('\\');
        }
        escaped.push(ch);
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::escape_like;

    #[test]
    fn like_wildcards_are_literal() {
        assert_eq!(escape_like("50%_off\\"), "50\\%\\_off\\\\");
    }
}
