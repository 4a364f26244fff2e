//! The cookie that ties a flow to the browser that began it: the provider sends `state` back in
//! the callback's URL, and the callback is honoured only when this cookie holds the same value.
//! A callback URL made in another browser (login CSRF: an attacker's own sign-in, planted in a
//! victim's browser) has no cookie to match. SameSite=Lax, so the provider's redirect (a
//! top-level cross-site navigation) carries it; scoped to the provider routes.

use actix_web::{HttpRequest, cookie::Cookie, cookie::SameSite};

use crate::{auth::cookie::AppCookie, config::Config, models::oauth_flow::FLOW_LIFETIME};

const STATE: AppCookie = AppCookie {
    name: "oauth_state",
    path: "/api/auth/oauth",
    same_site: SameSite::Lax,
};

pub fn read(req: &HttpRequest) -> Option<String> {
    STATE.read(req)
}

pub fn issue(config: &Config, state: String) -> Cookie<'static> {
    STATE.issue(config, state, FLOW_LIFETIME)
}

pub fn clear(config: &Config) -> Cookie<'static> {
    STATE.clear(config)
}
