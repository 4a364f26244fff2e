//! /account: who you are, how you sign in (password, identity providers), change email, change or
//! set the password, sign out everywhere.

use crate::components::ui;
use crate::hooks::use_effect_on;
use crate::hooks::use_value;
use shared::dto::LogoutAllRequest;
use yew::{platform::spawn_local, prelude::*};
use yew_router::prelude::*;

use crate::{
    api, app,
    components::{
        change_email_form::ChangeEmailForm,
        sign_in_methods::use_sign_in_methods,
        ui::{AlertKind, ButtonKind, FieldKind},
    },
    format, forms,
    forms::FormErrors,
    hooks::{use_focus_first_invalid, use_input, use_load, use_session, use_submit, use_title},
};

#[function_component(Account)]
pub fn account() -> Html {
    use_title("Account");
    let session = use_session();
    let (providers, reload_providers) = use_load((), |()| api::identities());
    let has_password = session.user().is_none_or(|user| user.has_password);
    // The forms' state lives here (hooks rather than components of their own: less wasm).
    let change_password_form = use_change_password_form(has_password);
    let sign_in_methods = use_sign_in_methods(providers, has_password, reload_providers);
    let sign_out_everywhere = use_sign_out_everywhere();
    // The profile as the server has it now (an admin may have changed the role).
    use_effect_on(
        (),
        Box::new(|_: &()| {
            spawn_local(async {
                let _ = api::me().await;
            })
        }),
    );
    let Some(user) = session.user() else {
        return html! {};
    };
    let (password_title, password_subtitle) = if has_password {
        (
            "Change password",
            "Your other sessions are signed out when you change it.",
        )
    } else {
        (
            "Set a password",
            "To sign in with your email too (within ten minutes of signing in).",
        )
    };
    html! {
        <div class="space-y-6">
            { ui::page_header(yew::props!(ui::PageHeaderProps { title: "Account" })) }
            { ui::card(yew::props!(ui::CardProps { id: "profile", title: "Profile", children: html! { <><dl class="grid gap-4 text-sm sm:grid-cols-3">
                    <div>
                        <dt class="text-slate-500">{ "Email" }</dt>
                        <dd class="mt-0.5 break-all font-medium">
                            { &user.email }{ " " }
                            <span data-testid="email-status" class={classes!("whitespace-nowrap", "rounded-full", "px-2", "py-0.5", "text-xs", "font-medium", if user.email_verified { "bg-emerald-50 text-emerald-700" } else { "bg-amber-50 text-amber-800" })}>
                                { if user.email_verified { "verified" } else { "not verified" } }
                            </span>
                        </dd>
                    </div>
                    <div><dt class="text-slate-500">{ "Role" }</dt><dd class="mt-0.5 font-medium capitalize">{ user.role.as_str() }</dd></div>
                    <div><dt class="text-slate-500">{ "Member since" }</dt><dd class="mt-0.5 font-medium">{ format::date(&user.created_at) }</dd></div>
                </dl></> } })) }
            { ui::card(yew::props!(ui::CardProps { id: "email", title: "Change email", subtitle: "We send a link to the new address: your email changes when you follow it.", children: html! { <><ChangeEmailForm current={user.email.clone()} /></> } })) }
            { ui::card(yew::props!(ui::CardProps { id: "sign-in-methods", title: "Sign-in methods", subtitle: "The providers you sign in with.", children: sign_in_methods })) }
            { ui::card(yew::props!(ui::CardProps { id: "password", title: password_title, subtitle: password_subtitle, children: change_password_form })) }
            { ui::card(yew::props!(ui::CardProps { id: "sessions", title: "Sign out everywhere", subtitle: "Ends every session on every device, this one included. API keys keep working unless you revoke them too.", children: sign_out_everywhere })) }
        </div>
    }
}

const FIELDS: &[&str] = &["current_password", "new_password", "confirm_password"];

