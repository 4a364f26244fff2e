//! `/api/me` and `/api/me/password`.

mod password;
mod profile;
