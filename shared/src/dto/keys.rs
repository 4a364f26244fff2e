//! API keys as listed and as created (`/api/keys`), and what a key may be used for.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Permission;

/// What an API key may be used for, a closed set. Managing keys, members, purchases or the
/// account is never grantable to a key: those need a signed-in member.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Scope {
    /// Call paid routes, spending the organisation's credits.
    #[serde(rename = "paid:call")]
    PaidCall,
    /// Read the balance, the ledger and usage.
    #[serde(rename = "credits:read")]
    CreditsRead,
    /// Read the organisation's tasks.
    #[serde(rename = "tasks:read")]
    TasksRead,
    /// Create, change and delete its tasks.
    #[serde(rename = "tasks:write")]
    TasksWrite,
}

impl Scope {
    /// Every scope, which a key gets when its creation names none.
    pub const ALL: [Self; 4] = [
        Self::PaidCall,
        Self::CreditsRead,
        Self::TasksRead,
        Self::TasksWrite,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::PaidCall => "paid:call",
            Self::CreditsRead => "credits:read",
            Self::TasksRead => "tasks:read",
            Self::TasksWrite => "tasks:write",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|scope| scope.as_str() == raw)
    }

    /// What the scope lets a key do in its organisation.
    pub fn permission(self) -> Permission {
        match self {
            Self::PaidCall => Permission::Spend,
            Self::CreditsRead => Permission::ReadCredits,
            Self::TasksRead => Permission::ReadTasks,
            Self::TasksWrite => Permission::WriteTasks,
        }
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateKeyRequest {
    pub name: String,
    /// What the key may do; omitted: every scope (`paid:call`, `credits:read`, `tasks:read`,
    /// `tasks:write`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Vec<Scope>>,
    /// Days until the key stops working, 1 to 365; omitted: it never expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_in_days: Option<i64>,
    /// The most credits the key may spend per UTC day; omitted: no limit but the balance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spend_limit_daily: Option<i64>,
    /// The most credits the key may spend per UTC calendar month; omitted: no limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spend_limit_monthly: Option<i64>,
    /// The most requests per minute the key may make, 1 to 1,000,000, on top of the API's
    /// per-user limit; omitted: that limit alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limit_per_minute: Option<i64>,
    /// The account's password, needed when the session signed in more than ten minutes ago
    /// (else 403 `reauthentication_required`): a briefly stolen token cannot mint a lasting key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

/// Rotating a key (`POST /api/keys/{id}/rotate`): how long the old secret keeps working.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RotateKeyRequest {
    /// 0 (the old secret stops at once) to 604800 (7 days).
    pub grace_seconds: i64,
    /// The account's password, when the session signed in more than ten minutes ago: a new
    /// secret is a new key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

/// An API key as listed: never the key itself.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKey {
    pub id: i64,
    pub name: String,
    /// The first characters of the key, to recognise it.
    pub prefix: String,
    pub scopes: Vec<Scope>,
    /// When the key stops working (401 "API key expired"); `null`: never.
    #[serde(deserialize_with = "super::time::optional_timestamp")]
    pub expires_at: Option<DateTime<Utc>>,
    /// The key that replaced this one in a rotation: this one works until `expires_at`, the end
    /// of the grace period, and then leaves the list.
    pub replaced_by: Option<i64>,
    pub spend_limit_daily: Option<i64>,
    pub spend_limit_monthly: Option<i64>,
    pub rate_limit_per_minute: Option<i64>,
    /// Credits it spent in the current UTC day and month, refunds given back: for a key with a
    /// spend limit, as the limit counts it (a rotation carries the count over to the new key).
    pub spent_today: i64,
    pub spent_this_month: i64,
    #[serde(deserialize_with = "super::time::timestamp")]
    pub created_at: DateTime<Utc>,
    #[serde(deserialize_with = "super::time::optional_timestamp")]
    pub last_used_at: Option<DateTime<Utc>>,
}

/// Answer to key creation: the only time `key` is ever shown.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedKey {
    pub id: i64,
    pub name: String,
    pub prefix: String,
    pub key: String,
    pub scopes: Vec<Scope>,
    #[serde(deserialize_with = "super::time::optional_timestamp")]
    pub expires_at: Option<DateTime<Utc>>,
    pub spend_limit_daily: Option<i64>,
    pub spend_limit_monthly: Option<i64>,
    pub rate_limit_per_minute: Option<i64>,
    #[serde(deserialize_with = "super::time::timestamp")]
    pub created_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_read_back_as_written() {
        for scope in Scope::ALL {
            assert_eq!(Scope::parse(scope.as_str()), Some(scope));
            let json = serde_json::to_string(&scope).unwrap();
            assert_eq!(json, format!("\"{}\"", scope.as_str()));
        }
    }

    #[test]
    fn only_spending_credits_and_reading_or_writing_data_are_grantable() {
        let grantable: Vec<Permission> = Permission::ALL
            .into_iter()
            .filter(|p| p.scope().is_some())
            .collect();
        assert_eq!(
            grantable,
            [
                Permission::Spend,
                Permission::ReadCredits,
                Permission::ReadTasks,
                Permission::WriteTasks
            ]
        );
        for scope in Scope::ALL {
            assert_eq!(scope.permission().scope(), Some(scope));
        }
    }
}
