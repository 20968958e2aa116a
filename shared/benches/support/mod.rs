//! What the benchmarks share: a fresh database, the in-process app, and percentiles.

// Each benchmark uses part of this module.
#![allow(dead_code)]

pub mod statements;

use std::time::Duration;

use shared::db;
use sqlx::PgPool;
use testkit::TestApp;

/// DATABASE_URL, which `make bench` sets (from `localstack/database-url.sh`).
pub fn database_url() -> String {
    std::env::var("DATABASE_URL").expect("DATABASE_URL is set (run the benchmarks with make bench)")
}

/// Drops and recreates `name` on the server at DATABASE_URL, migrates it, and returns a pool.
pub async fn fresh_database(name: &str, connections: u32) -> (PgPool, String) {
    let url = database_url();
    let server = url
        .rsplit_once('/')
        .map(|(server, _)| server.to_owned())
        .unwrap_or(url);
    let admin = PgPool::connect(&format!("{server}/postgres"))
        .await
        .expect("the Postgres server answers");
    for statement in [
        format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        format!("CREATE DATABASE {name}"),
    ] {
        sqlx::query(sqlx::AssertSqlSafe(statement))
            .execute(&admin)
            .await
            .expect("recreate database");
    }
    admin.close().await;
    let database_url = format!("{server}/{name}");
    let pool = db::connect(&database_url, connections)
        .await
        .expect("connect");
    db::MIGRATOR.run(&pool).await.expect("migrate");
    (pool, database_url)
}

pub fn app(pool: PgPool) -> TestApp {
    TestApp::new(pool)
}

pub struct Latencies(Vec<Duration>);

impl Latencies {
    pub fn new(mut samples: Vec<Duration>) -> Self {
        samples.sort();
        Self(samples)
    }

    pub fn percentile(&self, p: f64) -> Duration {
        if self.0.is_empty() {
            return Duration::ZERO;
        }
        let rank = ((p / 100.0) * (self.0.len() as f64 - 1.0)).round() as usize;
        self.0[rank.min(self.0.len() - 1)]
    }

    pub fn max(&self) -> Duration {
        self.0.last().copied().unwrap_or_default()
    }

    pub fn line(&self) -> String {
        format!(
            "p50 {:>7.2} ms  p99 {:>7.2} ms  max {:>7.2} ms  (n={})",
            ms(self.percentile(50.0)),
            ms(self.percentile(99.0)),
            ms(self.max()),
            self.0.len()
        )
    }
}

pub fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// A small deterministic generator: benchmarks should pick the same "random" lines every run.
pub struct Lcg(u64);

impl Lcg {
    pub fn new(seed: u64) -> Self {
        Self(
            seed.wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407),
        )
    }

    pub fn below(&mut self, bound: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % bound
    }
}