/// Changes the password, or sets the first one of an account made through a provider (no
/// current password to give).
#[hook]
fn use_change_password_form(has_password: bool) -> Html {
    let current = use_input();
    let new = use_input();
    let confirm = use_input();
    let revoke_keys = use_value(false);
    let done = use_value(false);
    let submit = use_submit(
        (current.clone(), new.clone(), confirm.clone(), done.clone()),
        |(current, new, confirm, done), request| async move {
            api::change_password(&request).await.map_err(|e| {
                FormErrors::from_api(&e.at_password_field("current_password"), FIELDS)
            })?;
            for field in [&current, &new, &confirm] {
                field.clear();
            }
            done.set(true);
            Ok(())
        },
    );
    let errors: FormErrors = submit.error().cloned().unwrap_or_default();
    let form = use_focus_first_invalid(errors.clone());
    let onsubmit = {
        let (current, new, confirm, revoke_keys, done) = (
            current.clone(),
            new.clone(),
            confirm.clone(),
            revoke_keys.clone(),
            done.clone(),
        );
        submit.onsubmit(move || {
            done.set(false);
            forms::change_password(
                has_password.then_some(&*current),
                &new,
                &confirm,
                *revoke_keys,
            )
        })
    };
    html! {
        <form ref={form} {onsubmit} novalidate=true class="max-w-md space-y-4">
            if has_password {
            { ui::field(yew::props!(ui::FieldProps { id: "current_password", label: "Current password", kind: FieldKind::Password, autocomplete: "current-password", value: current.value(), oninput: current.oninput(), error: errors.field("current_password") })) }
            }
            { ui::field(yew::props!(ui::FieldProps { id: "new_password", label: "New password", kind: FieldKind::Password, autocomplete: "new-password", value: new.value(), oninput: new.oninput(), hint: "At least 8 characters.", error: errors.field("new_password") })) }
            { ui::field(yew::props!(ui::FieldProps { id: "confirm_password", label: "Confirm new password", kind: FieldKind::Password, autocomplete: "new-password", value: confirm.value(), oninput: confirm.oninput(), error: errors.field("confirm_password") })) }
            { revoke_keys_checkbox("password-revoke-keys", &revoke_keys) }
            if let Some(message) = errors.general() {
                { ui::alert(yew::props!(ui::AlertProps { kind: AlertKind::Error, children: html! { { message } } })) }
            }
            if *done {
                { ui::alert(yew::props!(ui::AlertProps { kind: AlertKind::Success, children: html! { { "Password changed. Your other sessions were signed out." } } })) }
            }
            { ui::button(yew::props!(ui::ButtonProps { submit: true, busy: submit.busy(), children: html! { { if has_password { "Change password" } else { "Set password" } } } })) }
        </form>
    }
}

#[hook]
fn use_sign_out_everywhere() -> Html {
    let navigator = use_navigator();
    let revoke_keys = use_value(false);
    let sign_out = use_submit(
        navigator,
        |navigator, request: LogoutAllRequest| async move {
            api::sign_out_everywhere(&request, app::to_login(navigator)).await
        },
    );
    let onclick = {
        let revoke_keys = revoke_keys.clone();
        sign_out.reform(move |_| LogoutAllRequest {
            revoke_api_keys: *revoke_keys,
        })
    };
    html! {
        <div class="space-y-3">
            { revoke_keys_checkbox("sign-out-revoke-keys", &revoke_keys) }
            if let Some(e) = sign_out.error() {
                { ui::alert(yew::props!(ui::AlertProps { kind: AlertKind::Error, children: html! { { e.to_string() } } })) }
            }
            { ui::button(yew::props!(ui::ButtonProps { kind: ButtonKind::Danger, busy: sign_out.busy(), onclick, children: html! { { "Sign out everywhere" } } })) }
        </div>
    }
}

/// After a suspected leak, the keys a thief made are what would outlast the password.
fn revoke_keys_checkbox(id: &'static str, state: &UseStateHandle<bool>) -> Html {
    let checked = **state;
    let state = state.clone();
    html! {
        { ui::checkbox(yew::props!(ui::CheckboxProps { id, label: "Also revoke all my API keys", checked, onchange: Callback::from(move |on| state.set(on)) })) }
    }
}
