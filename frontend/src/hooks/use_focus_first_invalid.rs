//! `use_focus_first_invalid`: after a refused submit, focus goes to the field to fix.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::use_effect_on;

use crate::forms::FormErrors;

/// After a refused submit, moves keyboard focus to the first invalid field of the form, so a
/// keyboard or screen-reader user lands on what needs fixing. Returns the `<form>`'s ref.
#[hook]
pub fn use_focus_first_invalid(errors: FormErrors) -> NodeRef {
    let form = use_node_ref();
    {
        let form = form.clone();
        use_effect_on(
            errors,
            Box::new(move |errors: &FormErrors| {
                if errors.is_empty() {
                    return;
                }
                let first = form
                    .cast::<web_sys::Element>()
                    .and_then(|f| f.query_selector("[aria-invalid=\"true\"]").ok().flatten())
                    .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
                if let Some(first) = first {
                    let _ = first.focus();
                }
            }),
        );
    }
    form
}
