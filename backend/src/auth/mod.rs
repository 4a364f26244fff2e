//! Who is calling: passwords, access tokens, refresh cookies and the extractors handlers take.

mod caller;
pub mod cookie;
mod fresh;
pub mod jwt;
pub mod password;
mod password_check;
pub(crate) mod presented;
pub mod secret;

pub use caller::{Admin, BrowserSession, Caller, Credential, VerifiedSession};
pub use fresh::REAUTH_WINDOW;
pub use password_check::{check_password, confirm_password};
pub use presented::API_KEY_HEADER;
