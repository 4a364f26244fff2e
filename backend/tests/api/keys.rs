//! `/api/keys`: create, list, use and revoke API keys; their scopes and expiry.

mod expiry;
mod limits;
mod refused;
mod rotation;
mod scopes;
mod succeeds;
