//! /admin (admins only): users, granting credits, disabling and enabling accounts.

use crate::components::ui;
use crate::hooks::use_value;
use shared::dto::{PageQuery, Role, UpdateUserRequest, User};
use yew::prelude::*;

use crate::{
    api,
    api::ApiError,
    components::ui::{AlertKind, ButtonKind, FieldKind},
    format, forms,
    forms::FormErrors,
    hooks::{Load, use_input, use_pages, use_session, use_submit, use_title},
    store,
};

/// Users per page.
const PAGE: i64 = 50;

#[function_component(Admin)]
pub fn admin() -> Html {
    use_title("Admin");
    let pages = use_pages((), PAGE, PAGE, |limit, before| {
        api::admin_users(PageQuery {
            limit: Some(limit),
            before,
        })
    });
    // A row shows what the API answered to its change; the rest of the list stays as it is.
    let on_changed = {
        let pages = pages.clone();
        Callback::from(move |user: User| pages.replace(user))
    };
    let body = match pages.state() {
        Load::Loading => {
            html! { { ui::loading(yew::props!(ui::LoadingProps { label: "Loading users…" })) } }
        }
        Load::Failed(e) => {
            html! { { ui::alert(yew::props!(ui::AlertProps { kind: AlertKind::Error, children: html! { { e.to_string() } } })) } }
        }
        Load::Ready(rows) => html! {
            <>
                <ul class="divide-y divide-slate-100" data-testid="admin-users">
                    { for rows.items.iter().map(|u| html! {
                        <UserRow key={u.id.to_string()} user={u.clone()} on_changed={on_changed.clone()} />
                    }) }
                </ul>
                if !rows.complete {
                    { ui::show_more(yew::props!(ui::ShowMoreProps { onclick: pages.show_more(), busy: rows.loading_more(), error: rows.more_error.clone() })) }
                }
            </>
        },
    };
    html! {
        <div class="space-y-6">
            { ui::page_header(yew::props!(ui::PageHeaderProps { title: "Admin", children: html! { { "Newest users first. Disabling an account signs it out everywhere at once." } } })) }
            { ui::card(yew::props!(ui::CardProps { id: "users", title: "Users", children: html! { { body } } })) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct UserRowProps {
    user: User,
    /// The user as the API has it after a change made here.
    on_changed: Callback<User>,
}

#[function_component(UserRow)]
fn user_row(props: &UserRowProps) -> Html {
    let session = use_session();
    let granting = use_value(false);
    let user = &props.user;
    let is_me = session.user().is_some_and(|me| me.id == user.id);
    // A grant goes to the user's personal organisation: the balance on screen when it is the one
    // this session acts in.
    let acted_in = session
        .organization()
        .is_some_and(|org| org.id == user.organization.id);

    let update = use_submit(
        (user.id, props.on_changed.clone()),
        |(id, on_changed), request: UpdateUserRequest| async move {
            on_changed.emit(api::admin_update(id, &request).await?);
            Ok::<_, ApiError>(())
        },
    );
    let active = user.is_active;
    let toggle_active = update.reform(move |_| UpdateUserRequest {
        is_active: Some(!active),
        role: None,
    });
    let open_grant = {
        let granting = granting.clone();
        Callback::from(move |_| granting.set(!*granting))
    };
    let on_granted = {
        let (granting, on_changed, user) =
            (granting.clone(), props.on_changed.clone(), user.clone());
        Callback::from(move |credits| {
            granting.set(false);
            on_changed.emit(User {
                credits,
                ..user.clone()
            });
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
                        <span class={classes!("rounded-full", "px-2", "py-0.5", "font-medium", if user.role == Role::Admin { "bg-brand-50 text-brand-700" } else { "bg-slate-100 text-slate-700" })}>
                            { user.role.as_str() }
                        </span>
                        <span class={classes!("rounded-full", "px-2", "py-0.5", "font-medium", if user.is_active { "bg-emerald-50 text-emerald-700" } else { "bg-red-50 text-red-700" })}>
                            { if user.is_active { "active" } else { "disabled" } }
                        </span>
                        <span class="tabular-nums">{ format!("{} credits", format::int(user.credits)) }</span>
                        <span>{ format!("joined {}", format::date(&user.created_at)) }</span>
                    </p>
                </div>
                <div class="flex gap-2">
                    { ui::button(yew::props!(ui::ButtonProps { kind: ButtonKind::Secondary, onclick: open_grant, describedby: AttrValue::from(name_id.clone()), children: html! { { "Grant credits" } } })) }
                    if !is_me {
                        { ui::button(yew::props!(ui::ButtonProps { kind: if user.is_active { ButtonKind::Danger } else { ButtonKind::Secondary }, busy: update.busy(), onclick: toggle_active, describedby: AttrValue::from(name_id), children: html! { { if user.is_active { "Disable" } else { "Enable" } } } })) }
                    }
                </div>
            </div>
            if let Some(e) = update.error() {
                <p role="alert" class="mt-2 text-sm text-red-700">{ e.to_string() }</p>
            }
            if *granting {
                <GrantForm user_id={user.id} {acted_in} on_granted={on_granted} />
            }
        </li>
    }
}

#[derive(Properties, PartialEq)]
struct GrantFormProps {
    user_id: i64,
    /// The grant changes the balance this session shows.
    acted_in: bool,
    /// The user's new balance.
    on_granted: Callback<i64>,
}

const GRANT_FIELDS: &[&str] = &["amount", "reason"];

/// Adds credits (or takes some back with a negative amount), with a reason for the ledger.
#[function_component(GrantForm)]
fn grant_form(props: &GrantFormProps) -> Html {
    let amount = use_input();
    let reason = use_input();
    let submit = use_submit(
        (props.user_id, props.acted_in, props.on_granted.clone()),
        |(user_id, acted_in, on_granted), request| async move {
            let balance = api::admin_grant(user_id, &request)
                .await
                .map_err(|e| FormErrors::from_api(&e, GRANT_FIELDS))?;
            if acted_in {
                store::set_credits(balance.credits);
            }
            on_granted.emit(balance.credits);
            Ok(())
        },
    );
    let errors: FormErrors = submit.error().cloned().unwrap_or_default();
    let onsubmit = {
        let (amount, reason) = (amount.clone(), reason.clone());
        submit.onsubmit(move || forms::grant_credits(&amount, &reason))
    };
    let id = |f: &str| format!("grant-{}-{f}", props.user_id);
    html! {
        <form {onsubmit} novalidate=true class="mt-3 grid gap-3 rounded-lg bg-slate-50 p-4 sm:grid-cols-[8rem_1fr_auto] sm:items-start">
            { ui::field(yew::props!(ui::FieldProps { id: id("amount"), label: "Amount", kind: FieldKind::Number, value: amount.value(), oninput: amount.oninput(), error: errors.field("amount"), placeholder: "100" })) }
            { ui::field(yew::props!(ui::FieldProps { id: id("reason"), label: "Reason", value: reason.value(), oninput: reason.oninput(), error: errors.field("reason"), placeholder: "Goodwill credit" })) }
            { ui::button(yew::props!(ui::ButtonProps { submit: true, busy: submit.busy(), class: "sm:mt-7", children: html! { { "Grant" } } })) }
            if let Some(message) = errors.general() {
                <div class="sm:col-span-3">{ ui::alert(yew::props!(ui::AlertProps { kind: AlertKind::Error, children: html! { { message } } })) }</div>
            }
        </form>
    }
}
