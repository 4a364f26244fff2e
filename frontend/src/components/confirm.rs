//! `Confirm`: a button that asks in place before an action that cannot be undone.

use yew::prelude::*;

use crate::{
    components::ui::{self, ButtonKind},
    hooks::{use_effect_on, use_value},
};

#[derive(Properties, PartialEq)]
pub struct ConfirmProps {
    /// The button that asks.
    pub label: AttrValue,
    /// What follows, said beside the answers.
    pub question: AttrValue,
    pub confirm: AttrValue,
    pub dismiss: AttrValue,
    pub busy: bool,
    pub onconfirm: Callback<MouseEvent>,
    /// The look of the button that asks (the answer is always a danger button).
    #[prop_or(ButtonKind::Danger)]
    pub kind: ButtonKind,
    /// The element that says what the buttons act on (a row of a list: its name).
    #[prop_or_default]
    pub describedby: Option<AttrValue>,
}

/// A button that asks in place before anything happens; focus moves to the answer.
#[function_component(Confirm)]
pub fn confirm(props: &ConfirmProps) -> Html {
    let asking = use_value(false);
    let confirm_ref = use_node_ref();
    {
        let confirm_ref = confirm_ref.clone();
        use_effect_on(
            *asking,
            Box::new(move |asking: &bool| {
                if *asking && let Some(button) = confirm_ref.cast::<web_sys::HtmlElement>() {
                    let _ = button.focus();
                }
            }),
        );
    }
    let set = |to: bool| {
        let asking = asking.clone();
        Callback::from(move |_| asking.set(to))
    };
    let describedby = props.describedby.clone();
    if !*asking {
        return html! {
            { ui::button(yew::props!(ui::ButtonProps { kind: props.kind, onclick: set(true), describedby, children: html! { { props.label.clone() } } })) }
        };
    }
    html! {
        <div class="inline-flex flex-wrap items-center gap-2" role="group" aria-label={format!("{}?", props.label)}>
            <span class="text-sm text-slate-700">{ props.question.clone() }</span>
            { ui::button(yew::props!(ui::ButtonProps { kind: ButtonKind::Danger, node_ref: confirm_ref, busy: props.busy, onclick: props.onconfirm.clone(), describedby, children: html! { { props.confirm.clone() } } })) }
            { ui::button(yew::props!(ui::ButtonProps { kind: ButtonKind::Ghost, onclick: set(false), disabled: props.busy, children: html! { { props.dismiss.clone() } } })) }
        </div>
    }
}
