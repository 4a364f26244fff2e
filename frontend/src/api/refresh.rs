//! Getting a new access token from the refresh cookie, at most once at a time.
//!
//! Refresh tokens rotate, and presenting one that was already rotated revokes the whole session
//! (reuse detection). So concurrent refreshes must never race: inside a tab, callers share one
//! in-flight request; across tabs, the Web Locks API serialises them (the second tab then sends
//! the cookie the first one just received).

use std::{cell::RefCell, future::Future, rc::Rc};

use futures::{
    FutureExt,
    future::{LocalBoxFuture, Shared},
};
use js_sys::{Function, Promise, Reflect};
use shared::dto::TokenResponse;
use wasm_bindgen::{JsCast, JsValue, closure::Closure};
use wasm_bindgen_futures::{JsFuture, future_to_promise};

use super::{ApiError, client};
use crate::store;

type Refreshing = Shared<LocalBoxFuture<'static, Result<TokenResponse, ApiError>>>;

thread_local! {
    static IN_FLIGHT: RefCell<Option<Refreshing>> = const { RefCell::new(None) };
}

/// Refreshes the session and updates the store: signed in with the new token, or signed out when
/// the cookie is missing, expired or revoked.
pub async fn refresh() -> Result<TokenResponse, ApiError> {
    let shared = IN_FLIGHT.with(|slot| {
        slot.borrow_mut()
            .get_or_insert_with(|| {
                async {
                    let result = with_tab_lock(call_refresh()).await;
                    IN_FLIGHT.with(|slot| slot.borrow_mut().take());
                    result
                }
                .boxed_local()
                .shared()
            })
            .clone()
    });
    shared.await
}

/// A token to retry with after `rejected` got a 401: the one another call already obtained, or a
/// fresh one.
pub async fn renew(rejected: &str) -> Result<String, ApiError> {
    if let Some(token) = store::current().access_token().filter(|t| *t != rejected) {
        return Ok(token.to_owned());
    }
    Ok(refresh().await?.access_token)
}

async fn call_refresh() -> Result<TokenResponse, ApiError> {
    let result: Result<TokenResponse, ApiError> =
        client::post_empty("/api/auth/refresh", client::Auth::Public).await;
    match &result {
        Ok(token) => store::signed_in(token.clone()),
        // The server said no (no cookie, expired, revoked, disabled): the session is over.
        Err(e) if e.status == 401 || e.status == 403 => store::signed_out(),
        // Unreachable server: keep a signed-in session as it is, but do not stay "restoring".
        Err(_) => {
            if matches!(*store::current(), store::Session::Restoring) {
                store::signed_out();
            }
        }
    }
    result
}

/// Runs `work` while holding the cross-tab lock "saas-auth-refresh", or directly where Web Locks
/// are unavailable (non-secure contexts, old browsers).
async fn with_tab_lock<F>(work: F) -> Result<TokenResponse, ApiError>
where
    F: Future<Output = Result<TokenResponse, ApiError>> + 'static,
{
    let work = Rc::new(RefCell::new(Some(work.boxed_local())));
    let output: Rc<RefCell<Option<Result<TokenResponse, ApiError>>>> = Rc::new(RefCell::new(None));
    if let Some((locks, request)) = lock_manager() {
        let callback = {
            let (work, output) = (work.clone(), output.clone());
            Closure::once(move |_lock: JsValue| -> Promise {
                future_to_promise(async move {
                    let pending = work.borrow_mut().take();
                    if let Some(pending) = pending {
                        *output.borrow_mut() = Some(pending.await);
                    }
                    Ok(JsValue::UNDEFINED)
                })
            })
        };
        let name = JsValue::from_str("saas-auth-refresh");
        if let Ok(promise) = request.call2(&locks, &name, callback.as_ref().unchecked_ref()) {
            let _ = JsFuture::from(Promise::from(promise)).await;
        }
        drop(callback);
    }
    if let Some(out) = output.borrow_mut().take() {
        return out;
    }
    // No lock manager, or the request failed before running the work: run it unlocked.
    let pending = work.borrow_mut().take();
    match pending {
        Some(pending) => pending.await,
        // The lock ran the work but its promise failed before storing the result.
        None => Err(ApiError::network()),
    }
}

fn lock_manager() -> Option<(JsValue, Function)> {
    let navigator = web_sys::window()?.navigator();
    let locks = Reflect::get(&navigator, &JsValue::from_str("locks")).ok()?;
    if locks.is_undefined() || locks.is_null() {
        return None;
    }
    let request = Reflect::get(&locks, &JsValue::from_str("request")).ok()?;
    Some((locks, request.dyn_into::<Function>().ok()?))
}
