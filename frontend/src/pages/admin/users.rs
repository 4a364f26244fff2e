//! A row of the user list: email, role, status and balance; granting credits (to their personal
//! organisation), disabling and enabling the account.

use shared::dto::{Role, UpdateUserRequest, User};
use yew::prelude::*;

use super::{badge, grant_row::GrantRow};
use crate::{
    api::{self, ApiError},
    components::ui::{self, ButtonKind},
    format,
    hooks::{use_session, use_submit},
};

#[derive(Properties, PartialEq)]
pub struct UserRowProps {
    pub user: User,
    /// The user as the API has it after a change made here.
    pub on_changed: Callback<User>,
    /// Hears (organisation id, new balance).
    pub on_granted: Callback<(i64, i64)>,
}

#[function_component(UserRow)]
pub fn user_row(props: &UserRowProps) -> Html {
    let session = use_session();
    let user = &props.user;
    let is_me = session.user().is_some_and(|me| me.id == user.id);
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
    let label_id = AttrValue::from(format!("user-{}-email", user.id));
    let details = html! {
        <>
            <p class="flex items-center gap-2">
                <span id={label_id.clone()} class="truncate font-medium text-slate-900">{ &user.email }</span>
                if is_me {
                    { badge("you", "bg-slate-100 text-xs text-slate-600") }
                }
            </p>
            <p class="mt-0.5 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-500">
                { badge(user.role.as_str(), if user.role == Role::Admin { "bg-brand-50 text-brand-700" } else { "bg-slate-100 text-slate-700" }) }
                { if active { badge("active", "bg-emerald-50 text-emerald-700") } else { badge("disabled", "bg-red-50 text-red-700") } }
                <span class="tabular-nums">{ format!("{} credits", format::int(user.credits)) }</span>
                <span>{ format!("joined {}", format::date(&user.created_at)) }</span>
            </p>
        </>
    };
    let actions = html! {
        if !is_me {
            { ui::button(yew::props!(ui::ButtonProps { kind: if active { ButtonKind::Danger } else { ButtonKind::Secondary }, busy: update.busy(), onclick: toggle_active, describedby: label_id.clone(), children: html! { { if active { "Disable" } else { "Enable" } } } })) }
        }
    };
    let footer = html! {
        if let Some(e) = update.error() {
            <p role="alert" class="mt-2 text-sm text-red-700">{ e.to_string() }</p>
        }
    };
    html! {
        <GrantRow organization_id={user.organization.id} {label_id} testid="admin-user-row" {details} {actions} {footer} on_granted={props.on_granted.clone()} />
    }
}
