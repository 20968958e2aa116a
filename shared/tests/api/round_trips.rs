//! What checkout costs in statements (each a round trip to Postgres), counted from sqlx's own
//! per-statement events on this test's thread: the session check and `orders.place_order`
//! without an Idempotency-Key; with one, the stored answer and `COMMIT` too (and a `BEGIN`, which
//! sqlx sends without a statement event). `make bench` counts the round trips on the wire.

use std::cell::Cell;
use std::sync::Once;

use axum::http::StatusCode;
use serde_json::json;
use sqlx::PgPool;
use testkit::TestApp;
use tracing_subscriber::Layer;
use tracing_subscriber::filter::dynamic_filter_fn;
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static STATEMENTS: Cell<usize> = const { Cell::new(0) };
}

struct CountStatements;

impl<S: tracing::Subscriber> Layer<S> for CountStatements {
    fn on_event(&self, _event: &tracing::Event<'_>, _context: Context<'_, S>) {
        STATEMENTS.with(|statements| statements.set(statements.get() + 1));
    }
}

/// Installs the counter once as the process's subscriber. A thread's own (`set_default`)
/// subscriber is not enough while other tests run: a callsite whose interest tracing caches
/// while another thread registers it can miss that subscriber for good. This one's filter is
/// dynamic (asked on every event), and the cache is rebuilt after it is installed.
fn count_statements_on_this_thread() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let only_counted_statements = dynamic_filter_fn(|metadata, _| {
            metadata.target() == "sqlx::query" && COUNTING.with(Cell::get)
        });
        tracing_subscriber::registry()
            .with(CountStatements.with_filter(only_counted_statements))
            .init();
        tracing::callsite::rebuild_interest_cache();
    });
    COUNTING.with(|counting| counting.set(true));
}

/// The statements counted on this thread since the last call.
fn counted() -> usize {
    STATEMENTS.with(|statements| statements.replace(0))
}

#[sqlx::test(migrations = "../migrations")]
async fn an_order_is_two_statements_without_a_key_and_four_with_one(db: PgPool) {
    let app = TestApp::new(db);
    let (_, admin) = app.admin().await;
    let first = app.product(&admin, "RT-1", 100, 1000).await;
    let second = app.product(&admin, "RT-2", 250, 1000).await;
    let (_, token) = app.customer().await;
    let body = json!({"items": [{"product_id": first, "quantity": 1}, {"product_id": second, "quantity": 2}]});
    let place = |key: Option<&str>| {
        let mut request = app.post("/orders").bearer(&token).json(&body);
        if let Some(key) = key {
            request = request.header("idempotency-key", key);
        }
        request.send()
    };
    // Connections opened and statements prepared first, as on a warm instance.
    place(None).await.expect(StatusCode::CREATED);
    place(Some("warm-up")).await.expect(StatusCode::CREATED);

    count_statements_on_this_thread();
    counted();
    place(None).await.expect(StatusCode::CREATED);
    assert_eq!(counted(), 2, "session check + orders.place_order");
    place(Some("counted")).await.expect(StatusCode::CREATED);
    assert_eq!(
        counted(),
        4,
        "session check + orders.place_order + stored answer + COMMIT"
    );
}

/// A sale changes a product's `stock` (and `updated_at`); while no index names either column,
/// Postgres updates the row in place of its index entries (a HOT update) instead of writing a
/// new entry into every index of the product, its trigram search index among them.
#[sqlx::test(migrations = "../migrations")]
async fn no_index_of_products_names_the_columns_a_sale_changes(db: PgPool) {
    let naming: Vec<String> = sqlx::query_scalar(
        "SELECT pg_get_indexdef(indexrelid) FROM pg_index
         WHERE indrelid = 'inventory.products'::regclass
           AND pg_get_indexdef(indexrelid) ~ '\\m(stock|updated_at)\\M'",
    )
    .fetch_all(&db)
    .await
    .expect("indexes");
    assert!(naming.is_empty(), "{naming:?}");
}

/// Postgres before 18 plans the body of a SQL function it cannot inline (SECURITY DEFINER, a SET
/// clause, a FROM, an INSERT) again on every call; PL/pgSQL keeps its plans for the connection.
/// The helpers checkout calls for every order are PL/pgSQL, and the triggers on the rows it
/// writes several of per order (lines, movements) run once per statement, not once per row.
#[sqlx::test(migrations = "../migrations")]
async fn checkouts_helpers_keep_their_plans_and_its_triggers_run_once_per_statement(db: PgPool) {
    let replanned: Vec<String> = sqlx::query_scalar(
        "SELECT p.oid::regprocedure::text FROM pg_proc p
         JOIN pg_language l ON l.oid = p.prolang
         WHERE p.oid = ANY (ARRAY['auth.session_state(uuid)'::regprocedure,
                                  'auth.account_email(uuid)'::regprocedure,
                                  'orders.api_time(timestamptz)'::regprocedure,
                                  'reports.count_summary(text, smallint, bigint)'::regprocedure])
           AND l.lanname <> 'plpgsql'",
    )
    .fetch_all(&db)
    .await
    .expect("functions");
    assert!(replanned.is_empty(), "{replanned:?}");
    // pg_trigger.tgtype bit 0 is TRIGGER_TYPE_ROW.
    let per_row: Vec<String> = sqlx::query_scalar(
        "SELECT tgrelid::regclass::text || ': ' || tgname FROM pg_trigger
         WHERE tgrelid IN ('orders.order_lines'::regclass, 'inventory.stock_movements'::regclass)
           AND NOT tgisinternal AND tgtype & 1 = 1",
    )
    .fetch_all(&db)
    .await
    .expect("triggers");
    assert!(per_row.is_empty(), "{per_row:?}");
}
