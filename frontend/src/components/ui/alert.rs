//! `alert`: a message about an action (error, success, information).

use yew::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertKind {
    Error,
    Success,
    Info,
}

#[derive(Properties, PartialEq)]
pub struct AlertProps {
    pub kind: AlertKind,
    pub children: Html,
    #[prop_or_default]
    pub testid: Option<AttrValue>,
}

/// A message about an action. Errors use role="alert" so screen readers announce them at once;
/// confirmations are polite.
pub fn alert(props: AlertProps) -> Html {
    let (role, look) = match props.kind {
        AlertKind::Error => ("alert", "border-red-200 bg-red-50 text-red-800"),
        AlertKind::Success => (
            "status",
            "border-emerald-200 bg-emerald-50 text-emerald-800",
        ),
        AlertKind::Info => ("status", "border-sky-200 bg-sky-50 text-sky-900"),
    };
    html! {
        <div {role} data-testid={props.testid.clone()}
            class={classes!("rounded-lg", "border", "px-3", "py-2", "text-sm", look)}>
            { props.children.clone() }
        </div>
    }
}
