//! Who is calling: passwords, access tokens, refresh cookies and the extractors handlers take.

mod caller;
pub mod cookie;
mod fresh;
pub mod jwt;
pub mod password;
pub mod secret;

pub use caller::{API_KEY_HEADER, Admin, BrowserSession, Caller, Credential};
pub use fresh::REAUTH_WINDOW;
