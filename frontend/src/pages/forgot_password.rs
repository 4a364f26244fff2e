//! /forgot-password: asks for a link to set a new password (the sign-in page links here).

use crate::components::ui;
use crate::hooks::use_value;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::{
    api,
    app::Route,
    components::ui::{AlertKind, FieldKind},
    forms,
    forms::FormErrors,
    hooks::{use_focus_first_invalid, use_input, use_submit, use_title},
};

#[function_component(ForgotPassword)]
pub fn forgot_password() -> Html {
    use_title("Forgot your password?");
    let email = use_input();
    // The server's answer, the same whether or not an account has the address.
    let sent = use_value(None::<String>);
    let submit = use_submit(sent.clone(), |sent, request| async move {
        let accepted = api::request_password_reset(&request)
            .await
            .map_err(|e| FormErrors::from_api(&e, &["email"]))?;
        sent.set(Some(accepted.message));
        Ok(())
    });
    let errors: FormErrors = submit.error().cloned().unwrap_or_default();
    let form = use_focus_first_invalid(errors.clone());
    let onsubmit = {
        let email = email.clone();
        submit.onsubmit(move || forms::password_reset(&email))
    };
    html! {
        { ui::narrow_page(yew::props!(ui::NarrowPageProps { title: "Forgot your password?", lead: "Give the address you sign in with: we will email you a link to set a new password.", children: html! { <>if let Some(message) = sent.as_ref() {
                { ui::alert(yew::props!(ui::AlertProps { kind: AlertKind::Success, testid: "reset-link-sent", children: html! { { message.clone() } } })) }
                <p class="text-sm text-slate-600">{ "The link works for 30 minutes. No email? Check your spam folder, or try again in a minute." }</p>
            } else {
                <form ref={form} {onsubmit} novalidate=true class="space-y-5">
                    { ui::field(yew::props!(ui::FieldProps { id: "email", label: "Email", kind: FieldKind::Email, autocomplete: "email", value: email.value(), oninput: email.oninput(), error: errors.field("email"), required: true })) }
                    if let Some(message) = errors.general() {
                        { ui::alert(yew::props!(ui::AlertProps { kind: AlertKind::Error, children: html! { { message } } })) }
                    }
                    { ui::button(yew::props!(ui::ButtonProps { submit: true, busy: submit.busy(), class: "w-full", children: html! { { "Send reset link" } } })) }
                </form>
            }
            <p class="text-center text-sm">
                <Link<Route> to={Route::Login} classes="font-semibold text-brand-700 hover:underline">
                    { "Back to sign in" }
                </Link<Route>>
            </p></> } })) }
    }
}
