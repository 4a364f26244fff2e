//! `use_link_token`: the secret of an emailed link (`?token=`), taken out of the address bar.

use serde::Serialize;
use yew::prelude::*;

use super::use_effect_on;
use yew_router::prelude::*;

use crate::app::{Route, query_param};

/// The query of an emailed link: `?token=`.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct LinkQuery {
    pub token: Option<String>,
}

/// The token of the emailed link that opened this page, read once. The page's history entry is
/// then replaced by its path alone, so the token stays out of the browser's history, bookmarks
/// and the Referer of later requests. `None` when the link came without one (or the page was
/// reloaded after that).
#[hook]
pub fn use_link_token() -> Option<AttrValue> {
    let location = use_location();
    let in_address_bar = location.as_ref().is_some_and(|l| !l.query_str().is_empty());
    let token = use_state(|| {
        location
            .and_then(|l| query_param(l.query_str(), "token"))
            .filter(|t| !t.is_empty())
            .map(AttrValue::from)
    });
    let navigator = use_navigator();
    let route = use_route::<Route>();
    use_effect_on(
        in_address_bar,
        Box::new(move |in_address_bar: &bool| {
            if let (true, Some(navigator), Some(route)) = (*in_address_bar, navigator, route) {
                navigator.replace(&route);
            }
        }),
    );
    (*token).clone()
}
