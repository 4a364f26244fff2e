//! A labelled checkbox, the label beside it and clickable.

use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CheckboxProps {
    pub id: AttrValue,
    pub label: AttrValue,
    pub checked: bool,
    pub onchange: Callback<bool>,
}

pub fn checkbox(props: CheckboxProps) -> Html {
    let onchange = props
        .onchange
        .reform(|e: Event| e.target_unchecked_into::<HtmlInputElement>().checked());
    html! {
        <div class="flex items-center gap-2">
            <input id={props.id.clone()} name={props.id.clone()} type="checkbox"
                checked={props.checked} {onchange}
                class="h-4 w-4 rounded border-slate-300 text-brand-600 focus:ring-2 focus:ring-brand-600" />
            <label for={props.id.clone()} class="text-sm text-slate-800">{ props.label.clone() }</label>
        </div>
    }
}
