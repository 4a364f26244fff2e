use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Balance {
    pub credits: i64,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerEntry {
    pub id: i64,
    /// Positive for purchases, grants and refunds; negative for spending.
    pub delta: i64,
    pub reason: String,
    pub balance_after: i64,
    pub created_at: DateTime<Utc>,
}

/// Query of `GET /api/credits/ledger`: newest first, `before` is the `id` of the last entry seen.
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LedgerQuery {
    pub limit: Option<i64>,
    pub before: Option<i64>,
}

pub const LEDGER_DEFAULT_LIMIT: i64 = 50;
pub const LEDGER_MAX_LIMIT: i64 = 200;

#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UsageQuery {
    pub days: Option<i64>,
}

pub const USAGE_DEFAULT_DAYS: i64 = 30;
pub const USAGE_MAX_DAYS: i64 = 366;

/// Credits spent and bought on one UTC day.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageDay {
    pub date: NaiveDate,
    pub spent: i64,
    pub purchased: i64,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditPackage {
    pub id: String,
    pub credits: i64,
    pub price_cents: i64,
    pub currency: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PurchaseRequest {
    pub package_id: String,
}

/// Answer to a purchase: the new balance (dev provider) or where to pay (Stripe).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum PurchaseResponse {
    Credited { credits: i64 },
    Checkout { checkout_url: String },
}
