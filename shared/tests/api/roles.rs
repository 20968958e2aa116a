//! The database roles (migration 0080): each function's role may do its domain's work and
//! nothing else, which these tests show by trying what each must not do. That every route still
//! works as its role is shown by every other handler test: `TestApp` runs each function's routes
//! on its own role's connection.

use shared::db_role::DbRole;
use shared::functions::HTTP_FUNCTIONS;
use sqlx::PgPool;
use testkit::TestApp;
use uuid::Uuid;

/// Asserts that `sql` run as `role` fails with `permission denied` (SQLSTATE 42501).
async fn assert_denied(db: &PgPool, role: DbRole, sql: &str) {
    let pool = role.pool_like(db);
    let error = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
        .execute(&pool)
        .await
        .expect_err(&format!("{} must not run: {sql}", role.name()));
    let code = error
        .as_database_error()
        .and_then(|db| db.code())
        .map(|code| code.into_owned());
    assert_eq!(
        code.as_deref(),
        Some("42501"),
        "{} running {sql}: {error}",
        role.name()
    );
    pool.close().await;
}

/// A product, a customer and a confirmed order of 2 units of it, made through the API.
async fn an_order(app: &TestApp) -> (Uuid, Uuid) {
    let (_, admin) = app.admin().await;
    let (_, customer) = app.customer().await;
    let product = app.product(&admin, "ROLE-1", 250, 5).await;
    let order = app.order(&customer, product, 2).await;
    (product, order)
}

