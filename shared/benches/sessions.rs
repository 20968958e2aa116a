//! What the per-request session check costs: every authenticated request verifies its token
//! and looks up the account's role, disabled flag and session version (`auth.session_state`, one
//! primary-key query). In-process against the real Postgres, at 1 and 16 clients, this times
//! the parts alone (a bare round trip, the lookup as a function's role runs it, the same lookup
//! as the SQL function it was before migration 0120, the same row read straight from the table,
//! the token check) beside whole authenticated routes, and prints the lookup's share of each
//! route. Figures only; nothing is asserted.

mod support;

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use serde_json::json;
use shared::auth::session;
use shared::db;
use shared::db_role::DbRole;
use support::{Latencies, ms};
use uuid::Uuid;

const RUN_FOR: Duration = Duration::from_secs(4);
const CLIENTS: [usize; 2] = [1, 16];

struct Client {
    id: Uuid,
    token: String,
    product: Uuid,
    order: String,
}

#[tokio::main]
async fn main() {
    let (pool, url) = support::fresh_database("shop_bench_sessions", 20).await;
    let app = Arc::new(support::app(pool.clone()));
    let (_, admin) = app.admin().await;
    // Other accounts in the table, so the lookup is an index probe rather than a tiny scan.
    sqlx::query(
        "INSERT INTO auth.users (id, email, password_hash)
         SELECT gen_random_uuid(), 'filler-' || n || '@example.com', 'x'
         FROM generate_series(1, 10000) n",
    )
    .execute(&pool)
    .await
    .expect("filler accounts");
    let mut clients = Vec::new();
    for client in 0..CLIENTS[CLIENTS.len() - 1] {
        // A product per client: orders then queue on no common stock row, so what is timed is
        // the request, not a hot product's lock.
        let sku = format!("SESSION-BENCH-{client}");
        let product = app.product(&admin, &sku, 100, 1_000_000_000).await;
        let (id, token) = app.customer().await;
        let order = app
            .post("/orders")
            .bearer(&token)
            .json(&json!({"items": [{"product_id": product, "quantity": 1}]}))
            .send()
            .await
            .expect(StatusCode::CREATED)
            .id();
        clients.push(Client {
            id,
            token,
            product,
            order,
        });
    }
    let clients = Arc::new(clients);
    // The lookup as it was before migration 0120: a SQL function, planned again on every call.
    for statement in [
        "CREATE FUNCTION public.session_state_as_sql(account uuid)
         RETURNS TABLE (role text, disabled boolean, session_version integer)
         LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
         AS $$ SELECT u.role, u.disabled, u.session_version FROM auth.users u WHERE u.id = account $$",
        "GRANT EXECUTE ON FUNCTION public.session_state_as_sql(uuid) TO shop_orders",
    ] {
        sqlx::query(statement)
            .execute(&pool)
            .await
            .expect("the SQL variant");
    }
    println!(
        "session check: in-process, real Postgres, {}s per figure, 10 000 other accounts",
        RUN_FOR.as_secs()
    );
    for count in CLIENTS {
        println!("  {count:>2} client(s):");
        // The orders function's role: the lookup runs through the SECURITY DEFINER function it
        // is granted, as in production. These pools are closed after each client count, so
        // their idle connections do not crowd the routes' own pools out of a shared server.
        let orders_role = DbRole::Orders.pool_like(&pool);
        let owner = db::connect(&url, count as u32).await.expect("owner pool");
        let db = orders_role.clone();
        let round_trip = measure(count, &clients, move |_| {
            let db = db.clone();
            async move {
                sqlx::query("SELECT 1")
                    .execute(&db)
                    .await
                    .expect("select 1");
            }
        })
        .await;
        report("SELECT 1 (one round trip)", &round_trip);
        let db = orders_role.clone();
        let lookup = measure(count, &clients, move |client| {
            let db = db.clone();
            let id = client.id;
            async move {
                session::current(&db, id)
                    .await
                    .expect("lookup")
                    .expect("account");
            }
        })
        .await;
        report("auth.session_state lookup", &lookup);
        let db = orders_role.clone();
        let as_sql = measure(count, &clients, move |client| {
            let db = db.clone();
            let id = client.id;
            async move {
                sqlx::query(
                    "SELECT role, disabled, session_version FROM public.session_state_as_sql($1)",
                )
                .bind(id)
                .fetch_one(&db)
                .await
                .expect("row");
            }
        })
        .await;
        report("the lookup as a SQL function", &as_sql);
        let db = owner.clone();
        let table = measure(count, &clients, move |client| {
            let db = db.clone();
            let id = client.id;
            async move {
                sqlx::query("SELECT role, disabled, session_version FROM auth.users WHERE id = $1")
                    .bind(id)
                    .fetch_one(&db)
                    .await
                    .expect("row");
            }
        })
        .await;
        report("the same row from the table", &table);
        orders_role.close().await;
        owner.close().await;
        let shared_app = app.clone();
        let verify = measure(count, &clients, move |client| {
            let app = shared_app.clone();
            let token = client.token.clone();
            async move {
                app.state.tokens.verify(&token).expect("valid token");
            }
        })
        .await;
        report("token signature and claims", &verify);
        let shared_app = app.clone();
        let get = measure(count, &clients, move |client| {
            let app = shared_app.clone();
            let path = format!("/orders/{}", client.order);
            let token = client.token.clone();
            async move {
                app.get(&path)
                    .bearer(&token)
                    .send()
                    .await
                    .expect(StatusCode::OK);
            }
        })
        .await;
        report("GET /orders/{id} (check + read)", &get);
        let shared_app = app.clone();
        let create = measure(count, &clients, move |client| {
            let app = shared_app.clone();
            let token = client.token.clone();
            let product = client.product;
            async move {
                app.post("/orders")
                    .bearer(&token)
                    .json(&json!({"items": [{"product_id": product, "quantity": 1}]}))
                    .send()
                    .await
                    .expect(StatusCode::CREATED);
            }
        })
        .await;
        report("POST /orders (check + checkout)", &create);
        let p50 = |figure: &Figure| ms(figure.latencies.percentile(50.0));
        let share = |route: &Figure| 100.0 * p50(&lookup) / p50(route).max(f64::EPSILON);
        println!(
            "      the lookup is {:.0} % of GET /orders/{{id}} and {:.0} % of POST /orders at p50",
            share(&get),
            share(&create)
        );
    }
    pool.close().await;
}

