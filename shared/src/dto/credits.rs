//! Credits: the balance, the typed ledger, usage per day and credit packages (`/api/credits/...`).

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
    /// What moved the credits: `kind` and its detail fields, side by side with the others.
    #[serde(flatten)]
    pub kind: LedgerKind,
    /// The movement in one line (`purchase:starter`, `admin: goodwill`, `refund: POST /api/x`,
    /// `POST /api/x`), kept for clients of the first release: read `kind` instead.
    pub reason: String,
    pub balance_after: i64,
    #[serde(deserialize_with = "super::time::timestamp")]
    pub created_at: DateTime<Utc>,
}

/// Why credits moved. Serialised as a `kind` tag beside its detail fields, e.g.
/// `{"kind": "purchase", "package_id": "starter"}`; the database stores the same split.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", try_from = "KindFields")]
pub enum LedgerKind {
    /// Credits bought: a credit package paid for.
    Purchase { package_id: String },
    /// Credits added (or, negative, taken back) by an operator, with their note.
    Grant { note: String },
    /// Credits spent on a paid route (`POST /api/generate-text`).
    Spend { route: String },
    /// A spend given back because its request failed.
    Refund {
        refunded_entry_id: i64,
        route: String,
    },
}

/// A `LedgerKind` as it arrives: the tag and every detail field, then checked into its variant.
/// Plain fields deserialise with a fraction of the code of an internally tagged enum, which the
/// SPA's first-load budget feels.
#[derive(Deserialize)]
struct KindFields {
    kind: String,
    package_id: Option<String>,
    note: Option<String>,
    route: Option<String>,
    refunded_entry_id: Option<i64>,
}

impl TryFrom<KindFields> for LedgerKind {
    type Error = String;

    fn try_from(fields: KindFields) -> Result<Self, String> {
        let kind = fields.kind;
        let missing = |field: &str| format!("a {kind} entry needs `{field}`");
        Ok(match kind.as_str() {
            "purchase" => Self::Purchase {
                package_id: fields.package_id.ok_or_else(|| missing("package_id"))?,
            },
            "grant" => Self::Grant {
                note: fields.note.ok_or_else(|| missing("note"))?,
            },
            "spend" => Self::Spend {
                route: fields.route.ok_or_else(|| missing("route"))?,
            },
            "refund" => Self::Refund {
                refunded_entry_id: fields
                    .refunded_entry_id
                    .ok_or_else(|| missing("refunded_entry_id"))?,
                route: fields.route.ok_or_else(|| missing("route"))?,
            },
            other => return Err(format!("unknown ledger kind `{other}`")),
        })
    }
}

impl LedgerKind {
    /// The stored `kind`.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Purchase { .. } => "purchase",
            Self::Grant { .. } => "grant",
            Self::Spend { .. } => "spend",
            Self::Refund { .. } => "refund",
        }
    }

    /// Whether `delta` credits moved by movements of the kind stored as `name` count as spending
    /// in the usage chart: spends, credits taken back, and refunds (which lower what was spent
    /// rather than count as bought). By name, as the database sums them per day and kind.
    pub fn is_spending(name: &str, delta: i64) -> bool {
        matches!(name, "spend" | "refund") || delta < 0
    }

    /// The first release's one-line `reason`.
    pub fn legacy_reason(&self) -> String {
        match self {
            Self::Purchase { package_id } => format!("purchase:{package_id}"),
            Self::Grant { note } => format!("admin: {note}"),
            Self::Spend { route } => route.clone(),
            Self::Refund { route, .. } => format!("refund: {route}"),
        }
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UsageQuery {
    pub days: Option<i64>,
    /// Only what this API key of the organisation spent (and was refunded).
    pub key_id: Option<i64>,
}

/// Credits spent and bought on one UTC day.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageDay {
    #[serde(deserialize_with = "super::time::date")]
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The stored kind (`name`) and the API's `kind` tag are one name, written twice.
    #[test]
    fn the_stored_kind_is_the_serialised_tag() {
        let route = || "POST /api/x".to_owned();
        for kind in [
            LedgerKind::Purchase {
                package_id: "starter".into(),
            },
            LedgerKind::Grant { note: "n".into() },
            LedgerKind::Spend { route: route() },
            LedgerKind::Refund {
                refunded_entry_id: 1,
                route: route(),
            },
        ] {
            let json = serde_json::to_value(&kind).unwrap();
            assert_eq!(json["kind"], kind.name(), "{json}");
            assert_eq!(serde_json::from_value::<LedgerKind>(json).unwrap(), kind);
        }
    }

    #[test]
    fn an_entry_reads_back_and_a_kind_without_its_fields_is_refused() {
        let entry = LedgerEntry {
            id: 7,
            delta: -1,
            kind: LedgerKind::Spend {
                route: "POST /api/x".into(),
            },
            reason: "POST /api/x".into(),
            balance_after: 4,
            created_at: DateTime::from_timestamp(0, 0).unwrap(),
        };
        let json = serde_json::to_string(&entry).unwrap();
        assert_eq!(serde_json::from_str::<LedgerEntry>(&json).unwrap(), entry);
        for refused in [r#"{"kind":"spend"}"#, r#"{"kind":"bonus","note":"x"}"#] {
            assert!(
                serde_json::from_str::<LedgerKind>(refused).is_err(),
                "{refused}"
            );
        }
    }
}
