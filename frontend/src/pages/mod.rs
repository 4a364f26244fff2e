//! One component per route of `app::Route`.

mod account;
mod admin;
mod auth;
mod dashboard;
mod home;
mod keys;
mod not_found;

pub use account::Account;
pub use admin::Admin;
pub use auth::{Login, SignUp};
pub use dashboard::Dashboard;
pub use home::Home;
pub use keys::Keys;
pub use not_found::NotFound;