/// Every latency of a run and the rate it reached.
struct Figure {
    latencies: Latencies,
    per_second: f64,
}

/// Runs `step` in a loop from `count` concurrent clients for [`RUN_FOR`].
async fn measure<F, Fut>(count: usize, clients: &Arc<Vec<Client>>, step: F) -> Figure
where
    F: Fn(&Client) -> Fut + Clone + Send + 'static,
    Fut: Future<Output = ()> + Send,
{
    let started = Instant::now();
    let tasks: Vec<_> = (0..count)
        .map(|index| {
            let clients = clients.clone();
            let step = step.clone();
            tokio::spawn(async move {
                let client = &clients[index];
                let mut samples = Vec::new();
                while started.elapsed() < RUN_FOR {
                    let begun = Instant::now();
                    step(client).await;
                    samples.push(begun.elapsed());
                }
                samples
            })
        })
        .collect();
    let mut samples = Vec::new();
    for task in tasks {
        samples.extend(task.await.expect("client"));
    }
    Figure {
        per_second: samples.len() as f64 / started.elapsed().as_secs_f64(),
        latencies: Latencies::new(samples),
    }
}

fn report(what: &str, figure: &Figure) {
    println!(
        "    {what:<34} {:>8.0}/s  {}",
        figure.per_second,
        figure.latencies.line()
    );
}
