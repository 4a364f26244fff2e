//! /reset-password?token=: the emailed link sets a new password; every session of the account
//! ends, so the user signs in again with it.

use crate::components::ui;
use crate::hooks::use_value;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::{
    api,
    api::ApiError,
    app::Route,
    components::ui::{AlertKind, FieldKind},
    forms,
    forms::{FormErrors, capitalise},
    hooks::{use_focus_first_invalid, use_input, use_link_token, use_submit, use_title},
};

#[function_component(ResetPassword)]
pub fn reset_password() -> Html {
    use_title("Set a new password");
    let token = use_link_token();
    let done = use_value(false);
    let body = match (&token, *done) {
        (_, true) => html! {
            <>
                { ui::alert(yew::props!(ui::AlertProps { kind: AlertKind::Success, testid: "password-set", children: html! { { "Your new password is set, and every device that was signed in is signed out. Sign in with it." } } })) }
                { ui::button_link(yew::props!(ui::ButtonLinkProps { to: Route::Login, children: html! { { "Sign in" } } })) }
            </>
        },
        (Some(token), false) => {
            let done = done.clone();
            let on_done = Callback::from(move |()| done.set(true));
            html! { <ResetForm token={token.clone()} {on_done} /> }
        }
        (None, false) => html! {
            { ui::alert(yew::props!(ui::AlertProps { kind: AlertKind::Error, children: html! { { capitalise(&ApiError::missing_token().message) } } })) }
        },
    };
    html! {
        { ui::narrow_page(yew::props!(ui::NarrowPageProps { title: "Set a new password", children: html! { <>{ body }
            if !*done {
                <p class="text-center text-sm">
                    { "Link expired? " }
                    <Link<Route> to={Route::ForgotPassword} classes="font-semibold text-brand-700 hover:underline">
                        { "Ask for a new one" }
                    </Link<Route>>
                </p>
            }</> } })) }
    }
}

#[derive(Properties, PartialEq)]
struct ResetFormProps {
    token: AttrValue,
    on_done: Callback<()>,
}

const FIELDS: &[&str] = &["new_password", "confirm_password"];

#[function_component(ResetForm)]
fn reset_form(props: &ResetFormProps) -> Html {
    let new = use_input();
    let confirm = use_input();
    let submit = use_submit(props.on_done.clone(), |on_done, request| async move {
        api::confirm_password_reset(&request)
            .await
            .map_err(|e| FormErrors::from_api(&e, FIELDS))?;
        on_done.emit(());
        Ok(())
    });
    let errors: FormErrors = submit.error().cloned().unwrap_or_default();
    let form = use_focus_first_invalid(errors.clone());
    let onsubmit = {
        let (token, new, confirm) = (props.token.clone(), new.clone(), confirm.clone());
        submit.onsubmit(move || forms::reset_password(&token, &new, &confirm))
    };
    html! {
        <form ref={form} {onsubmit} novalidate=true class="space-y-5">
            { ui::field(yew::props!(ui::FieldProps { id: "new_password", label: "New password", kind: FieldKind::Password, autocomplete: "new-password", value: new.value(), oninput: new.oninput(), hint: "At least 8 characters.", error: errors.field("new_password"), required: true })) }
            { ui::field(yew::props!(ui::FieldProps { id: "confirm_password", label: "Confirm new password", kind: FieldKind::Password, autocomplete: "new-password", value: confirm.value(), oninput: confirm.oninput(), error: errors.field("confirm_password"), required: true })) }
            if let Some(message) = errors.general() {
                { ui::alert(yew::props!(ui::AlertProps { kind: AlertKind::Error, children: html! { { message } } })) }
            }
            { ui::button(yew::props!(ui::ButtonProps { submit: true, busy: submit.busy(), class: "w-full", children: html! { { "Set new password" } } })) }
        </form>
    }
}
