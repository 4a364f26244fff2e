//! `/api/auth/*`: sign up, sign in, refresh, sign out; the tokens' keys.

mod credentials_refused;
mod cross_site;
mod input_refused;
mod revocation;
mod succeeds;
mod token_keys;
mod verify_token;
