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

/// A story of at most `max_words` words (the metered demo route: it reserves the most the
/// story may cost and charges what it came to).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenerateStoryRequest {
    pub prompt: String,
    /// 1 to 10,000.
    pub max_words: i64,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GenerateStoryResponse {
    pub story: String,
    pub words: i64,
    /// What the call cost: one credit per 100 words started.
    pub credits_charged: i64,
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
