//! `/api/keys`: create, list, use and revoke API keys; their scopes, expiry, rotation and limits.

mod expiry;
mod limits;
mod rate_limits;
mod refused;
mod rotation;
mod scopes;
mod succeeds;
mod usage;
