//! `field`: a labelled input or text area with its hint and error.

use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FieldKind {
    #[default]
    Text,
    Email,
    Password,
    Number,
    /// A calendar date (the browser's date picker; its value reads `2026-12-31`).
    Date,
    /// A multi-line text area.
    TextArea,
}

#[derive(Properties, PartialEq)]
pub struct FieldProps {
    /// The input's id (its label points at it).
    pub id: AttrValue,
    /// The visible label, also the accessible name ("Email", "Prompt", ...).
    pub label: AttrValue,
    pub value: AttrValue,
    pub oninput: Callback<String>,
    #[prop_or_default]
    pub kind: FieldKind,
    /// The message of a refused value, shown under the field and tied to it.
    #[prop_or_default]
    pub error: Option<AttrValue>,
    /// A help text under the field.
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    #[prop_or_default]
    pub autocomplete: Option<AttrValue>,
    #[prop_or_default]
    pub placeholder: Option<AttrValue>,
    #[prop_or_default]
    pub required: bool,
    #[prop_or(4)]
    pub rows: u32,
    #[prop_or_default]
    pub class: Classes,
}

/// A labelled input with its hint and error, wired for screen readers (aria-invalid,
/// aria-describedby).
pub fn field(props: FieldProps) -> Html {
    let hint_id = format!("{}-hint", props.id);
    let error_id = format!("{}-error", props.id);
    let describedby = match (&props.hint, &props.error) {
        (Some(_), Some(_)) => Some(format!("{hint_id} {error_id}")),
        (Some(_), None) => Some(hint_id.clone()),
        (None, Some(_)) => Some(error_id.clone()),
        (None, None) => None,
    };
    let invalid = props.error.is_some();
    let look = classes!(
        "block",
        "w-full",
        "rounded-lg",
        "border-0",
        "bg-white",
        "px-3",
        "py-2",
        "text-sm",
        "text-slate-900",
        "shadow-sm",
        "ring-1",
        "ring-inset",
        "placeholder:text-slate-400",
        "focus:ring-2",
        "focus:ring-inset",
        "focus:outline-none",
        if invalid {
            "ring-red-400 focus:ring-red-500"
        } else {
            "ring-slate-300 focus:ring-brand-600"
        }
    );
    let input = if props.kind == FieldKind::TextArea {
        let oninput = props
            .oninput
            .reform(|e: InputEvent| e.target_unchecked_into::<HtmlTextAreaElement>().value());
        html! {
            <textarea id={props.id.clone()} name={props.id.clone()} class={look}
                rows={props.rows.to_string()} value={props.value.clone()} {oninput}
                placeholder={props.placeholder.clone()} required={props.required}
                aria-invalid={invalid.then_some("true")} aria-describedby={describedby} />
        }
    } else {
        let oninput = props
            .oninput
            .reform(|e: InputEvent| e.target_unchecked_into::<HtmlInputElement>().value());
        let (kind, inputmode) = match props.kind {
            FieldKind::Email => ("email", None),
            FieldKind::Password => ("password", None),
            // type="text" + inputmode: a number field that accepts a leading minus everywhere.
            FieldKind::Number => ("text", Some("numeric")),
            FieldKind::Date => ("date", None),
            _ => ("text", None),
        };
        html! {
            <input id={props.id.clone()} name={props.id.clone()} type={kind} class={look}
                value={props.value.clone()} {oninput} inputmode={inputmode}
                autocomplete={props.autocomplete.clone()} placeholder={props.placeholder.clone()}
                required={props.required} aria-invalid={invalid.then_some("true")}
                aria-describedby={describedby} />
        }
    };
    html! {
        <div class={props.class.clone()}>
            <label for={props.id.clone()} class="mb-1.5 block text-sm font-medium text-slate-800">
                { props.label.clone() }
            </label>
            { input }
            if let Some(hint) = &props.hint {
                <p id={hint_id} class="mt-1.5 text-xs text-slate-500">{ hint }</p>
            }
            if let Some(error) = &props.error {
                <p id={error_id} class="mt-1.5 text-sm text-red-700" data-testid="field-error">
                    { error }
                </p>
            }
        </div>
    }
}
