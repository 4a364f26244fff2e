//! Building blocks shared by the pages.

mod alert;
mod button;
mod card;
mod copy_button;
mod field;
mod focus;
mod layout;
mod loading;
mod nav;
mod require_auth;

pub mod auth_form;
pub mod buy_credits;
pub mod generate_form;
pub mod ledger;
pub mod usage_chart;

pub use alert::{Alert, AlertKind};
pub use button::{Button, ButtonKind};
pub use card::Card;
pub use copy_button::CopyButton;
pub use field::{Field, FieldKind};
pub use focus::use_focus_first_invalid;
pub use layout::Layout;
pub use loading::{Loading, PageLoading};
pub use nav::Nav;
pub use require_auth::RequireAuth;
