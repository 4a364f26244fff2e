//! The refresh-token cookie: HttpOnly (no script reads it), SameSite=Strict (no cross-site
//! request sends it), scoped to /api/auth, Secure outside dev mode.

use actix_web::{
    HttpRequest,
    cookie::{Cookie, SameSite, time},
};

use crate::config::Config;

pub const NAME: &str = "refresh_token";
const PATH: &str = "/api/auth";

pub fn read(req: &HttpRequest) -> Option<String> {
    req.cookie(NAME)
        .map(|c| c.value().to_owned())
        .filter(|v| !v.is_empty())
}

pub fn issue(config: &Config, token: String) -> Cookie<'static> {
    let max_age = time::Duration::seconds(
        config
            .refresh_token_ttl
            .as_secs()
            .try_into()
            .unwrap_or(i64::MAX),
    );
    base(config, token).max_age(max_age).finish()
}

pub fn clear(config: &Config) -> Cookie<'static> {
    let mut cookie = base(config, String::new()).finish();
    cookie.make_removal();
    cookie
}

fn base(config: &Config, value: String) -> actix_web::cookie::CookieBuilder<'static> {
    Cookie::build(NAME, value)
        .path(PATH)
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(!config.is_dev())
}
