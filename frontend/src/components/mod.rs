//! Components: the primitives (`ui`), the app's frame (layout, navigation, the sign-in guard) and
//! the feature widgets the pages are built from.

pub mod ui;

mod confirm;
mod layout;
mod nav;
mod org_switcher;
mod paged_list;
mod require_auth;
mod resend_verification;
mod session_known;
mod verify_banner;

pub mod auth_form;
pub mod buy_credits;
pub mod change_email_form;
pub mod generate_form;
pub mod ledger;
pub mod provider_buttons;
pub mod sign_in_methods;
pub mod usage_chart;

pub use confirm::Confirm;
pub use layout::layout;
pub use nav::Nav;
pub use org_switcher::OrgSwitcher;
pub use paged_list::{ListText, paged_list};
pub use require_auth::RequireAuth;
pub use resend_verification::ResendVerification;
pub use session_known::session_known;
pub use verify_banner::VerifyBanner;
