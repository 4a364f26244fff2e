//! `SessionKnown`: waits for the session restored at page load before rendering its children.

use yew::prelude::*;

use super::ui::Loading;
use crate::{hooks::use_session, store::Session};

#[derive(Properties, PartialEq)]
pub struct SessionKnownProps {
    pub children: Html,
}

/// Renders its children once the session is known (signed in or out): for a page whose first
/// call changes the account, so the profile it reads afterwards is not overwritten by an older
/// one from the restore still in flight.
#[function_component(SessionKnown)]
pub fn session_known(props: &SessionKnownProps) -> Html {
    let session = use_session();
    if matches!(*session, Session::Restoring) {
        html! { <Loading /> }
    } else {
        props.children.clone()
    }
}
