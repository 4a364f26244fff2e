//! Buying credits. With Stripe keys configured, a purchase is a Stripe Checkout Session and the
//! credits arrive with the signed `checkout.session.completed` webhook (never with the redirect
//! back, which anyone can fake). Without them, dev mode credits a purchase at once and prod
//! answers 503: a production server never hands out free credits.

pub mod stripe;

use shared::dto::{CreditPackage, LedgerKind, PurchaseResponse};

use crate::{
    config::Config,
    db::{Db, DbError},
    models::{
        LedgerRow, OrganizationRow,
        ledger::{Actor, Posted},
    },
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
    /// The organisation the credits go to.
    pub organization_id: i64,
    /// The member who buys them.
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
                let buyer = Buyer {
                    user_id: purchase.user_id,
                    organization_id: Some(purchase.organization_id),
                };
                match credit_purchase(db, buyer, purchase.package, &reference).await? {
                    Posted::Applied { balance, .. } => {
                        Ok(PurchaseResponse::Credited { credits: balance })
                    }
                    Posted::Insufficient | Posted::Duplicate => Err(PaymentError::NotCredited),
                }
            }
        }
    }
}

/// Who paid, as a payment records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Buyer {
    pub user_id: i64,
    /// `None` for a payment started before organisations: the user's personal one.
    pub organization_id: Option<i64>,
}

/// Credits a paid package once per `reference` (a payment's id): a replay is `Duplicate`. The
/// credits go to the buyer's organisation or, should it be gone (deleted while the payment was
/// under way) or unnamed, to the buyer's personal one: money paid is never dropped.
pub async fn credit_purchase(
    db: &Db,
    buyer: Buyer,
    package: &CreditPackage,
    reference: &str,
) -> Result<Posted, DbError> {
    let (credits, reference) = (package.credits, reference.to_owned());
    let purchase = LedgerKind::Purchase {
        package_id: package.id.clone(),
    };
    db.write(move |c| {
        let named = match buyer.organization_id {
            Some(id) => OrganizationRow::find(c, id)?,
            None => None,
        };
        let organization = match named {
            Some(organization) => Some(organization),
            None => OrganizationRow::personal_of(c, buyer.user_id)?,
        };
        let Some(organization) = organization else {
            return Ok(Posted::Insufficient);
        };
        let actor = Actor::user(buyer.user_id);
        LedgerRow::post(
            c,
            organization.id,
            actor,
            credits,
            &purchase,
            Some(&reference),
        )
    })
    .await
}
