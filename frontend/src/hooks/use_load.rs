//! `use_load`: runs an API call when the component mounts and whenever `deps` change, and keeps
//! the last good data on screen while a reload is in flight (no flicker).

use std::{future::Future, rc::Rc};

use futures::{FutureExt, future::LocalBoxFuture};
use yew::{platform::spawn_local, prelude::*};

use super::use_effect_on;

use super::use_value;
use crate::api::ApiError;

#[derive(Debug, PartialEq)]
pub enum Load<T> {
    Loading,
    Ready(T),
    Failed(ApiError),
}

/// Runs one load to its end into `state`: generic over the data only, not over each call's
/// future, so it is compiled once per data type.
#[inline(never)]
fn spawn_load<T: 'static>(
    load: LocalBoxFuture<'static, Result<T, ApiError>>,
    state: UseStateHandle<Rc<Load<T>>>,
) {
    spawn_local(async move {
        let next = match load.await {
            Ok(data) => Load::Ready(data),
            Err(e) => Load::Failed(e),
        };
        state.set(Rc::new(next));
    });
}

/// Returns the state and a callback that loads again.
#[hook]
pub fn use_load<T, D, F, Fut>(deps: D, load: F) -> (Rc<Load<T>>, Callback<()>)
where
    T: 'static,
    D: PartialEq + Clone + 'static,
    F: FnOnce(D) -> Fut + 'static,
    Fut: Future<Output = Result<T, ApiError>> + 'static,
{
    // Boxed, so the hook below is compiled once per data and dependency type, not per call site.
    use_load_boxed(deps, Box::new(move |deps| load(deps).boxed_local()))
}

type Loader<T, D> = Box<dyn FnOnce(D) -> LocalBoxFuture<'static, Result<T, ApiError>>>;

#[hook]
fn use_load_boxed<T, D>(deps: D, load: Loader<T, D>) -> (Rc<Load<T>>, Callback<()>)
where
    T: 'static,
    D: PartialEq + Clone + 'static,
{
    let state = use_state(|| Rc::new(Load::Loading));
    let generation = use_value(0u32);
    {
        let state = state.clone();
        use_effect_on(
            (deps, *generation),
            Box::new(move |(deps, _): &(D, u32)| {
                spawn_load(load(deps.clone()), state);
            }),
        );
    }
    let reload = {
        let generation = generation.clone();
        Callback::from(move |_| generation.set(generation.wrapping_add(1)))
    };
    ((*state).clone(), reload)
}
