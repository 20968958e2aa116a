//! `make eval-summary`: the golden scenarios against the provider the environment configures
//! (`OPENROUTER_API_KEY`, `OPENROUTER_BASE_URL`, `OPENROUTER_MODEL`), one model at a time,
//! printing a table. Figures only: nothing here fails on a model's quality.

use std::time::{Duration, Instant};

use shared::summary::provider::ProviderClient;
use shared::summary::{SummarySettings, facts, prompt, rules};
use sqlx::PgPool;
use testkit::TestApp;

use crate::summary_golden::{golden, seed};

/// Words that show a flag was put into the text (lower case).
fn mentions(code: &str) -> &'static [&'static str] {
    match code {
        "stock_out" => &[
            "out of stock",
            "stock out",
            "sold out",
            "no stock",
            "no units left",
            "none left",
            "0 left",
            "zero",
        ],
        "low_stock" => &["low stock", "low-stock", "threshold", "running low", "low"],
        "low_cover" => &["cover", "days", "week", "sell out", "run out"],
        "large_quantity" => &["bulk", "large", "units", "quantity"],
        "archived_product" => &["archived"],
        "first_order" => &["first"],
        "unusual_total" => &[
            "unusual",
            "usual",
            "higher",
            "above",
            "large total",
            "high total",
            "times",
        ],
        "repeat_cancellations" => &["cancel"],
        _ => &[],
    }
}

#[derive(Default)]
struct ModelFigures {
    asked: usize,
    schema_valid: usize,
    failed: usize,
    flags: usize,
    flags_mentioned: usize,
    chars: usize,
    cost_usd: f64,
    latencies: Vec<Duration>,
}

#[sqlx::test(migrations = "../migrations")]
#[ignore = "calls a real provider: run `make eval-summary`"]
async fn eval_the_golden_scenarios_against_the_configured_provider(db: PgPool) {
    // A developer's own key for this run, from their shell (deployed functions read it from
    // Secrets Manager).
    let mut settings = SummarySettings::from_env().expect("summary settings");
    settings.provider.api_key = std::env::var("OPENROUTER_API_KEY")
        .ok()
        .filter(|key| !key.trim().is_empty());
    if settings.provider.api_key.is_none() {
        println!("eval-summary: OPENROUTER_API_KEY is not set; no provider to evaluate.");
        return;
    }
    let golden = golden();
    let app = TestApp::new(db.clone());
    let (_, admin) = app.admin().await;
    let mut cases = Vec::new();
    for (index, scenario) in golden.scenarios.iter().enumerate() {
        // The fake provider's markers mean nothing to a real one.
        if scenario.talks_to_a_fake() {
            continue;
        }
        let order = seed(&app, &db, &admin, index, scenario).await;
        let facts = facts::load(&db, order)
            .await
            .expect("facts")
            .expect("order");
        let flags = rules::flags(&facts);
        cases.push((scenario.name.clone(), prompt::build(&facts, &flags), flags));
    }
    println!(
        "eval-summary: {} scenarios, provider {}",
        cases.len(),
        settings.provider.base_url
    );
    let mut table = Vec::new();
    for model in &settings.provider.models {
        let mut one = settings.provider.clone();
        one.models = vec![model.clone()];
        let client = ProviderClient::new(&one).expect("client").expect("a key");
        let mut figures = ModelFigures::default();
        for (name, prompt, flags) in &cases {
            figures.asked += 1;
            let started = Instant::now();
            let answer = client.summarise(prompt).await;
            figures.latencies.push(started.elapsed());
            let answer = match answer {
                Ok(answer) => answer,
                Err(error) => {
                    println!("  {model} / {name}: failed: {error}");
                    figures.failed += 1;
                    continue;
                }
            };
            if answer.risk.is_some() {
                figures.schema_valid += 1;
            }
            let text = answer.text.to_lowercase();
            figures.flags += flags.len();
            figures.flags_mentioned += flags
                .iter()
                .filter(|flag| mentions(&flag.code).iter().any(|word| text.contains(word)))
                .count();
            figures.chars += answer.text.chars().count();
            figures.cost_usd += answer.usage.cost;
        }
        table.push((model.clone(), figures));
    }
    println!(
        "\n{:<36} {:>6} {:>8} {:>7} {:>10} {:>9} {:>11} {:>9} {:>9}",
        "model", "asked", "schema", "failed", "flags", "avg chars", "cost USD", "p50 ms", "max ms"
    );
    for (model, mut f) in table {
        f.latencies.sort();
        let p50 = f
            .latencies
            .get(f.latencies.len() / 2)
            .copied()
            .unwrap_or_default();
        let max = f.latencies.last().copied().unwrap_or_default();
        let answered = (f.asked - f.failed).max(1);
        println!(
            "{:<36} {:>6} {:>7.0}% {:>7} {:>10} {:>9} {:>11.6} {:>9} {:>9}",
            model,
            f.asked,
            100.0 * f.schema_valid as f64 / f.asked.max(1) as f64,
            f.failed,
            format!("{}/{}", f.flags_mentioned, f.flags),
            f.chars / answered,
            f.cost_usd,
            p50.as_millis(),
            max.as_millis(),
        );
    }
}
