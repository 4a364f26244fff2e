//! A row of the organisation list: name, owner, members and balance, and granting credits.

use shared::dto::OrgBalance;
use yew::prelude::*;

use super::{badge, grant_row::GrantRow};
use crate::format;

/// `on_granted` hears (organisation id, new balance).
pub fn org_row(org: &OrgBalance, on_granted: &Callback<(i64, i64)>) -> Html {
    let id = org.organization.id;
    let label_id = AttrValue::from(format!("org-{id}-name"));
    let members = match org.members {
        1 => "1 member".to_owned(),
        n => format!("{} members", format::int(n)),
    };
    let details = html! {
        <>
            <p class="flex items-center gap-2">
                <span id={label_id.clone()} class="truncate font-medium text-slate-900">{ &org.organization.name }</span>
                if org.organization.personal {
                    { badge("personal", "bg-slate-100 text-xs text-slate-600") }
                }
            </p>
            <p class="mt-0.5 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-500">
                if let Some(owner) = &org.owner_email {
                    <span>{ format!("owner {owner}") }</span>
                }
                <span>{ members }</span>
                <span class="tabular-nums">{ format!("{} credits", format::int(org.credits)) }</span>
                <span>{ format!("created {}", format::date(&org.organization.created_at)) }</span>
            </p>
        </>
    };
    html! {
        <GrantRow key={id.to_string()} organization_id={id} {label_id} testid="admin-org-row" {details} on_granted={on_granted.clone()} />
    }
}
