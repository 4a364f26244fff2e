//! The sign-up and sign-in form. On success the session store changes and the page around the
//! form moves on; the form itself needs no router, so it renders alone in the browser tests.

use crate::components::ui;
use shared::dto::ErrorCode;
use yew::prelude::*;

use super::ui::{AlertKind, FieldKind};
use crate::{
    api, forms,
    forms::FormErrors,
    hooks::{use_focus_first_invalid, use_input, use_submit},
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMode {
    SignUp,
    SignIn,
}

#[derive(Properties, PartialEq)]
pub struct AuthFormProps {
    pub mode: AuthMode,
}

const FIELDS: &[&str] = &["email", "password"];

#[function_component(AuthForm)]
pub fn auth_form(props: &AuthFormProps) -> Html {
    let email = use_input();
    let password = use_input();
    let mode = props.mode;
    let submit = use_submit(mode, |mode, credentials| async move {
        let result = match mode {
            AuthMode::SignUp => api::sign_up(&credentials).await,
            AuthMode::SignIn => api::sign_in(&credentials).await,
        };
        result.map(|_| ()).map_err(|mut e| {
            // "An account with this email already exists" belongs next to the email.
            if e.code == ErrorCode::EmailTaken {
                e.field = Some("email".to_owned());
            }
            FormErrors::from_api(&e, FIELDS)
        })
    });
    let errors: FormErrors = submit.error().cloned().unwrap_or_default();
    let form = use_focus_first_invalid(errors.clone());
    let onsubmit = {
        let (email, password) = (email.clone(), password.clone());
        submit.onsubmit(move || match mode {
            AuthMode::SignUp => forms::sign_up(&email, &password),
            AuthMode::SignIn => forms::sign_in(&email, &password),
        })
    };

    let (label, password_autocomplete, password_hint) = match mode {
        AuthMode::SignUp => ("Sign up", "new-password", Some("At least 8 characters.")),
        AuthMode::SignIn => ("Sign in", "current-password", None),
    };
    html! {
        <form ref={form} {onsubmit} novalidate=true class="space-y-5">
            { ui::field(yew::props!(ui::FieldProps { id: "email", label: "Email", kind: FieldKind::Email, autocomplete: "email", value: email.value(), oninput: email.oninput(), error: errors.field("email"), required: true })) }
            { ui::field(yew::props!(ui::FieldProps { id: "password", label: "Password", kind: FieldKind::Password, autocomplete: password_autocomplete, hint: password_hint.map(AttrValue::from), value: password.value(), oninput: password.oninput(), error: errors.field("password"), required: true })) }
            if let Some(message) = errors.general() {
                { ui::alert(yew::props!(ui::AlertProps { kind: AlertKind::Error, children: html! { { message } } })) }
            }
            { ui::button(yew::props!(ui::ButtonProps { submit: true, busy: submit.busy(), class: "w-full", children: html! { { label } } })) }
        </form>
    }
}
