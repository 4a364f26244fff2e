//! Who is calling: passwords, access tokens, refresh cookies and the extractors handlers take.

mod caller;
pub mod cookie;
pub mod jwt;
pub mod password;
mod password_check;
pub(crate) mod presented;
pub mod secret;

pub use caller::{Admin, BrowserSession, Caller, Credential};
pub use password_check::{check_password, confirm_password};
