//! `use_load`: runs an API call when the component mounts and whenever `deps` change, and keeps
//! the last good data on screen while a reload is in flight (no flicker).

use std::{future::Future, rc::Rc};

use yew::{platform::spawn_local, prelude::*};

use crate::api::ApiError;

#[derive(Debug, PartialEq)]
pub enum Load<T> {
    Loading,
    Ready(T),
    Failed(ApiError),
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
    let state = use_state(|| Rc::new(Load::Loading));
    let generation = use_state(|| 0u32);
    {
        let state = state.clone();
        use_effect_with((deps, *generation), move |(deps, _)| {
            let fut = load(deps.clone());
            spawn_local(async move {
                let next = match fut.await {
                    Ok(data) => Load::Ready(data),
                    Err(e) => Load::Failed(e),
                };
                state.set(Rc::new(next));
            });
        });
    }
    let reload = {
        let generation = generation.clone();
        Callback::from(move |_| generation.set(generation.wrapping_add(1)))
    };
    ((*state).clone(), reload)
}
