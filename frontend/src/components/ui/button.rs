//! `button`: the app's one button, in four looks, with a busy state for requests in flight.

use yew::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ButtonKind {
    #[default]
    Primary,
    Secondary,
    Danger,
    Ghost,
}

impl ButtonKind {
    /// Shape and colours, shared with `button_link` so a link that acts as a button looks like one.
    pub fn classes(self) -> Classes {
        let look = match self {
            ButtonKind::Primary => "bg-brand-600 text-white shadow-sm hover:bg-brand-700",
            ButtonKind::Secondary => {
                "bg-white text-slate-800 shadow-sm ring-1 ring-inset ring-slate-300 hover:bg-slate-50"
            }
            ButtonKind::Danger => "bg-red-600 text-white shadow-sm hover:bg-red-700",
            ButtonKind::Ghost => "text-slate-700 hover:bg-slate-100",
        };
        classes!(
            "inline-flex",
            "items-center",
            "justify-center",
            "gap-2",
            "rounded-lg",
            "px-3.5",
            "py-2",
            "text-sm",
            "font-semibold",
            "transition",
            look
        )
    }
}

#[derive(Properties, PartialEq)]
pub struct ButtonProps {
    pub children: Html,
    #[prop_or_default]
    pub kind: ButtonKind,
    /// A form's submit button (otherwise type="button", so it never submits by accident).
    #[prop_or_default]
    pub submit: bool,
    /// A request is in flight: disabled, with a spinner; the label (its accessible name) stays.
    #[prop_or_default]
    pub busy: bool,
    #[prop_or_default]
    pub disabled: bool,
    #[prop_or_default]
    pub onclick: Option<Callback<MouseEvent>>,
    #[prop_or_default]
    pub class: Classes,
    #[prop_or_default]
    pub describedby: Option<AttrValue>,
    #[prop_or_default]
    pub node_ref: NodeRef,
    #[prop_or_default]
    pub testid: Option<AttrValue>,
}

pub fn button(props: ButtonProps) -> Html {
    let kind = if props.submit { "submit" } else { "button" };
    html! {
        <button type={kind} ref={props.node_ref.clone()}
            class={classes!(props.kind.classes(), "disabled:opacity-60", "disabled:cursor-not-allowed", props.class.clone())}
            disabled={props.disabled || props.busy}
            aria-busy={props.busy.then_some("true")}
            aria-describedby={props.describedby.clone()}
            data-testid={props.testid.clone()}
            onclick={props.onclick.clone()}>
            if props.busy {
                <span aria-hidden="true"
                    class="size-4 animate-spin rounded-full border-2 border-current border-r-transparent" />
            }
            { props.children.clone() }
        </button>
    }
}
