//! The banner over every page of a signed-in user whose address is not verified yet.

use crate::hooks::use_value;
use yew::prelude::*;
use yew_router::prelude::*;

use super::ResendVerification;
use crate::{app::Route, hooks::use_session};

/// Asks to follow the verification link, offers a new one, and can be dismissed (until the next
/// page load, for this user). Not shown on /verify-email, which is about the same thing.
#[function_component(VerifyBanner)]
pub fn verify_banner() -> Html {
    let session = use_session();
    let route = use_route::<Route>();
    let dismissed_for = use_value(None::<i64>);
    let Some(user) = session.user() else {
        return html! {};
    };
    if user.email_verified || *dismissed_for == Some(user.id) || route == Some(Route::VerifyEmail) {
        return html! {};
    }
    let dismiss = {
        let (dismissed_for, id) = (dismissed_for.clone(), user.id);
        Callback::from(move |_| dismissed_for.set(Some(id)))
    };
    html! {
        <section aria-label="Verify your email" data-testid="verify-banner"
            class="mb-6 flex items-start gap-3 rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950">
            <div class="min-w-0 flex-1 space-y-2">
                <p>
                    { "Please verify your email address: follow the link we sent to " }
                    <strong class="break-all font-semibold">{ &user.email }</strong>
                    { "." }
                </p>
                <ResendVerification />
            </div>
            <button type="button" aria-label="Dismiss" onclick={dismiss}
                class="rounded-md p-1 text-amber-900 hover:bg-amber-100">
                <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" class="size-5">
                    <path d="M6.3 5.3a1 1 0 0 0-1.4 1.4L8.6 10l-3.7 3.3a1 1 0 1 0 1.4 1.4L10 11.4l3.3 3.3a1 1 0 0 0 1.4-1.4L11.4 10l3.3-3.3a1 1 0 0 0-1.4-1.4L10 8.6 6.3 5.3Z"/>
                </svg>
            </button>
        </section>
    }
}
