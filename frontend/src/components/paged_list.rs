//! `paged_list`: a `use_pages` list as it shows while loading, failed, empty or with its rows and
//! the button that loads more ("Show more", "Load more").

use yew::prelude::*;

use crate::{
    components::ui::{self, AlertKind},
    hooks::{Cursor, Load, UsePagesHandle},
};

/// What to say while the first page loads and when there are no rows, and the button that loads
/// the next page.
pub struct ListText {
    pub loading: &'static str,
    pub empty: &'static str,
    pub more: &'static str,
}

/// `rows` renders the rows loaded so far; the "more" button follows them until the list is
/// complete.
pub fn paged_list<T: Cursor + Clone + 'static>(
    pages: &UsePagesHandle<T>,
    text: ListText,
    rows: impl FnOnce(&[T]) -> Html,
) -> Html {
    match pages.state() {
        Load::Loading => ui::loading(yew::props!(ui::LoadingProps {
            label: text.loading
        })),
        Load::Failed(e) => {
            html! { { ui::alert(yew::props!(ui::AlertProps { kind: AlertKind::Error, children: html! { { e.to_string() } } })) } }
        }
        Load::Ready(loaded) if loaded.items.is_empty() => {
            html! { <p class="text-sm text-slate-500">{ text.empty }</p> }
        }
        Load::Ready(loaded) => html! {
            <>
                { rows(&loaded.items) }
                if !loaded.complete {
                    { ui::show_more(yew::props!(ui::ShowMoreProps { onclick: pages.show_more(), label: text.more, busy: loaded.loading_more(), error: loaded.more_error.clone() })) }
                }
            </>
        },
    }
}
