//! `/api/keys`: create, list, use and revoke API keys.

mod refused;
mod succeeds;
