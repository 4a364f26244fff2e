//! Hooks shared by the pages and components: loading data, running actions, form state.

mod use_effect_on;
mod use_focus_first_invalid;
mod use_input;
mod use_link_token;
mod use_load;
mod use_pages;
mod use_session;
mod use_submit;
mod use_title;
mod use_value;

pub use use_effect_on::use_effect_on;
pub use use_focus_first_invalid::use_focus_first_invalid;
pub use use_input::{UseInputHandle, use_input};
pub use use_link_token::{LinkQuery, use_link_token};
pub use use_load::{Load, use_load};
pub use use_pages::{Cursor, Rows, UsePagesHandle, use_pages};
pub use use_session::use_session;
pub use use_submit::{UseSubmitHandle, use_submit};
pub use use_title::use_title;
pub use use_value::use_value;
