//! Who is calling: passwords, access tokens, refresh cookies and the extractors handlers take.

pub mod attachment_link;
mod caller;
pub mod cookie;
mod fresh;
pub mod jwt;
mod org_member;
pub mod password;
mod password_check;
pub(crate) mod presented;
pub mod secret;
pub mod signing_key;

pub use caller::{
    Admin, Authenticated, BrowserSession, Caller, Credential, Need, Permitted, VerifiedSession,
    need,
};
pub use fresh::REAUTH_WINDOW;
pub use org_member::OrgMember;
pub use password_check::{check_password, confirm_password};
pub use presented::API_KEY_HEADER;
