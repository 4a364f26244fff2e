//! The signed-in user and their account changes (`/api/me`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ActiveOrganization;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    User,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::User => "user",
            Role::Admin => "admin",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "user" => Some(Role::User),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

/// A user as the API shows it (never the password hash).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: i64,
    pub email: String,
    /// Whether the address was proven by a link sent to it.
    pub email_verified: bool,
    /// Whether the account has a password (one made through an identity provider has none
    /// until it sets one).
    #[serde(default = "has_password_by_default")]
    pub has_password: bool,
    pub role: Role,
    /// The balance of `organization`, the one the caller acts in.
    pub credits: i64,
    pub is_active: bool,
    #[serde(deserialize_with = "super::time::timestamp")]
    pub created_at: DateTime<Utc>,
    /// The organisation the caller acts in (in admin lists, the user's personal one).
    pub organization: ActiveOrganization,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    /// Required when the account has a password; left out by an account without one (made
    /// through an identity provider), which sets its first from a sign-in within ten minutes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_password: Option<String>,
    pub new_password: String,
    /// Also revoke every API key of the account (after a suspected leak).
    #[serde(default)]
    pub revoke_api_keys: bool,
}

/// What signing out everywhere also ends. The body is optional: none revokes no key.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogoutAllRequest {
    /// Also revoke every API key of the account.
    #[serde(default)]
    pub revoke_api_keys: bool,
}

/// Accounts had a password before identity providers: an answer without the field has one.
fn has_password_by_default() -> bool {
    true
}
