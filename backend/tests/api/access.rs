//! Who may call what: anonymous callers, API keys, non-admins, disabled accounts, and requests
//! carrying a bad credential next to a good one.

mod anonymous;
mod disabled;
mod keys_and_sessions;
mod mixed_credentials;
mod non_admins;
