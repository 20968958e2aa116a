//! The top products read from the held period totals (migration 0101) equal the sum over the
//! day rows, also after the totals went stale, older orders were cancelled since, and new sales
//! lift a product that was not among the leaders.

use shared::reports::top_products::{self, Read, SPANS};
use sqlx::PgPool;
use uuid::Uuid;

/// 3000 products and 20 000 orders over the last 400 days (placed with the rollup triggers on),
/// a fifth of them on 40 fast sellers so that the leaders stand apart, and 400 more on those 40
/// placed today before now, so that today has ten leaders at any hour.
async fn seed(db: &PgPool) {
    let user = Uuid::now_v7();
    sqlx::query("INSERT INTO auth.users (id, email, password_hash) VALUES ($1, $2, '!')")
        .bind(user)
        .bind(format!("{user}@example.com"))
        .execute(db)
        .await
        .expect("user");
    for statement in [
        "INSERT INTO inventory.products (id, sku, name, price_cents, stock)
         SELECT md5('p' || g)::uuid, 'SKU-' || g, 'Product ' || g, 100 + (g * 37) % 5000, 1000000
         FROM generate_series(1, 3000) AS g",
        "INSERT INTO orders.orders (id, user_id, status, total_cents, created_at, updated_at)
         SELECT md5('o' || g)::uuid, $1, 'confirmed', 0,
                now() - make_interval(mins => (g * 7919) % (400 * 24 * 60)),
                now() - make_interval(mins => (g * 7919) % (400 * 24 * 60))
         FROM generate_series(1, 20000) AS g",
        "INSERT INTO orders.order_lines (order_id, line_no, product_id, sku, name, unit_price_cents,
                                         quantity, line_total_cents)
         SELECT md5('o' || g)::uuid, 1, md5('p' || l.p)::uuid, 'SKU-' || l.p, 'Product',
                100 + (l.p * 37) % 5000, 1 + g % 4, (100 + (l.p * 37) % 5000) * (1 + g % 4)
         FROM generate_series(1, 20000) AS g,
              LATERAL (SELECT CASE WHEN g % 5 = 0 THEN 1 + g % 40 ELSE 1 + (g * 31) % 3000 END AS p) l",
        // Today's orders, spread between the UTC day's start and now: the spread above leaves
        // today with fewer than ten products sold during the first hours of a UTC day.
        "INSERT INTO orders.orders (id, user_id, status, total_cents, created_at, updated_at)
         SELECT md5('t' || g)::uuid, $1, 'confirmed', 0, t.at, t.at
         FROM generate_series(1, 400) AS g,
              LATERAL (SELECT reports.day_of(now())::timestamp AT TIME ZONE 'UTC' AS midnight) d,
              LATERAL (SELECT d.midnight + (now() - d.midnight) * (g / 401.0)::float8 AS at) t",
        "INSERT INTO orders.order_lines (order_id, line_no, product_id, sku, name, unit_price_cents,
                                         quantity, line_total_cents)
         SELECT md5('t' || g)::uuid, 1, md5('p' || (1 + g % 40))::uuid, 'SKU-' || (1 + g % 40),
                'Product', 100 + ((1 + g % 40) * 37) % 5000, 1 + g % 4,
                (100 + ((1 + g % 40) * 37) % 5000) * (1 + g % 4)
         FROM generate_series(1, 400) AS g",
    ] {
        sqlx::query(statement)
            .bind(user)
            .execute(db)
            .await
            .expect("seed");
    }
}

