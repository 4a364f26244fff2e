//! The query of every list served a page at a time (the ledger, API keys, the admin's users).

use serde::{Deserialize, Serialize};

/// Keyset paging, newest first: pass the `id` of the last row seen as `before` for the next page.
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    /// Rows per page: 1 to 200, 50 when absent.
    pub limit: Option<i64>,
    /// The `id` of the last row already seen: the page holds the rows older than it.
    pub before: Option<i64>,
}
