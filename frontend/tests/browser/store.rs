//! The session store: what a sign-in, a balance change and a sign-out do, and that the access
//! token never reaches storage that outlives the page.

use frontend::store::{self, SESSION_HINT_KEY, Session};
use wasm_bindgen_test::wasm_bindgen_test;

use super::support::token;

fn local_storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

/// Every value in localStorage and sessionStorage, to look for secrets.
fn everything_stored() -> Vec<String> {
    let window = web_sys::window().unwrap();
    let mut out = Vec::new();
    for storage in [
        window.local_storage().unwrap().unwrap(),
        window.session_storage().unwrap().unwrap(),
    ] {
        for i in 0..storage.length().unwrap() {
            let key = storage.key(i).unwrap().unwrap();
            out.push(format!(
                "{key}={}",
                storage.get_item(&key).unwrap().unwrap()
            ));
        }
    }
    out
}

#[wasm_bindgen_test]
fn signing_in_keeps_the_user_and_token_in_memory_only() {
    store::signed_in(token("secret-access-token", 42));

    let session = store::current();
    assert_eq!(session.access_token(), Some("secret-access-token"));
    assert_eq!(session.user().unwrap().credits, 42);
    assert!(!session.is_admin());
    assert!(
        store::has_hint(),
        "a reload should try to restore the session"
    );
    let stored = everything_stored();
    assert!(
        stored.iter().all(|s| !s.contains("secret-access-token")),
        "the access token leaked into web storage: {stored:?}"
    );
    assert_eq!(
        local_storage()
            .get_item(SESSION_HINT_KEY)
            .unwrap()
            .as_deref(),
        Some("1")
    );
}

#[wasm_bindgen_test]
fn a_new_balance_updates_the_signed_in_user_and_keeps_the_token() {
    store::signed_in(token("t1", 5));
    store::set_credits(4);
    let session = store::current();
    assert_eq!(session.user().unwrap().credits, 4);
    assert_eq!(session.access_token(), Some("t1"));
}

#[wasm_bindgen_test]
fn signing_out_forgets_everything() {
    store::signed_in(token("t2", 5));
    store::signed_out();
    assert_eq!(*store::current(), Session::SignedOut);
    assert!(store::current().access_token().is_none());
    assert!(
        !store::has_hint(),
        "no refresh should be tried after signing out"
    );
}

#[wasm_bindgen_test]
fn a_balance_change_while_signed_out_is_ignored() {
    store::signed_out();
    store::set_credits(99);
    assert_eq!(*store::current(), Session::SignedOut);
}

#[wasm_bindgen_test]
async fn a_visitor_who_never_signed_in_is_signed_out_without_a_request() {
    store::signed_out();
    super::support::fake_fetch("() => [500, '']");
    frontend::api::restore_session().await;
    assert_eq!(*store::current(), Session::SignedOut);
    assert!(super::support::fetch_calls().is_empty());
}