/// Every period's answer both ways; the held periods must come from the spans.
async fn assert_spans_equal_day_rows(db: &PgPool, moment: &str) {
    for days in SPANS.into_iter().chain([1, 2, 45, 365]) {
        let mut tx = db.begin().await.expect("begin");
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .execute(&mut *tx)
            .await
            .expect("snapshot");
        let (answer, read) = top_products::top_products(&mut tx, days)
            .await
            .expect("top products");
        let summed = top_products::from_day_rows(&mut tx, days)
            .await
            .expect("day rows");
        tx.commit().await.expect("commit");
        assert_eq!(answer, summed, "{days} days, {moment}");
        assert_eq!(answer.len(), 10, "{days} days, {moment}");
        let expected = if SPANS.contains(&days) {
            Read::Spans
        } else {
            Read::DayRows
        };
        assert_eq!(read, expected, "{days} days, {moment}");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn held_totals_with_their_corrections_equal_the_day_rows(db: PgPool) {
    seed(&db).await;
    // As outbox-relay's first run of the next day would.
    sqlx::query("SELECT reports.refresh_product_spans()")
        .execute(&db)
        .await
        .expect("refresh");
    assert_spans_equal_day_rows(&db, "fresh").await;

    // Totals refreshed three days ago: the days since, and those that left each period since,
    // are corrected.
    sqlx::query("SELECT reports.refresh_product_spans(reports.day_of(now()) - 3)")
        .execute(&db)
        .await
        .expect("a stale refresh");
    assert_spans_equal_day_rows(&db, "three days stale").await;

    // Older orders cancelled after the refresh (as orders-cancel's role): logged changes to
    // held days.
    let orders = shared::db_role::DbRole::Orders.pool_like(&db);
    let cancelled = sqlx::query(
        "UPDATE orders.orders SET status = 'cancelled'
         WHERE created_at < now() - interval '5 days' AND (hashtext(id::text) & 7) = 0",
    )
    .execute(&orders)
    .await
    .expect("cancel older orders")
    .rows_affected();
    assert!(cancelled > 1000, "{cancelled}");
    let logged: i64 = sqlx::query_scalar("SELECT count(*) FROM reports.product_sales_changes")
        .fetch_one(&db)
        .await
        .expect("changes");
    assert!(logged > 0);
    assert_spans_equal_day_rows(&db, "after cancellations").await;

    // Today a product far outside the leaders sells more than any other did in a year.
    let riser = Uuid::now_v7();
    let user: Uuid = sqlx::query_scalar("SELECT id FROM auth.users LIMIT 1")
        .fetch_one(&db)
        .await
        .expect("user");
    sqlx::query("INSERT INTO orders.orders (id, user_id, status, total_cents) VALUES ($1, $2, 'confirmed', 0)")
        .bind(riser)
        .bind(user)
        .execute(&db)
        .await
        .expect("order");
    sqlx::query(
        "INSERT INTO orders.order_lines (order_id, line_no, product_id, sku, name, unit_price_cents,
                                         quantity, line_total_cents)
         VALUES ($1, 1, md5('p2999')::uuid, 'SKU-2999', 'Product', 100, 100000, 10000000)",
    )
    .bind(riser)
    .execute(&db)
    .await
    .expect("line");
    assert_spans_equal_day_rows(&db, "with a riser").await;

    // The day's refresh brings the totals up to date and forgets the changes it saw.
    sqlx::query("SELECT reports.refresh_product_spans()")
        .execute(&db)
        .await
        .expect("refresh");
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM reports.product_sales_changes")
        .fetch_one(&db)
        .await
        .expect("changes");
    assert_eq!(left, 0);
    assert_spans_equal_day_rows(&db, "refreshed").await;
}

#[sqlx::test(migrations = "../migrations")]
async fn the_relay_refreshes_the_totals_once_a_day(db: PgPool) {
    let relay = shared::db_role::DbRole::Relay.pool_like(&db);
    // The migration refreshed them today.
    assert!(!top_products::refresh_if_stale(&relay).await.expect("check"));
    sqlx::query("UPDATE reports.product_sales_span_state SET as_of = as_of - 1")
        .execute(&db)
        .await
        .expect("a day later");
    assert!(
        top_products::refresh_if_stale(&relay)
            .await
            .expect("refresh")
    );
    assert!(
        !top_products::refresh_if_stale(&relay)
            .await
            .expect("done for today")
    );
}
