//! Bodies of the admin routes (`/api/admin/...`).

use serde::{Deserialize, Serialize};

use super::Role;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GrantCreditsRequest {
    /// Credits to add (or, negative, to take back; the balance never goes below zero).
    pub amount: i64,
    pub reason: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateUserRequest {
    pub is_active: Option<bool>,
    pub role: Option<Role>,
}
