//! `CopyButton`: copies a text to the clipboard and says so.

use crate::hooks::use_value;
use wasm_bindgen_futures::JsFuture;
use yew::{platform::spawn_local, prelude::*};

#[derive(Properties, PartialEq)]
pub struct CopyButtonProps {
    /// What goes to the clipboard.
    pub text: AttrValue,
    /// The button's label, e.g. "Copy key".
    pub label: AttrValue,
}

/// Copies `text` to the clipboard and says so ("Copied") for two seconds, politely announced.
#[function_component(CopyButton)]
pub fn copy_button(props: &CopyButtonProps) -> Html {
    let state = use_value(None::<bool>);
    let onclick = {
        let (state, text) = (state.clone(), props.text.clone());
        Callback::from(move |_| {
            let state = state.clone();
            let text = text.clone();
            spawn_local(async move {
                let copied = match web_sys::window() {
                    Some(w) => JsFuture::from(w.navigator().clipboard().write_text(&text))
                        .await
                        .is_ok(),
                    None => false,
                };
                state.set(Some(copied));
                yew::platform::time::sleep(std::time::Duration::from_secs(2)).await;
                state.set(None);
            });
        })
    };
    let feedback = match *state {
        Some(true) => "Copied",
        Some(false) => "Press Ctrl+C to copy",
        None => "",
    };
    html! {
        <span class="inline-flex items-center gap-2">
            <button type="button" {onclick}
                class="inline-flex items-center gap-1.5 rounded-md bg-white px-2.5 py-1.5 text-xs font-semibold text-slate-800 shadow-sm ring-1 ring-inset ring-slate-300 hover:bg-slate-50">
                <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" class="size-4 text-slate-500">
                    <path d="M7 3a2 2 0 0 0-2 2v9a2 2 0 0 0 2 2h7a2 2 0 0 0 2-2V5a2 2 0 0 0-2-2H7Zm0 2h7v9H7V5Z"/>
                    <path d="M3 7a1 1 0 0 1 1 1v8a1 1 0 0 0 1 1h7a1 1 0 1 1 0 2H5a3 3 0 0 1-3-3V8a1 1 0 0 1 1-1Z"/>
                </svg>
                { props.label.clone() }
            </button>
            <span role="status" class="text-xs font-medium text-emerald-700">{ feedback }</span>
        </span>
    }
}
