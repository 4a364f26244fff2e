//! Who is calling: passwords, access tokens, refresh cookies and the extractors handlers take.

mod caller;
pub mod cookie;
pub mod jwt;
pub mod password;
pub(crate) mod presented;
pub mod secret;

pub use caller::{Admin, BrowserSession, Caller, Credential};
