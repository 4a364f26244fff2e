//! Bodies of the demo paid routes.

use serde::{Deserialize, Serialize};

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenerateTextRequest {
    pub prompt: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GenerateTextResponse {
    pub generated_text: String,
    /// The balance left after this call.
    pub credits: i64,
}

/// Answer of the subscription-style demo route (`RequireCredits`: checks, never spends).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PremiumResponse {
    pub message: String,
    pub credits: i64,
}
