//! `/api/auth/*`: sign up, sign in, refresh, sign out.

mod credentials_refused;
mod cross_site;
mod input_refused;
mod revocation;
mod succeeds;