#[test]
fn each_function_connects_as_its_domains_role() {
    for function in HTTP_FUNCTIONS {
        let expected = match function.name.split('-').next() {
            Some("health") => Some(DbRole::Health),
            Some("openapi") => None,
            Some("auth") | Some("users") => Some(DbRole::Auth),
            Some("products") | Some("stock") | Some("purchase") | Some("restock")
            | Some("reports") => Some(DbRole::Catalogue),
            Some("orders") => Some(DbRole::Orders),
            Some("webhooks") => Some(DbRole::Webhooks),
            _ => function.database,
        };
        assert_eq!(function.database, expected, "{}", function.name);
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn the_catalogue_role_cannot_touch_accounts_or_orders(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (_, order) = an_order(&app).await;
    assert_denied(
        &db,
        DbRole::Catalogue,
        "UPDATE auth.users SET role = 'admin'",
    )
    .await;
    assert_denied(&db, DbRole::Catalogue, "SELECT * FROM auth.users").await;
    assert_denied(
        &db,
        DbRole::Catalogue,
        &format!("UPDATE orders.orders SET status = 'fulfilled' WHERE id = '{order}'"),
    )
    .await;
}

#[sqlx::test(migrations = "../migrations")]
async fn the_orders_role_cannot_alter_a_price_or_write_the_ledger(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (product, order) = an_order(&app).await;
    assert_denied(
        &db,
        DbRole::Orders,
        &format!("UPDATE inventory.products SET price_cents = 1 WHERE id = '{product}'"),
    )
    .await;
    assert_denied(
        &db,
        DbRole::Orders,
        &format!(
            "INSERT INTO inventory.stock_movements (id, product_id, delta, reason, stock_after)
             VALUES ('{}', '{product}', 100, 'forged', 103)",
            Uuid::now_v7()
        ),
    )
    .await;
    assert_denied(&db, DbRole::Orders, "SELECT * FROM auth.users").await;
    assert_denied(
        &db,
        DbRole::Orders,
        &format!("UPDATE orders.orders SET total_cents = 0 WHERE id = '{order}'"),
    )
    .await;

    // The catalogue's functions give back only what the ledger shows an order took, once.
    let orders = DbRole::Orders.pool_like(&db);
    for (order_id, quantity) in [(Uuid::now_v7(), 2), (order, 50), (order, -2)] {
        let given: Option<i64> =
            sqlx::query_scalar("SELECT inventory.give_back_stock_for_order($1, $2, $3, $4, NULL)")
                .bind(order_id)
                .bind(Uuid::now_v7())
                .bind(product)
                .bind(quantity as i64)
                .fetch_one(&orders)
                .await
                .expect("the function runs");
        assert_eq!(given, None, "order {order_id} giving back {quantity}");
    }
    let taken: Option<Vec<i64>> = sqlx::query_scalar(
        "SELECT array_agg(stock_after) FROM inventory.take_stock_for_order($1, $2, $3, -5, NULL)",
    )
    .bind(order)
    .bind(Uuid::now_v7())
    .bind(product)
    .fetch_one(&orders)
    .await
    .expect("the function runs");
    assert_eq!(taken, None, "a negative take adds no stock");
    let stock: i64 = sqlx::query_scalar("SELECT stock FROM inventory.products WHERE id = $1")
        .bind(product)
        .fetch_one(&db)
        .await
        .expect("stock");
    assert_eq!(stock, 3, "nothing but the order itself changed the stock");
}

#[sqlx::test(migrations = "../migrations")]
async fn the_summary_role_writes_only_summary_columns(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (product, order) = an_order(&app).await;
    assert_denied(
        &db,
        DbRole::Summary,
        &format!("UPDATE orders.orders SET status = 'cancelled' WHERE id = '{order}'"),
    )
    .await;
    assert_denied(
        &db,
        DbRole::Summary,
        &format!("UPDATE inventory.products SET stock = 0 WHERE id = '{product}'"),
    )
    .await;
    assert_denied(&db, DbRole::Summary, "SELECT * FROM auth.users").await;
    assert_denied(&db, DbRole::Summary, "DELETE FROM orders.outbox").await;

    let summary = DbRole::Summary.pool_like(&db);
    let written = sqlx::query(
        "UPDATE orders.orders SET summary_status = 'disabled', summary_updated_at = now()
         WHERE id = $1",
    )
    .bind(order)
    .execute(&summary)
    .await
    .expect("the summary columns are the summary's");
    assert_eq!(written.rows_affected(), 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_relay_health_and_auth_roles_stay_in_their_lanes(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (product, order) = an_order(&app).await;
    let order_change =
        format!("UPDATE orders.orders SET status = 'cancelled' WHERE id = '{order}'");
    assert_denied(&db, DbRole::Relay, &order_change).await;
    assert_denied(&db, DbRole::Relay, "SELECT * FROM orders.idempotency_keys").await;
    assert_denied(&db, DbRole::Relay, "SELECT * FROM auth.users").await;

    for table in [
        "auth.users",
        "inventory.products",
        "orders.orders",
        "orders.outbox",
    ] {
        assert_denied(&db, DbRole::Health, &format!("SELECT * FROM {table}")).await;
    }
    let health = DbRole::Health.pool_like(&db);
    let one: i32 = sqlx::query_scalar("SELECT 1")
        .fetch_one(&health)
        .await
        .expect("health answers");
    assert_eq!(one, 1);

    assert_denied(&db, DbRole::Auth, &order_change).await;
    assert_denied(
        &db,
        DbRole::Auth,
        &format!("SELECT inventory.stock_on_sale('{product}')"),
    )
    .await;
}

#[sqlx::test(migrations = "../migrations")]
async fn no_function_role_owns_anything(db: PgPool) {
    let names: Vec<&str> = DbRole::ALL.iter().map(|role| role.name()).collect();
    let owned: Vec<String> = sqlx::query_scalar(
        "SELECT n.nspname || '.' || c.relname FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_roles r ON r.oid = c.relowner
         WHERE r.rolname = ANY($1)
         UNION ALL
         SELECT nspname FROM pg_namespace n JOIN pg_roles r ON r.oid = n.nspowner
         WHERE r.rolname = ANY($1)",
    )
    .bind(&names)
    .fetch_all(&db)
    .await
    .expect("catalogue query");
    assert!(owned.is_empty(), "owned by a function role: {owned:?}");
}

#[sqlx::test(migrations = "../migrations")]
async fn the_webhooks_role_reads_no_order_account_or_product(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (product, order) = an_order(&app).await;
    assert_denied(&db, DbRole::Webhooks, "SELECT * FROM auth.users").await;
    assert_denied(&db, DbRole::Webhooks, "SELECT * FROM orders.orders").await;
    assert_denied(&db, DbRole::Webhooks, "SELECT * FROM inventory.products").await;
    assert_denied(
        &db,
        DbRole::Webhooks,
        &format!("UPDATE orders.orders SET status = 'cancelled' WHERE id = '{order}'"),
    )
    .await;
    assert_denied(
        &db,
        DbRole::Webhooks,
        &format!("SELECT webhooks.product_data('{product}')"),
    )
    .await;
    // Events are the other domains' word: the relay marks them, it does not forge or edit them.
    assert_denied(
        &db,
        DbRole::Webhooks,
        "INSERT INTO webhooks.events (id, type, data) VALUES (gen_random_uuid(), 'order.created', '{}')",
    )
    .await;
    assert_denied(
        &db,
        DbRole::Webhooks,
        "UPDATE webhooks.events SET data = '{}'",
    )
    .await;
}

#[sqlx::test(migrations = "../migrations")]
async fn the_domains_that_record_events_may_only_add_them(db: PgPool) {
    let app = TestApp::new(db.clone());
    an_order(&app).await;
    for role in [DbRole::Orders, DbRole::Catalogue] {
        assert_denied(&db, role, "SELECT * FROM webhooks.events").await;
        assert_denied(&db, role, "UPDATE webhooks.events SET data = '{}'").await;
        assert_denied(&db, role, "DELETE FROM webhooks.events").await;
        assert_denied(&db, role, "SELECT * FROM webhooks.endpoints").await;
        assert_denied(&db, role, "SELECT * FROM webhooks.deliveries").await;
        assert_denied(&db, role, "SELECT webhooks.record_low_stock()").await;
    }
    for role in [DbRole::Auth, DbRole::Summary, DbRole::Relay, DbRole::Health] {
        assert_denied(
            &db,
            role,
            "INSERT INTO webhooks.events (id, type, data) VALUES (gen_random_uuid(), 'order.created', '{}')",
        )
        .await;
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn the_advice_role_reads_the_catalogue_and_writes_only_its_notes(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (product, order) = an_order(&app).await;
    assert_denied(
        &db,
        DbRole::Advice,
        &format!("UPDATE inventory.products SET stock = 0 WHERE id = '{product}'"),
    )
    .await;
    assert_denied(
        &db,
        DbRole::Advice,
        &format!(
            "INSERT INTO inventory.stock_movements (id, product_id, delta, reason, stock_after)
             VALUES ('{}', '{product}', 100, 'forged', 103)",
            Uuid::now_v7()
        ),
    )
    .await;
    assert_denied(
        &db,
        DbRole::Advice,
        "SELECT price_cents FROM inventory.products",
    )
    .await;
    assert_denied(&db, DbRole::Advice, "SELECT * FROM orders.orders").await;
    assert_denied(&db, DbRole::Advice, "SELECT * FROM orders.order_lines").await;
    assert_denied(&db, DbRole::Advice, "SELECT * FROM auth.users").await;
    assert_denied(&db, DbRole::Advice, "DELETE FROM inventory.restock_advice").await;
    assert_denied(
        &db,
        DbRole::Advice,
        "UPDATE inventory.purchase_orders SET status = 'cancelled'",
    )
    .await;
    assert_denied(
        &db,
        DbRole::Advice,
        &format!("UPDATE orders.orders SET status = 'cancelled' WHERE id = '{order}'"),
    )
    .await;

    // What it does need: the suggestions' facts, the day's spend, and its own notes.
    let advice = DbRole::Advice.pool_like(&db);
    let suggested = shared::restock::current(&advice)
        .await
        .expect("the suggestions as the advice role");
    assert_eq!(suggested.len(), 1, "3 left, at or below the threshold of 5");
    shared::summary::spend::spent_today(&advice)
        .await
        .expect("the day's spend as the advice role");
    sqlx::query(
        "INSERT INTO inventory.restock_advice (id, status, input, suggestions)
         VALUES ($1, 'disabled', '{}', 0)",
    )
    .bind(Uuid::now_v7())
    .execute(&advice)
    .await
    .expect("its own note");
    // The summary role (budget) reads the notes' cost, not their text or input.
    shared::summary::spend::spent_today(&DbRole::Summary.pool_like(&db))
        .await
        .expect("the day's spend as the summary role");
    assert_denied(
        &db,
        DbRole::Summary,
        "SELECT text FROM inventory.restock_advice",
    )
    .await;
}
