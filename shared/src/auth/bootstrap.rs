//! Creates the first admin from `ADMIN_EMAIL` / `ADMIN_PASSWORD`, or promotes that account.
//! Run by `make dev` at start and by the deploy's bootstrap step; safe to repeat.

use anyhow::Context;
use sqlx::PgPool;

use super::{Role, password, register};
use crate::config;

#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    NotConfigured,
    Ensured { email: String },
}

pub async fn ensure_admin_from_env(db: &PgPool) -> anyhow::Result<Outcome> {
    match (
        config::optional("ADMIN_EMAIL"),
        config::optional("ADMIN_PASSWORD"),
    ) {
        (Some(email), Some(password)) => {
            ensure_admin(db, email.trim(), &password).await?;
            Ok(Outcome::Ensured {
                email: email.trim().to_owned(),
            })
        }
        _ => Ok(Outcome::NotConfigured),
    }
}

/// Upserts the account as admin. The password is set too: had someone registered the admin's
/// email first, promoting their account with their password would hand them the shop.
pub async fn ensure_admin(db: &PgPool, email: &str, password: &str) -> anyhow::Result<()> {
    register::validate(email, password).map_err(|error| {
        anyhow::anyhow!("ADMIN_EMAIL / ADMIN_PASSWORD are not acceptable: {error}")
    })?;
    let hash = password::hash(password.to_owned()).await?;
    sqlx::query(
        "INSERT INTO auth.users (id, email, password_hash, role) VALUES ($1, $2, $3, $4)
         ON CONFLICT (lower(email)) DO UPDATE SET role = EXCLUDED.role, password_hash = EXCLUDED.password_hash",
    )
    .bind(uuid::Uuid::now_v7())
    .bind(email)
    .bind(&hash)
    .bind(Role::Admin)
    .execute(db)
    .await
    .context("creating or promoting the admin account")?;
    Ok(())
}
