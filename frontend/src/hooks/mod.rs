//! Hooks shared by the pages.

mod use_load;
mod use_session;
mod use_title;

pub use use_load::{Load, use_load};
pub use use_session::use_session;
pub use use_title::use_title;
