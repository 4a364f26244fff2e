//! `Select`: a labelled drop-down whose shown choice follows its `value`.

use crate::hooks::use_effect_on;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// The choices of a select, as (value, text).
pub type Options = Vec<(AttrValue, AttrValue)>;

/// Options written in the source, as (value, text).
pub fn static_options(choices: &[(&'static str, &'static str)]) -> Options {
    choices
        .iter()
        .map(|&(value, text)| (AttrValue::Static(value), AttrValue::Static(text)))
        .collect()
}

#[derive(Properties, PartialEq)]
pub struct SelectProps {
    /// The select's id (its label points at it).
    pub id: AttrValue,
    /// The label, also the accessible name ("Organization", "Role", ...).
    pub label: AttrValue,
    /// Read by screen readers only (a select in a table row, in the navigation bar).
    #[prop_or_default]
    pub hide_label: bool,
    /// Each choice as (value, text).
    pub options: Options,
    /// The value chosen now.
    pub value: AttrValue,
    /// The value the user picked.
    pub onchange: Callback<String>,
    /// The pick is being sent: the choice on screen stays the user's until it is answered.
    #[prop_or_default]
    pub busy: bool,
    #[prop_or_default]
    pub class: Classes,
}

/// A labelled `<select>`. A pick the server then refuses goes back to `value`: the shown choice
/// is set again whenever `value` or the options change, or a pick stops being busy (a browser
/// keeps the choice it showed when the options are replaced under it).
#[function_component(Select)]
pub fn select(props: &SelectProps) -> Html {
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_on(
            (props.value.clone(), props.busy, props.options.clone()),
            Box::new(move |(value, busy, _): &(AttrValue, bool, Options)| {
                if let (false, Some(select)) = (*busy, node.cast::<HtmlSelectElement>()) {
                    select.set_value(value);
                }
            }),
        );
    }
    let onchange = props
        .onchange
        .reform(|e: Event| e.target_unchecked_into::<HtmlSelectElement>().value());
    let label_look = if props.hide_label {
        "sr-only"
    } else {
        "mb-1.5 block text-sm font-medium text-slate-800"
    };
    html! {
        <div class={props.class.clone()}>
            <label for={props.id.clone()} class={label_look}>{ props.label.clone() }</label>
            <select id={props.id.clone()} name={props.id.clone()} ref={node} {onchange}
                aria-busy={props.busy.then_some("true")}
                class="block w-full rounded-lg border-0 bg-white py-2 pl-3 pr-8 text-sm text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 focus:outline-none focus:ring-2 focus:ring-inset focus:ring-brand-600">
                { for props.options.iter().map(|(value, text)| html! {
                    <option key={value.to_string()} value={value.clone()} selected={*value == props.value}>{ text.clone() }</option>
                }) }
            </select>
        </div>
    }
}
