//! One component per route of `app::Route`.

mod account;
mod admin;
mod auth;
mod confirm_email;
mod dashboard;
mod forgot_password;
mod home;
mod keys;
mod not_found;
mod reset_password;
mod verify_email;

pub use account::Account;
pub use admin::Admin;
pub use auth::{Login, SignUp};
pub use confirm_email::ConfirmEmail;
pub use dashboard::Dashboard;
pub use forgot_password::ForgotPassword;
pub use home::Home;
pub use keys::Keys;
pub use not_found::NotFound;
pub use reset_password::ResetPassword;
pub use verify_email::VerifyEmail;
