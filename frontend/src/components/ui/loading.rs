//! `loading` and `page_loading`: what shows while data is on its way.

use crate::components::ui;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LoadingProps {
    #[prop_or(AttrValue::Static("Loading…"))]
    pub label: AttrValue,
}

/// An inline "loading" line, announced politely.
pub fn loading(props: LoadingProps) -> Html {
    html! {
        <p role="status" class="flex items-center gap-2 py-4 text-sm text-slate-500">
            <span aria-hidden="true"
                class="size-4 animate-spin rounded-full border-2 border-slate-300 border-r-transparent" />
            { props.label.clone() }
        </p>
    }
}

/// A whole page waiting (the session being restored).
pub fn page_loading() -> Html {
    html! {
        <div class="flex min-h-[40vh] items-center justify-center">
            { ui::loading(yew::props!(ui::LoadingProps {  })) }
        </div>
    }
}
