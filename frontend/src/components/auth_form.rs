//! The sign-up and sign-in form. On success the session store changes and the page around the
//! form moves on; the form itself needs no router, so it renders alone in the browser tests.

use yew::{platform::spawn_local, prelude::*};

use super::{Alert, AlertKind, Button, Field, FieldKind, use_focus_first_invalid};
use crate::{api, forms, forms::FormErrors};

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
    let email = use_state(String::new);
    let password = use_state(String::new);
    let errors = use_state(FormErrors::default);
    let busy = use_state(|| false);
    let form = use_node_ref();
    use_focus_first_invalid(form.clone(), (*errors).clone());

    let mode = props.mode;
    let onsubmit = {
        let (email, password, errors, busy) = (
            email.clone(),
            password.clone(),
            errors.clone(),
            busy.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let checked = match mode {
                AuthMode::SignUp => forms::sign_up(&email, &password),
                AuthMode::SignIn => forms::sign_in(&email, &password),
            };
            let credentials = match checked {
                Ok(credentials) => credentials,
                Err(refused) => return errors.set(refused),
            };
            errors.set(FormErrors::default());
            busy.set(true);
            let (errors, busy) = (errors.clone(), busy.clone());
            spawn_local(async move {
                let result = match mode {
                    AuthMode::SignUp => api::sign_up(&credentials).await,
                    AuthMode::SignIn => api::sign_in(&credentials).await,
                };
                if let Err(mut e) = result {
                    // "An account with this email already exists" belongs next to the email.
                    if e.code == "email_taken" {
                        e.field = Some("email".to_owned());
                    }
                    errors.set(FormErrors::from_api(&e, FIELDS));
                }
                busy.set(false);
            });
        })
    };

    let (submit, password_autocomplete, password_hint) = match mode {
        AuthMode::SignUp => ("Sign up", "new-password", Some("At least 8 characters.")),
        AuthMode::SignIn => ("Sign in", "current-password", None),
    };
    html! {
        <form ref={form} {onsubmit} novalidate=true class="space-y-5">
            <Field id="email" label="Email" kind={FieldKind::Email} autocomplete="email"
                value={(*email).clone()} oninput={Callback::from({ let email = email.clone(); move |v| email.set(v) })}
                error={errors.field("email")} required=true />
            <Field id="password" label="Password" kind={FieldKind::Password}
                autocomplete={password_autocomplete} hint={password_hint.map(AttrValue::from)}
                value={(*password).clone()} oninput={Callback::from({ let password = password.clone(); move |v| password.set(v) })}
                error={errors.field("password")} required=true />
            if let Some(message) = errors.general() {
                <Alert kind={AlertKind::Error}>{ message }</Alert>
            }
            <Button submit=true busy={*busy} class="w-full">{ submit }</Button>
        </form>
    }
}
