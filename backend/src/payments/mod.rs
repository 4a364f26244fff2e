//! Buying credits. With Stripe keys configured, a purchase is a Stripe Checkout Session and the
//! credits arrive with the signed `checkout.session.completed` webhook (never with the redirect
//! back, which anyone can fake). Without them, dev mode credits a purchase at once and prod
//! answers 503: a production server never hands out free credits.

pub mod stripe;

use shared::dto::{CreditPackage, LedgerKind, PurchaseResponse};

use crate::{
    config::Config,
    db::{Db, DbError},
    models::{LedgerRow, ledger::Posted},
};

/// Why a purchase could not start.
#[derive(Debug, thiserror::Error)]
pub enum PaymentError {
    #[error("no payment provider is configured")]
    NotConfigured,
    #[error("cannot create a Stripe Checkout Session")]
    Checkout(#[from] stripe::CheckoutError),
    #[error("a dev purchase was not credited")]
    NotCredited,
    #[error(transparent)]
    Db(#[from] DbError),
}

pub enum Provider {
    /// Instant, free credits for local development.
    Dev,
    Stripe(stripe::Client),
    /// No payment provider is configured (prod without Stripe keys).
    Unavailable,
}

/// Who buys what, and where the buyer's browser returns to.
pub struct Purchase<'a> {
    pub user_id: i64,
    pub email: &'a str,
    pub package: &'a CreditPackage,
    /// The app's origin, e.g. `https://app.example.com`.
    pub return_base: &'a str,
}

impl Provider {
    pub fn for_config(config: &Config) -> Self {
        match &config.stripe {
            Some(stripe) => Self::Stripe(stripe::Client::new(stripe.clone())),
            None if config.is_dev() => Self::Dev,
            None => Self::Unavailable,
        }
    }

    pub async fn purchase(
        &self,
        db: &Db,
        purchase: Purchase<'_>,
    ) -> Result<PurchaseResponse, PaymentError> {
        match self {
            Self::Unavailable => Err(PaymentError::NotConfigured),
            Self::Stripe(client) => {
                let checkout_url = client.create_checkout_session(&purchase).await?;
                Ok(PurchaseResponse::Checkout { checkout_url })
            }
            Self::Dev => {
                let reference = format!("dev:{}", uuid::Uuid::new_v4());
                match credit_purchase(db, purchase.user_id, purchase.package, &reference).await? {
                    Posted::Applied { balance, .. } => {
                        Ok(PurchaseResponse::Credited { credits: balance })
                    }
                    Posted::Insufficient | Posted::Duplicate => Err(PaymentError::NotCredited),
                }
            }
        }
    }
}

/// Credits a paid package once per `reference` (a payment's id): a replay is `Duplicate`.
pub async fn credit_purchase(
    db: &Db,
    user_id: i64,
    package: &CreditPackage,
    reference: &str,
) -> Result<Posted, DbError> {
    let (credits, reference) = (package.credits, reference.to_owned());
    let purchase = LedgerKind::Purchase {
        package_id: package.id.clone(),
    };
    db.write(move |c| LedgerRow::post(c, user_id, credits, &purchase, Some(&reference)))
        .await
}
