//! Operator commands for the shop: run them locally (`make dev` does) or against a deployed
//! database.
//!
//!   shopctl migrate                 apply pending migrations to DATABASE_URL
//!   shopctl bootstrap-admin         create or promote ADMIN_EMAIL (with ADMIN_PASSWORD) as admin
//!   shopctl seed-demo               add a demo catalogue when the catalogue is empty
//!   shopctl openapi                 print the OpenAPI document of every route
//!   shopctl keygen DIR              write a fresh Ed25519 key pair to DIR/jwt-{private,public}.pem
//!   shopctl redrive [DLQ_URL]       move the order messages dead-lettered so far back to
//!                                   ORDERS_QUEUE_URL; prints moved / failed counts
//!                                   (the DLQ is found from the queue's redrive policy if not given)

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use shared::auth::bootstrap::{self, Outcome};
use shared::auth::tokens;
use shared::db;

const USAGE: &str = "usage: shopctl <migrate | bootstrap-admin | seed-demo | openapi | keygen DIR | redrive [DLQ_URL]>";

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["migrate"] => migrate().await,
        ["bootstrap-admin"] => bootstrap_admin().await,
        ["seed-demo"] => seed_demo().await,
        ["openapi"] => openapi(),
        ["keygen", dir] => keygen(Path::new(dir)),
        ["redrive"] => redrive(None).await,
        ["redrive", dlq_url] => redrive(Some(dlq_url)).await,
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("shopctl: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn migrate() -> anyhow::Result<()> {
    let pool = db::connect(&db::database_url()?, 1)
        .await
        .context("connecting to DATABASE_URL")?;
    db::MIGRATOR
        .run(&pool)
        .await
        .context("applying migrations")?;
    println!("migrations applied");
    Ok(())
}

async fn bootstrap_admin() -> anyhow::Result<()> {
    let pool = db::connect(&db::database_url()?, 1)
        .await
        .context("connecting to DATABASE_URL")?;
    match bootstrap::ensure_admin_from_env(&pool).await? {
        Outcome::NotConfigured => {
            println!("ADMIN_EMAIL / ADMIN_PASSWORD not set: no admin account ensured")
        }
        Outcome::Ensured { email } => println!("admin account ready: {email}"),
    }
    Ok(())
}

async fn seed_demo() -> anyhow::Result<()> {
    let pool = db::connect(&db::database_url()?, 1)
        .await
        .context("connecting to DATABASE_URL")?;
    match shared::products::demo::seed_if_empty(&pool).await? {
        0 => println!("catalogue not empty: no demo products added"),
        added => println!("added {added} demo products"),
    }
    Ok(())
}

/// After a provider outage: the orders whose retries ran out wait in the dead-letter queue;
/// moving them back makes the summary function try again (a `failed` summary can still become
/// `ready`).
async fn redrive(dlq_url: Option<&str>) -> anyhow::Result<()> {
    use shared::orders::queue::OrderQueue;
    use shared::summary::redrive;
    // An operator's workstation: the SDK's whole credential chain (profiles, SSO, ...), not
    // only the environment a function gets.
    let settings = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .timeout_config(OrderQueue::timeouts())
        .http_client(shared::aws_env::https_client())
        .load()
        .await;
    let queue = OrderQueue::with_settings(&settings)?;
    let dlq_url = match dlq_url {
        Some(url) => url.to_owned(),
        None => redrive::dead_letter_queue_url(queue.client(), queue.url()).await?,
    };
    let report = redrive::move_messages(queue.client(), &dlq_url, queue.url()).await?;
    println!(
        "found {} message(s) in {dlq_url}: moved {}, failed {} (failed ones stay for the next redrive)",
        report.found, report.moved, report.failed
    );
    if report.failed > 0 {
        anyhow::bail!("{} message(s) could not be moved", report.failed);
    }
    Ok(())
}

fn openapi() -> anyhow::Result<()> {
    use utoipa::OpenApi;
    let document = shared::openapi::ApiDoc::openapi()
        .to_pretty_json()
        .context("rendering the OpenAPI document")?;
    println!("{document}");
    Ok(())
}

fn keygen(dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let (private, public) = tokens::generate_key_pair()?;
    let private_path = dir.join("jwt-private.pem");
    let public_path = dir.join("jwt-public.pem");
    write_private(&private_path, &private)?;
    std::fs::write(&public_path, public)
        .with_context(|| format!("writing {}", public_path.display()))?;
    println!(
        "wrote {} and {}",
        private_path.display(),
        public_path.display()
    );
    Ok(())
}

fn write_private(path: &Path, contents: &str) -> anyhow::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("writing {}", path.display()))?;
    file.write_all(contents.as_bytes())?;
    Ok(())
}
