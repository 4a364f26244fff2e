//! Buying credits. The dev provider credits a purchase at once (dev mode only, so a production
//! server never hands out free credits); without a real provider, prod answers 503.

use shared::dto::{CreditPackage, PurchaseResponse};

use crate::{
    config::Config,
    db::Db,
    error::ApiError,
    models::{LedgerRow, ledger::Posted},
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    /// Instant, free credits for local development.
    Dev,
    /// No payment provider is configured.
    Unavailable,
}

impl Provider {
    pub fn for_config(config: &Config) -> Self {
        if config.is_dev() {
            Self::Dev
        } else {
            Self::Unavailable
        }
    }

    pub async fn purchase(
        self,
        db: &Db,
        user_id: i64,
        package: &CreditPackage,
    ) -> Result<PurchaseResponse, ApiError> {
        match self {
            Self::Unavailable => Err(ApiError::PaymentsUnavailable),
            Self::Dev => {
                let (credits, reason) = (package.credits, format!("purchase:{}", package.id));
                let reference = format!("dev:{}", uuid::Uuid::new_v4());
                let posted = db
                    .write(move |c| LedgerRow::post(c, user_id, credits, &reason, Some(&reference)))
                    .await?;
                match posted {
                    Posted::Applied { balance, .. } => {
                        Ok(PurchaseResponse::Credited { credits: balance })
                    }
                    Posted::Insufficient | Posted::Duplicate => {
                        Err(ApiError::internal("dev purchase was not applied"))
                    }
                }
            }
        }
    }
}
