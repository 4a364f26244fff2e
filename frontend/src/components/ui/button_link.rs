//! `button_link`: a link to one of the app's pages that looks like a `button`.

use yew::prelude::*;
use yew_router::prelude::*;

use super::ButtonKind;
use crate::app::Route;

#[derive(Properties, PartialEq)]
pub struct ButtonLinkProps {
    pub to: Route,
    pub children: Html,
    #[prop_or_default]
    pub kind: ButtonKind,
    #[prop_or_default]
    pub class: Classes,
}

/// A link (it navigates, so it is an `<a>`, not a `<button>`) in a button's shape.
pub fn button_link(props: ButtonLinkProps) -> Html {
    html! {
        <Link<Route> to={props.to.clone()} classes={classes!(props.kind.classes(), props.class.clone())}>
            { props.children.clone() }
        </Link<Route>>
    }
}
