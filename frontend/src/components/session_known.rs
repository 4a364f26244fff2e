//! `session_known`: waits for the session restored at page load before rendering its children.

use crate::components::ui;
use yew::prelude::*;

use crate::store::Session;

/// Renders its children once the session is known (signed in or out): for a page whose first
/// call changes the account, so the profile it reads afterwards is not overwritten by an older
/// one from the restore still in flight.
pub fn session_known(session: &Session, children: Html) -> Html {
    if matches!(session, Session::Restoring) {
        html! { { ui::loading(yew::props!(ui::LoadingProps {  })) } }
    } else {
        children
    }
}
