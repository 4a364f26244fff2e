//! /account: who you are, change email, change password, sign out everywhere.

use shared::dto::LogoutAllRequest;
use yew::{platform::spawn_local, prelude::*};
use yew_router::prelude::*;

use crate::{
    api, app,
    components::{
        change_email_form::ChangeEmailForm,
        ui::{Alert, AlertKind, Button, ButtonKind, Card, Checkbox, Field, FieldKind, PageHeader},
    },
    format, forms,
    forms::FormErrors,
    hooks::{use_focus_first_invalid, use_input, use_session, use_submit, use_title},
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
            <PageHeader title="Account" />
            <Card id="profile" title="Profile">
                <dl class="grid gap-4 text-sm sm:grid-cols-3">
                    <div>
                        <dt class="text-slate-500">{ "Email" }</dt>
                        <dd class="mt-0.5 break-all font-medium">
                            { &user.email }{ " " }
                            <span data-testid="email-status" class={classes!("whitespace-nowrap", "rounded-full", "px-2", "py-0.5", "text-xs", "font-medium",
                                if user.email_verified { "bg-emerald-50 text-emerald-700" } else { "bg-amber-50 text-amber-800" })}>
                                { if user.email_verified { "verified" } else { "not verified" } }
                            </span>
                        </dd>
                    </div>
                    <div><dt class="text-slate-500">{ "Role" }</dt><dd class="mt-0.5 font-medium capitalize">{ user.role.as_str() }</dd></div>
                    <div><dt class="text-slate-500">{ "Member since" }</dt><dd class="mt-0.5 font-medium">{ format::date(&user.created_at) }</dd></div>
                </dl>
            </Card>
            <Card id="email" title="Change email" subtitle="We send a link to the new address: your email changes when you follow it.">
                <ChangeEmailForm current={user.email.clone()} />
            </Card>
            <Card id="password" title="Change password" subtitle="Your other sessions are signed out when you change it.">
                <ChangePasswordForm />
            </Card>
            <Card id="sessions" title="Sign out everywhere"
                subtitle="Ends every session on every device, this one included. API keys keep working unless you revoke them too.">
                <SignOutEverywhere />
            </Card>
        </div>
    }
}

const FIELDS: &[&str] = &["current_password", "new_password", "confirm_password"];

#[function_component(ChangePasswordForm)]
fn change_password_form() -> Html {
    let current = use_input();
    let new = use_input();
    let confirm = use_input();
    let revoke_keys = use_state(|| false);
    let done = use_state(|| false);
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
            forms::change_password(&current, &new, &confirm, *revoke_keys)
        })
    };
    html! {
        <form ref={form} {onsubmit} novalidate=true class="max-w-md space-y-4">
            <Field id="current_password" label="Current password" kind={FieldKind::Password}
                autocomplete="current-password" value={current.value()} oninput={current.oninput()}
                error={errors.field("current_password")} />
            <Field id="new_password" label="New password" kind={FieldKind::Password}
                autocomplete="new-password" value={new.value()} oninput={new.oninput()}
                hint="At least 8 characters." error={errors.field("new_password")} />
            <Field id="confirm_password" label="Confirm new password" kind={FieldKind::Password}
                autocomplete="new-password" value={confirm.value()} oninput={confirm.oninput()}
                error={errors.field("confirm_password")} />
            <RevokeKeysCheckbox id="password-revoke-keys" state={revoke_keys.clone()} />
            if let Some(message) = errors.general() {
                <Alert kind={AlertKind::Error}>{ message }</Alert>
            }
            if *done {
                <Alert kind={AlertKind::Success}>{ "Password changed. Your other sessions were signed out." }</Alert>
            }
            <Button submit=true busy={submit.busy()}>{ "Change password" }</Button>
        </form>
    }
}

#[function_component(SignOutEverywhere)]
fn sign_out_everywhere() -> Html {
    let navigator = use_navigator();
    let revoke_keys = use_state(|| false);
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
            <RevokeKeysCheckbox id="sign-out-revoke-keys" state={revoke_keys.clone()} />
            if let Some(e) = sign_out.error() {
                <Alert kind={AlertKind::Error}>{ e.to_string() }</Alert>
            }
            <Button kind={ButtonKind::Danger} busy={sign_out.busy()} {onclick}>{ "Sign out everywhere" }</Button>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct RevokeKeysCheckboxProps {
    id: AttrValue,
    state: UseStateHandle<bool>,
}

/// After a suspected leak, the keys a thief made are what would outlast the password.
#[function_component(RevokeKeysCheckbox)]
fn revoke_keys_checkbox(props: &RevokeKeysCheckboxProps) -> Html {
    let state = props.state.clone();
    html! {
        <Checkbox id={props.id.clone()} label="Also revoke all my API keys"
            checked={*props.state} onchange={Callback::from(move |on| state.set(on))} />
    }
}
