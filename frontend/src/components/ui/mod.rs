//! The primitives: looks and accessibility in one place, no API calls, no app state.
//!
//! Those without state are plain functions of their props, called as
//! `{ ui::button(yew::props!(ui::ButtonProps { .. })) }`, not components: every component costs
//! its own copy of Yew's lifecycle code in the wasm (the first-load budget, bench/).

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
mod select;
mod show_more;

pub use alert::{AlertKind, AlertProps, alert};
pub use button::{ButtonKind, ButtonProps, button};
pub use button_link::{ButtonLinkProps, button_link};
pub use card::{CardProps, card};
pub use checkbox::{CheckboxProps, checkbox};
pub use copy_button::CopyButton;
pub use field::{FieldKind, FieldProps, field};
pub use loading::{LoadingProps, loading, page_loading};
pub use narrow_page::{NarrowPageProps, narrow_page};
pub use page_header::{PageHeaderProps, page_header};
pub use select::{Select, static_options};
pub use show_more::{ShowMoreProps, show_more};
