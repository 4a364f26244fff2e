//! /account: who you are, change password, sign out everywhere.

use yew::{platform::spawn_local, prelude::*};
use yew_router::prelude::*;

use crate::{
    api,
    app::Route,
    components::{
        Alert, AlertKind, Button, ButtonKind, Card, Field, FieldKind, use_focus_first_invalid,
    },
    format, forms,
    forms::FormErrors,
    hooks::{use_session, use_title},
};

#[function_component(Account)]
pub fn account() -> Html {
    use_title("Account");
    let session = use_session();
    // The profile as the server has it now (an admin may have changed the role).
    use_effect_with((), |_| {
        spawn_local(async {
            let _ = api::me().await;
        })
    });
    let Some(user) = session.user() else {
        return html! {};
    };
    html! {
        <div class="space-y-6">
            <h1 class="text-2xl font-bold tracking-tight text-slate-900">{ "Account" }</h1>
            <Card id="profile" title="Profile">
                <dl class="grid gap-4 text-sm sm:grid-cols-3">
                    <div><dt class="text-slate-500">{ "Email" }</dt><dd class="mt-0.5 break-all font-medium">{ &user.email }</dd></div>
                    <div><dt class="text-slate-500">{ "Role" }</dt><dd class="mt-0.5 font-medium capitalize">{ user.role.as_str() }</dd></div>
                    <div><dt class="text-slate-500">{ "Member since" }</dt><dd class="mt-0.5 font-medium">{ format::date(&user.created_at) }</dd></div>
                </dl>
            </Card>
            <Card id="password" title="Change password" subtitle="Your other sessions are signed out when you change it.">
                <ChangePasswordForm />
            </Card>
            <Card id="sessions" title="Sign out everywhere"
                subtitle="Ends every session on every device, this one included. API keys keep working.">
                <SignOutEverywhere />
            </Card>
        </div>
    }
}

const FIELDS: &[&str] = &["current_password", "new_password", "confirm_password"];

#[function_component(ChangePasswordForm)]
fn change_password_form() -> Html {
    let current = use_state(String::new);
    let new = use_state(String::new);
    let confirm = use_state(String::new);
    let errors = use_state(FormErrors::default);
    let busy = use_state(|| false);
    let done = use_state(|| false);
    let form = use_node_ref();
    use_focus_first_invalid(form.clone(), (*errors).clone());

    let onsubmit = {
        let (current, new, confirm, errors, busy, done) = (
            current.clone(),
            new.clone(),
            confirm.clone(),
            errors.clone(),
            busy.clone(),
            done.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            done.set(false);
            let request = match forms::change_password(&current, &new, &confirm) {
                Ok(request) => request,
                Err(refused) => return errors.set(refused),
            };
            errors.set(FormErrors::default());
            busy.set(true);
            let (current, new, confirm, errors, busy, done) = (
                current.clone(),
                new.clone(),
                confirm.clone(),
                errors.clone(),
                busy.clone(),
                done.clone(),
            );
            spawn_local(async move {
                match api::change_password(&request).await {
                    Ok(()) => {
                        for field in [&current, &new, &confirm] {
                            field.set(String::new());
                        }
                        done.set(true);
                    }
                    Err(mut e) => {
                        // A wrong current password is answered 401 invalid_credentials.
                        if e.code == "invalid_credentials" {
                            e.field = Some("current_password".to_owned());
                            e.message = "the current password is not right".to_owned();
                        }
                        errors.set(FormErrors::from_api(&e, FIELDS));
                    }
                }
                busy.set(false);
            });
        })
    };
    let bind = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |v| state.set(v))
    };
    html! {
        <form ref={form} {onsubmit} novalidate=true class="max-w-md space-y-4">
            <Field id="current_password" label="Current password" kind={FieldKind::Password}
                autocomplete="current-password" value={(*current).clone()} oninput={bind(&current)}
                error={errors.field("current_password")} />
            <Field id="new_password" label="New password" kind={FieldKind::Password}
                autocomplete="new-password" value={(*new).clone()} oninput={bind(&new)}
                hint="At least 8 characters." error={errors.field("new_password")} />
            <Field id="confirm_password" label="Confirm new password" kind={FieldKind::Password}
                autocomplete="new-password" value={(*confirm).clone()} oninput={bind(&confirm)}
                error={errors.field("confirm_password")} />
            if let Some(message) = errors.general() {
                <Alert kind={AlertKind::Error}>{ message }</Alert>
            }
            if *done {
                <Alert kind={AlertKind::Success}>{ "Password changed. Your other sessions were signed out." }</Alert>
            }
            <Button submit=true busy={*busy}>{ "Change password" }</Button>
        </form>
    }
}

#[function_component(SignOutEverywhere)]
fn sign_out_everywhere() -> Html {
    let navigator = use_navigator();
    let busy = use_state(|| false);
    let error = use_state(|| None::<String>);
    let onclick = {
        let (busy, error) = (busy.clone(), error.clone());
        Callback::from(move |_| {
            busy.set(true);
            let (busy, error, navigator) = (busy.clone(), error.clone(), navigator.clone());
            spawn_local(async move {
                let leave = || {
                    if let Some(navigator) = navigator {
                        navigator.push(&Route::Login);
                    }
                };
                match api::sign_out_everywhere(leave).await {
                    Ok(()) => {}
                    Err(e) => {
                        error.set(Some(e.message));
                        busy.set(false);
                    }
                }
            });
        })
    };
    html! {
        <div class="space-y-3">
            if let Some(message) = error.as_ref() {
                <Alert kind={AlertKind::Error}>{ message }</Alert>
            }
            <Button kind={ButtonKind::Danger} busy={*busy} {onclick}>{ "Sign out everywhere" }</Button>
        </div>
    }
}
