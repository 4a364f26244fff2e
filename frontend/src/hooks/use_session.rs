//! `use_session`: the signed-in user (or not), for components.

use std::rc::Rc;

use yew::prelude::*;
use yewdux::use_store_value;

use crate::store::Session;

/// The session, re-rendering the component when it changes.
#[hook]
pub fn use_session() -> Rc<Session> {
    use_store_value::<Session>()
}
