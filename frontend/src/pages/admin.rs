//! /admin (admins only): users, granting credits, disabling and enabling accounts.

use shared::dto::{Role, UpdateUserRequest, User};
use yew::{platform::spawn_local, prelude::*};

use crate::{
    api,
    components::{Alert, AlertKind, Button, ButtonKind, Card, Field, FieldKind, Loading},
    format, forms,
    forms::FormErrors,
    hooks::{Load, use_load, use_session, use_title},
    store,
};

const PAGE: i64 = 50;

#[function_component(Admin)]
pub fn admin() -> Html {
    use_title("Admin");
    let limit = use_state(|| PAGE);
    let (users, reload) = use_load(*limit, |limit| api::admin_users(limit, None));
    let more = {
        let limit = limit.clone();
        Callback::from(move |_| limit.set((*limit + PAGE).min(shared::dto::LEDGER_MAX_LIMIT)))
    };
    let body = match users.as_ref() {
        Load::Loading => html! { <Loading label="Loading users…" /> },
        Load::Failed(e) => html! { <Alert kind={AlertKind::Error}>{ e.to_string() }</Alert> },
        Load::Ready(list) => html! {
            <>
                <ul class="divide-y divide-slate-100" data-testid="admin-users">
                    { for list.iter().map(|u| html! {
                        <UserRow key={u.id.to_string()} user={u.clone()} on_changed={reload.clone()} />
                    }) }
                </ul>
                if list.len() as i64 >= *limit && *limit < shared::dto::LEDGER_MAX_LIMIT {
                    <Button kind={ButtonKind::Ghost} class="mt-3" onclick={more}>{ "Show more" }</Button>
                }
            </>
        },
    };
    html! {
        <div class="space-y-6">
            <div>
                <h1 class="text-2xl font-bold tracking-tight text-slate-900">{ "Admin" }</h1>
                <p class="mt-1 text-sm text-slate-600">{ "Newest users first. Disabling an account signs it out everywhere at once." }</p>
            </div>
            <Card id="users" title="Users">{ body }</Card>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct UserRowProps {
    user: User,
    on_changed: Callback<()>,
}

#[function_component(UserRow)]
fn user_row(props: &UserRowProps) -> Html {
    let session = use_session();
    let granting = use_state(|| false);
    let busy = use_state(|| false);
    let error = use_state(|| None::<String>);
    let user = &props.user;
    let is_me = session.user().is_some_and(|me| me.id == user.id);

    let toggle_active = {
        let (busy, error, on_changed, id, active) = (
            busy.clone(),
            error.clone(),
            props.on_changed.clone(),
            user.id,
            user.is_active,
        );
        Callback::from(move |_| {
            busy.set(true);
            error.set(None);
            let (busy, error, on_changed) = (busy.clone(), error.clone(), on_changed.clone());
            spawn_local(async move {
                let request = UpdateUserRequest {
                    is_active: Some(!active),
                    role: None,
                };
                match api::admin_update(id, &request).await {
                    Ok(_) => on_changed.emit(()),
                    Err(e) => error.set(Some(e.message)),
                }
                busy.set(false);
            });
        })
    };
    let open_grant = {
        let granting = granting.clone();
        Callback::from(move |_| granting.set(!*granting))
    };
    let on_granted = {
        let (granting, on_changed) = (granting.clone(), props.on_changed.clone());
        Callback::from(move |_| {
            granting.set(false);
            on_changed.emit(());
        })
    };
    let name_id = format!("user-{}-email", user.id);
    html! {
        <li class="py-4" data-testid="admin-user-row">
            <div class="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
                <div class="min-w-0">
                    <p class="flex items-center gap-2">
                        <span id={name_id.clone()} class="truncate font-medium text-slate-900">{ &user.email }</span>
                        if is_me {
                            <span class="rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-600">{ "you" }</span>
                        }
                    </p>
                    <p class="mt-0.5 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-500">
                        <span class={classes!("rounded-full", "px-2", "py-0.5", "font-medium",
                            if user.role == Role::Admin { "bg-brand-50 text-brand-700" } else { "bg-slate-100 text-slate-700" })}>
                            { user.role.as_str() }
                        </span>
                        <span class={classes!("rounded-full", "px-2", "py-0.5", "font-medium",
                            if user.is_active { "bg-emerald-50 text-emerald-700" } else { "bg-red-50 text-red-700" })}>
                            { if user.is_active { "active" } else { "disabled" } }
                        </span>
                        <span class="tabular-nums">{ format!("{} credits", format::int(user.credits)) }</span>
                        <span>{ format!("joined {}", format::date(&user.created_at)) }</span>
                    </p>
                </div>
                <div class="flex gap-2">
                    <Button kind={ButtonKind::Secondary} onclick={open_grant} describedby={AttrValue::from(name_id.clone())}>
                        { "Grant credits" }
                    </Button>
                    if !is_me {
                        <Button kind={if user.is_active { ButtonKind::Danger } else { ButtonKind::Secondary }}
                            busy={*busy} onclick={toggle_active} describedby={AttrValue::from(name_id)}>
                            { if user.is_active { "Disable" } else { "Enable" } }
                        </Button>
                    }
                </div>
            </div>
            if let Some(message) = error.as_ref() {
                <p role="alert" class="mt-2 text-sm text-red-700">{ message }</p>
            }
            if *granting {
                <GrantForm user_id={user.id} {is_me} on_granted={on_granted} />
            }
        </li>
    }
}

#[derive(Properties, PartialEq)]
struct GrantFormProps {
    user_id: i64,
    is_me: bool,
    on_granted: Callback<()>,
}

const GRANT_FIELDS: &[&str] = &["amount", "reason"];

/// Adds credits (or takes some back with a negative amount), with a reason for the ledger.
#[function_component(GrantForm)]
fn grant_form(props: &GrantFormProps) -> Html {
    let amount = use_state(String::new);
    let reason = use_state(String::new);
    let errors = use_state(FormErrors::default);
    let busy = use_state(|| false);
    let onsubmit = {
        let (amount, reason, errors, busy, on_granted, user_id, is_me) = (
            amount.clone(),
            reason.clone(),
            errors.clone(),
            busy.clone(),
            props.on_granted.clone(),
            props.user_id,
            props.is_me,
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let request = match forms::grant_credits(&amount, &reason) {
                Ok(request) => request,
                Err(refused) => return errors.set(refused),
            };
            errors.set(FormErrors::default());
            busy.set(true);
            let (errors, busy, on_granted) = (errors.clone(), busy.clone(), on_granted.clone());
            spawn_local(async move {
                match api::admin_grant(user_id, &request).await {
                    Ok(balance) => {
                        if is_me {
                            store::set_credits(balance.credits);
                        }
                        on_granted.emit(());
                    }
                    Err(e) => errors.set(FormErrors::from_api(&e, GRANT_FIELDS)),
                }
                busy.set(false);
            });
        })
    };
    let id = |f: &str| format!("grant-{}-{f}", props.user_id);
    html! {
        <form {onsubmit} novalidate=true class="mt-3 grid gap-3 rounded-lg bg-slate-50 p-4 sm:grid-cols-[8rem_1fr_auto] sm:items-start">
            <Field id={id("amount")} label="Amount" kind={FieldKind::Number} value={(*amount).clone()}
                oninput={Callback::from({ let amount = amount.clone(); move |v| amount.set(v) })}
                error={errors.field("amount")} placeholder="100" />
            <Field id={id("reason")} label="Reason" value={(*reason).clone()}
                oninput={Callback::from({ let reason = reason.clone(); move |v| reason.set(v) })}
                error={errors.field("reason")} placeholder="Goodwill credit" />
            <Button submit=true busy={*busy} class="sm:mt-7">{ "Grant" }</Button>
            if let Some(message) = errors.general() {
                <div class="sm:col-span-3"><Alert kind={AlertKind::Error}>{ message }</Alert></div>
            }
        </form>
    }
}
