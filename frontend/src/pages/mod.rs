//! One component per route of `app::Route`.

mod account;
mod admin;
mod auth;
mod confirm_email;
mod dashboard;
mod forgot_password;
mod home;
mod invite;
mod keys;
mod not_found;
mod org;
mod reset_password;
mod tasks;
mod verify_email;

pub use account::Account;
pub use admin::Admin;
pub use auth::{Next, NextQuery, login, next_route, sign_up};
pub use confirm_email::ConfirmEmail;
pub use dashboard::Dashboard;
pub use forgot_password::ForgotPassword;
pub use home::Home;
pub use invite::Invite;
pub use keys::Keys;
pub use not_found::NotFound;
pub use org::Org;
pub use reset_password::ResetPassword;
pub use tasks::Tasks;
pub use verify_email::VerifyEmail;
