//! `use_submit`: runs an async action (a form's request, a button's call) at most once at a time,
//! and keeps whether it is running and how it last failed, for the button and the message.
//! Forms check their input first (`onsubmit`); a refusal shows the same way as the API's.

use std::{future::Future, rc::Rc};

use futures::{FutureExt, future::LocalBoxFuture};
use yew::{platform::spawn_local, prelude::*};

use super::use_value;

/// What the action's caller sees.
struct Status<E> {
    busy: bool,
    error: Option<E>,
}

type Action<I, E> = Rc<dyn Fn(I) -> LocalBoxFuture<'static, Result<(), E>>>;

/// The handle `use_submit` returns.
pub struct UseSubmitHandle<I, E> {
    status: UseStateHandle<Status<E>>,
    action: Action<I, E>,
}

impl<I, E> Clone for UseSubmitHandle<I, E> {
    fn clone(&self) -> Self {
        Self {
            status: self.status.clone(),
            action: self.action.clone(),
        }
    }
}

impl<I: 'static, E: 'static> UseSubmitHandle<I, E> {
    /// Starts the action with `input`, unless it is already running (a double click). The
    /// previous error is cleared; the action's own error, if any, replaces it when it ends.
    pub fn run(&self, input: I) {
        // The handle reads the live state, so a second call in the same tick sees `busy`.
        if self.status.busy {
            return;
        }
        start(&self.status, (self.action)(input));
    }

    /// A callback (a button's `onclick`) that runs the action with the input `input` makes from
    /// the event, like `Callback::reform`.
    pub fn reform<T: 'static>(&self, input: impl Fn(T) -> I + 'static) -> Callback<T> {
        let submit = self.clone();
        Callback::from(move |event| submit.run(input(event)))
    }

    /// A form's `onsubmit`: `check` reads and validates the input, then the action runs with
    /// what it built, or its refusal is shown and no request leaves the browser.
    pub fn onsubmit(&self, check: impl Fn() -> Result<I, E> + 'static) -> Callback<SubmitEvent> {
        let action = self.action.clone();
        // The input type ends here: what follows is compiled once per error type.
        submit_callback(
            self.status.clone(),
            Rc::new(move || check().map(|input| action(input))),
        )
    }

    /// Whether the action is running: its button shows a spinner and ignores clicks.
    pub fn busy(&self) -> bool {
        self.status.busy
    }

    /// How the last run failed (or why the input was refused), until the next run.
    pub fn error(&self) -> Option<&E> {
        self.status.error.as_ref()
    }
}

type Checked<E> = Rc<dyn Fn() -> Result<LocalBoxFuture<'static, Result<(), E>>, E>>;

/// The `onsubmit` of `UseSubmitHandle::onsubmit`: `checked` validates the input and makes the
/// run's future, or says why not.
fn submit_callback<E: 'static>(
    status: UseStateHandle<Status<E>>,
    checked: Checked<E>,
) -> Callback<SubmitEvent> {
    Callback::from(move |e: SubmitEvent| {
        e.prevent_default();
        if status.busy {
            return;
        }
        match checked() {
            Ok(future) => start(&status, future),
            Err(refused) => refuse(&status, refused),
        }
    })
}

/// Marks the action running and runs `future` to its end. Generic over the error type only, so
/// it is compiled once per error type rather than once per form.
#[inline(never)]
fn start<E: 'static>(
    status: &UseStateHandle<Status<E>>,
    future: LocalBoxFuture<'static, Result<(), E>>,
) {
    // The previous error is cleared; the action's own error, if any, replaces it when it ends.
    status.set(Status {
        busy: true,
        error: None,
    });
    let status = status.clone();
    spawn_local(async move {
        let error = future.await.err();
        status.set(Status { busy: false, error });
    });
}

/// Shows why the input was refused; nothing was sent.
#[inline(never)]
fn refuse<E: 'static>(status: &UseStateHandle<Status<E>>, refused: E) {
    status.set(Status {
        busy: false,
        error: Some(refused),
    });
}

/// `action` is what a run does: the request and, on success, whatever follows (clear the form,
/// tell the parent). It gets its own copy of `context` (the state handles, callbacks and props it
/// needs) and returns the error to show, typed by the caller: `FormErrors` for a form (messages
/// next to fields), `ApiError` for a single button.
#[hook]
pub fn use_submit<C, I, E, F, Fut>(context: C, action: F) -> UseSubmitHandle<I, E>
where
    C: Clone + 'static,
    I: 'static,
    E: 'static,
    F: Fn(C, I) -> Fut + 'static,
    Fut: Future<Output = Result<(), E>> + 'static,
{
    let status = use_value(Status {
        busy: false,
        error: None,
    });
    // Rebuilt every render, so the action sees the component's current props and state.
    let action: Action<I, E> = Rc::new(move |input| action(context.clone(), input).boxed_local());
    UseSubmitHandle { status, action }
}
