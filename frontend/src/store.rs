//! The session store (yewdux): who is signed in, with which access token.
//!
//! The access token lives in memory only. What survives a reload is the HttpOnly refresh cookie
//! (unreadable from script) plus a non-secret hint in localStorage that a session may exist, so a
//! visitor who never signed in does not fire a refresh call on every page load.

use std::rc::Rc;

use shared::dto::{ActiveOrganization, Permission, Role, TokenResponse, User};
use yewdux::{Dispatch, Store};

/// localStorage key of the "a refresh cookie may exist" hint. Holds "1", never a secret.
pub const SESSION_HINT_KEY: &str = "saas.session";

#[derive(Debug, Clone, PartialEq, Default)]
pub enum Session {
    /// Page just loaded; the refresh cookie is being tried.
    #[default]
    Restoring,
    SignedOut,
    SignedIn(Rc<SignedIn>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct SignedIn {
    pub access_token: String,
    pub user: User,
}

impl Store for Session {
    fn new(_: &yewdux::Context) -> Self {
        Self::default()
    }

    fn should_notify(&self, old: &Self) -> bool {
        self != old
    }
}

impl Session {
    pub fn user(&self) -> Option<&User> {
        match self {
            Session::SignedIn(s) => Some(&s.user),
            _ => None,
        }
    }

    pub fn access_token(&self) -> Option<&str> {
        match self {
            Session::SignedIn(s) => Some(&s.access_token),
            _ => None,
        }
    }

    pub fn is_admin(&self) -> bool {
        self.user().is_some_and(|u| u.role == Role::Admin)
    }

    /// The organisation the session acts in (its credits and keys are the ones shown).
    pub fn organization(&self) -> Option<&ActiveOrganization> {
        self.user().map(|u| &u.organization)
    }

    /// Whether the user's role in that organisation allows `permission` (`OrgRole::can`, the
    /// API's own table): what it does not allow is not shown.
    pub fn can(&self, permission: Permission) -> bool {
        self.organization()
            .and_then(|o| o.role)
            .is_some_and(|role| role.can(permission))
    }
}

/// The app's one yewdux context: the global one in the browser (hooks use it too, there is no
/// `YewduxRoot`); a thread-local stand-in on native targets, where the crate is only linted.
fn dispatch() -> Dispatch<Session> {
    #[cfg(target_arch = "wasm32")]
    let context = yewdux::Context::global();
    #[cfg(not(target_arch = "wasm32"))]
    let context = {
        thread_local! {
            static CONTEXT: yewdux::Context = yewdux::Context::new();
        }
        CONTEXT.with(Clone::clone)
    };
    Dispatch::new(&context)
}

/// The current session, outside components (the API client reads the token from here).
pub fn current() -> Rc<Session> {
    dispatch().get()
}

/// A sign up, sign in or refresh succeeded.
pub fn signed_in(token: TokenResponse) {
    set_hint(true);
    dispatch().set(Session::SignedIn(Rc::new(SignedIn {
        access_token: token.access_token,
        user: token.user,
    })));
}

/// Signed out, or the session could not be restored: forget the token and the hint.
pub fn signed_out() {
    set_hint(false);
    dispatch().set(Session::SignedOut);
}

/// A call reported a new balance (purchase, paid route, GET /api/credits).
pub fn set_credits(credits: i64) {
    update_user(|user| user.credits = credits);
}

/// An organisation was renamed: the name shown for it, if the session acts in it.
pub fn renamed_organization(id: i64, name: &str) {
    update_user(|user| {
        if user.organization.id == id {
            user.organization.name = name.to_owned();
        }
    });
}

/// Replaces the signed-in user's profile (GET /api/me), keeping the token.
pub fn set_user(user: User) {
    update_user(move |u| *u = user);
}

fn update_user(f: impl FnOnce(&mut User)) {
    let current = dispatch().get();
    if let Session::SignedIn(s) = current.as_ref() {
        let mut next = SignedIn::clone(s);
        f(&mut next.user);
        dispatch().set(Session::SignedIn(Rc::new(next)));
    }
}

/// A sign-in is under way at an identity provider, which comes back with a refresh cookie: the
/// page it lands on tries it (if it did not come, that refresh clears the hint again).
pub fn expect_session() {
    set_hint(true);
}

/// Whether a previous visit signed in and did not sign out (so a refresh is worth trying).
pub fn has_hint() -> bool {
    storage()
        .and_then(|s| s.get_item(SESSION_HINT_KEY).ok().flatten())
        .is_some()
}

fn set_hint(on: bool) {
    if let Some(storage) = storage() {
        // Storage can be full or blocked (private mode): the hint is an optimisation only.
        let _ = if on {
            storage.set_item(SESSION_HINT_KEY, "1")
        } else {
            storage.remove_item(SESSION_HINT_KEY)
        };
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}
