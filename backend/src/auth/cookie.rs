//! The refresh-token cookie: HttpOnly (no script reads it), SameSite=Strict (no cross-site
//! request sends it), scoped to /api/auth, Secure outside dev mode. [`AppCookie`] is the shape
//! of every cookie the app sets (the identity providers' flow cookie is the other).

use std::time::Duration;

use actix_web::{
    HttpRequest,
    cookie::{Cookie, SameSite, time},
};

use crate::config::Config;

const REFRESH: AppCookie = AppCookie {
    name: "refresh_token",
    path: "/api/auth",
    same_site: SameSite::Strict,
};

/// A cookie of the app: HttpOnly, Secure outside dev mode, sent to `path` only.
pub struct AppCookie {
    pub name: &'static str,
    pub path: &'static str,
    pub same_site: SameSite,
}

impl AppCookie {
    /// Its value in `req`, unless missing or empty.
    pub fn read(&self, req: &HttpRequest) -> Option<String> {
        req.cookie(self.name)
            .map(|c| c.value().to_owned())
            .filter(|v| !v.is_empty())
    }

    /// Sets it to `value` for `max_age`.
    pub fn issue(&self, config: &Config, value: String, max_age: Duration) -> Cookie<'static> {
        let max_age = time::Duration::seconds(max_age.as_secs().try_into().unwrap_or(i64::MAX));
        self.build(config, value).max_age(max_age).finish()
    }

    /// Removes it from the browser.
    pub fn clear(&self, config: &Config) -> Cookie<'static> {
        let mut cookie = self.build(config, String::new()).finish();
        cookie.make_removal();
        cookie
    }

    fn build(&self, config: &Config, value: String) -> actix_web::cookie::CookieBuilder<'static> {
        Cookie::build(self.name, value)
            .path(self.path)
            .http_only(true)
            .same_site(self.same_site)
            .secure(!config.is_dev())
    }
}

pub fn read(req: &HttpRequest) -> Option<String> {
    REFRESH.read(req)
}

pub fn issue(config: &Config, token: String) -> Cookie<'static> {
    REFRESH.issue(config, token, config.refresh_token_ttl)
}

pub fn clear(config: &Config) -> Cookie<'static> {
    REFRESH.clear(config)
}
