//! The primitives: looks and accessibility in one place, no API calls, no app state.

mod alert;
mod button;
mod button_link;
mod card;
mod checkbox;
mod copy_button;
mod field;
mod loading;
mod narrow_page;
mod page_header;
mod show_more;

pub use alert::{Alert, AlertKind};
pub use button::{Button, ButtonKind};
pub use button_link::ButtonLink;
pub use card::Card;
pub use checkbox::Checkbox;
pub use copy_button::CopyButton;
pub use field::{Field, FieldKind};
pub use loading::{Loading, PageLoading};
pub use narrow_page::NarrowPage;
pub use page_header::PageHeader;
pub use show_more::ShowMore;
