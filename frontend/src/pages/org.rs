//! /org: the organisation the session acts in: its name, members and their roles, invitations;
//! creating another organisation, deleting this one. What the user's role may not do is not
//! shown (`OrgRole::can`, the API's own table).

use crate::components::ui;
use crate::hooks::use_value;
use shared::dto::{
    ActiveOrganization, CreateOrgRequest, Invitation, Member, OrgRole, Permission,
    UpdateMemberRequest, UpdateOrgRequest,
};
use yew::prelude::*;

use crate::{
    api,
    api::ApiError,
    components::{
        Confirm,
        ui::{AlertKind, ButtonKind, FieldKind, Select},
    },
    format, forms,
    forms::{FormErrors, capitalise},
    hooks::{
        Load, use_focus_first_invalid, use_input, use_load, use_session, use_submit, use_title,
    },
};

#[function_component(Org)]
pub fn org() -> Html {
    use_title("Organization");
    let session = use_session();
    let delete = use_submit((), |(), id: i64| async move {
        api::delete_org(id).await?;
        Ok::<_, ApiError>(())
    });
    let (Some(user), Some(role)) = (session.user(), session.organization().and_then(|o| o.role))
    else {
        return html! {};
    };
    let org = &user.organization;
    let lead = if org.personal {
        "Your personal organization. Create another one to share credits and API keys with others."
    } else {
        "Its members share its credits and API keys."
    };
    let id = org.id;
    html! {
        <div class="space-y-6">
            { ui::page_header(yew::props!(ui::PageHeaderProps { title: "Organization", context: format::organization(org), children: html! { { lead } } })) }
            if role.can(Permission::ManageOrganization) {
                { ui::card(yew::props!(ui::CardProps { id: "org-name", title: "Name", children: html! { <><NameForm mode={NameMode::Rename(id)} current={org.name.clone()} /></> } })) }
            }
            { ui::card(yew::props!(ui::CardProps { id: "members", title: "Members", children: html! { <><Members org={org.clone()} me={user.id} {role} /></> } })) }
            if role.can(Permission::ManageMembers) {
                { ui::card(yew::props!(ui::CardProps { id: "invitations", title: "Invitations", subtitle: "We email a link to join; it works for the invited address only.", children: html! { <><Invitations org_id={id} {role} /></> } })) }
            }
            { ui::card(yew::props!(ui::CardProps { id: "create-org", title: "Create organization", subtitle: "A new organization with its own credits and keys, of which you are the owner.", children: html! { <><NameForm mode={NameMode::Create} /></> } })) }
            if role.can(Permission::OwnOrganization) && !org.personal {
                { ui::card(yew::props!(ui::CardProps { id: "delete-org", title: "Delete organization", subtitle: "For good, with its keys and invitations. Only an organization without credits left can be deleted.", children: html! { <>if let Some(e) = delete.error() {
                        { ui::alert(yew::props!(ui::AlertProps { kind: AlertKind::Error, children: html! { { capitalise(&e.message) } } })) }
                    }
                    <Confirm label="Delete organization" question="This cannot be undone."
                        confirm="Yes, delete it" dismiss="Keep it" busy={delete.busy()}
                        onconfirm={delete.reform(move |_| id)} /></> } })) }
            }
        </div>
    }
}

/// The roles a member with `role` may give: only owners make owners.
fn grantable(role: OrgRole) -> Vec<OrgRole> {
    OrgRole::ALL
        .into_iter()
        .filter(|r| *r != OrgRole::Owner || role.can(Permission::OwnOrganization))
        .collect()
}

/// The roles as a select's options.
fn role_options(roles: &[OrgRole]) -> Vec<(AttrValue, AttrValue)> {
    roles
        .iter()
        .map(|r| (AttrValue::from(r.as_str()), AttrValue::from(r.as_str())))
        .collect()
}

/// What the name form does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NameMode {
    /// Renames the organisation with this id.
    Rename(i64),
    /// Creates an organisation, and switches to it.
    Create,
}

#[derive(Properties, PartialEq)]
struct NameFormProps {
    mode: NameMode,
    /// The name now, as the placeholder of a new one.
    #[prop_or_default]
    current: Option<AttrValue>,
}

/// An organisation's name: a new one for this organisation, or that of a new organisation.
#[function_component(NameForm)]
fn name_form(props: &NameFormProps) -> Html {
    let name = use_input();
    let renamed = use_value(None::<String>);
    let submit = use_submit(
        (props.mode, name.clone(), renamed.clone()),
        |(mode, name, renamed), new_name: String| async move {
            let result = match mode {
                NameMode::Rename(id) => {
                    api::rename_org(id, &UpdateOrgRequest { name: new_name }).await
                }
                NameMode::Create => api::create_org(&CreateOrgRequest { name: new_name }).await,
            };
            let membership = result.map_err(|e| FormErrors::from_api(&e, &["name"]))?;
            name.clear();
            if let NameMode::Rename(_) = mode {
                renamed.set(Some(membership.organization.name));
            }
            Ok(())
        },
    );
    let errors: FormErrors = submit.error().cloned().unwrap_or_default();
    let form = use_focus_first_invalid(errors.clone());
    let onsubmit = {
        let (name, renamed) = (name.clone(), renamed.clone());
        submit.onsubmit(move || {
            renamed.set(None);
            forms::org_name(&name)
        })
    };
    let (id, label, button) = match props.mode {
        NameMode::Rename(_) => ("org_name", "New name", "Rename"),
        NameMode::Create => ("new_org_name", "Organization name", "Create organization"),
    };
    html! {
        <form ref={form} {onsubmit} novalidate=true class="flex flex-col gap-3 sm:flex-row sm:flex-wrap sm:items-start">
            { ui::field(yew::props!(ui::FieldProps { id, label, class: "sm:w-80", placeholder: props.current.clone(), value: name.value(), oninput: name.oninput(), error: errors.field("name") })) }
            { ui::button(yew::props!(ui::ButtonProps { submit: true, busy: submit.busy(), class: "sm:mt-7", children: html! { { button } } })) }
            if let Some(message) = errors.general() {
                { ui::alert(yew::props!(ui::AlertProps { kind: AlertKind::Error, children: html! { { message } } })) }
            }
            if let Some(name) = renamed.as_ref() {
                { ui::alert(yew::props!(ui::AlertProps { kind: AlertKind::Success, children: html! { { format!("The organization is now called {name}.") } } })) }
            }
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct MembersProps {
    org: ActiveOrganization,
    /// The signed-in user's id.
    me: i64,
    /// Their role in `org`.
    role: OrgRole,
}

/// What is done to a member.
#[derive(Debug, Clone, Copy)]
enum MemberChange {
    Role(OrgRole),
    /// Remove them (or oneself: leave).
    Remove,
}

/// The members: each one's role (a select, for those who may change it), "Remove", or "Leave" on
/// one's own row.
#[function_component(Members)]
fn members(props: &MembersProps) -> Html {
    let (members, reload) = use_load(props.org.id, api::members);
    // The member changed last: their row shows the spinner and the error.
    let changed = use_value(0i64);
    let change = use_submit(
        (props.org.id, reload),
        |(org_id, reload), (user_id, change): (i64, MemberChange)| async move {
            match change {
                MemberChange::Role(role) => {
                    let request = UpdateMemberRequest { role };
                    api::update_member(org_id, user_id, &request).await?;
                }
                MemberChange::Remove => api::remove_member(org_id, user_id).await?,
            }
            reload.emit(());
            Ok::<_, ApiError>(())
        },
    );
    let run = {
        let (change, changed) = (change.clone(), changed.clone());
        Callback::from(move |input: (i64, MemberChange)| {
            if !change.busy() {
                changed.set(input.0);
                change.run(input);
            }
        })
    };
    let list = match members.as_ref() {
        Load::Loading => {
            return html! { { ui::loading(yew::props!(ui::LoadingProps { label: "Loading members…" })) } };
        }
        Load::Failed(e) => {
            return html! { { ui::alert(yew::props!(ui::AlertProps { kind: AlertKind::Error, children: html! { { capitalise(&e.message) } } })) } };
        }
        Load::Ready(list) => list,
    };
    let (role, busy) = (props.role, change.busy());
    // A role picked for a member.
    let pick = |user_id: i64| {
        let run = run.clone();
        Callback::from(move |value: String| {
            if let Some(role) = OrgRole::parse(&value) {
                run.emit((user_id, MemberChange::Role(role)));
            }
        })
    };
    let options = role_options(&grantable(role));
    // The API refuses to let the last owner go: they hand over first.
    let sole_owner = list.iter().filter(|m| m.role == OrgRole::Owner).count() == 1;
    let row = |member: &Member| {
        let user_id = member.user_id;
        let me = user_id == props.me;
        // Owners alone change owners; those who manage members change the others.
        let manage = role.can(Permission::ManageMembers)
            && (member.role != OrgRole::Owner || role.can(Permission::OwnOrganization));
        let this = *changed == user_id;
        let remove = run.reform(move |_| (user_id, MemberChange::Remove));
        html! {
            <tr key={user_id.to_string()} data-testid="member-row">
                <td class="px-5 py-2 sm:px-3">
                    <span class="break-all font-medium text-slate-900">{ &member.email }</span>
                    if me {
                        <span class="ml-2 rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-600">{ "you" }</span>
                    }
                    if let (true, Some(e)) = (this, change.error()) {
                        <p role="alert" class="mt-1 text-sm text-red-700">{ capitalise(&e.message) }</p>
                    }
                </td>
                <td class="px-3 py-2">
                    if manage {
                        <Select id={format!("member-{user_id}-role")} hide_label=true
                            label={format!("Role of {}", member.email)} options={options.clone()}
                            value={member.role.as_str()} {busy} class="w-32"
                            onchange={pick(user_id)} />
                    } else {
                        { member.role.as_str() }
                    }
                </td>
                <td class="hidden whitespace-nowrap px-3 py-2 text-slate-500 sm:table-cell">{ format::date(&member.joined_at) }</td>
                <td class="px-5 py-2 text-right sm:px-3">
                    if me && member.role == OrgRole::Owner && sole_owner && !props.org.personal {
                        <span class="text-xs text-slate-500">{ "Make another member owner to leave" }</span>
                    } else if me && !props.org.personal {
                        <Confirm label="Leave" question="You lose access to its credits and keys until invited again."
                            confirm="Yes, leave" dismiss="Stay" busy={busy && this} onconfirm={remove} />
                    } else if manage && !me {
                        { ui::button(yew::props!(ui::ButtonProps { kind: ButtonKind::Secondary, busy: busy && this, disabled: busy, onclick: remove, children: html! { { "Remove" } } })) }
                    }
                </td>
            </tr>
        }
    };
    html! {
        <div class="-mx-5 overflow-x-auto sm:mx-0">
            <table class="min-w-full text-left text-sm">
                <caption class="sr-only">{ "Members and their roles" }</caption>
                <thead class="text-xs uppercase tracking-wide text-slate-500">
                    <tr>
                        <th scope="col" class="px-5 py-2 font-medium sm:px-3">{ "Email" }</th>
                        <th scope="col" class="px-3 py-2 font-medium">{ "Role" }</th>
                        <th scope="col" class="hidden px-3 py-2 font-medium sm:table-cell">{ "Joined" }</th>
                        <th scope="col" class="px-5 py-2 sm:px-3"><span class="sr-only">{ "Actions" }</span></th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100" data-testid="members">
                    { for list.iter().map(row) }
                </tbody>
            </table>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct InvitationsProps {
    org_id: i64,
    /// The signed-in user's role: which roles they may invite with.
    role: OrgRole,
}

const INVITE_FIELDS: &[&str] = &["email"];

/// "Invite" (an address and a role) over the pending invitations, each with "Cancel".
#[function_component(Invitations)]
fn invitations(props: &InvitationsProps) -> Html {
    let (pending, reload) = use_load(props.org_id, api::invitations);
    let email = use_input();
    let role = use_value(OrgRole::Developer);
    let sent = use_value(None::<String>);
    let invite = use_submit(
        (props.org_id, email.clone(), sent.clone(), reload.clone()),
        |(org_id, email, sent, reload), request| async move {
            sent.set(None);
            let invitation = api::invite(org_id, &request)
                .await
                .map_err(|e| FormErrors::from_api(&e, INVITE_FIELDS))?;
            email.clear();
            sent.set(Some(format!(
                "Invitation sent to {} as {}.",
                invitation.email,
                invitation.role.as_str()
            )));
            reload.emit(());
            Ok(())
        },
    );
    // The invitation cancelled last: its row shows the spinner and the error.
    let cancelled = use_value(0i64);
    let cancel = use_submit(
        (props.org_id, reload),
        |(org_id, reload), id: i64| async move {
            api::cancel_invitation(org_id, id).await?;
            reload.emit(());
            Ok::<_, ApiError>(())
        },
    );
    let errors: FormErrors = invite.error().cloned().unwrap_or_default();
    let form = use_focus_first_invalid(errors.clone());
    let onsubmit = {
        let (email, role) = (email.clone(), role.clone());
        invite.onsubmit(move || forms::invite(&email, *role))
    };
    let pick_role = {
        let role = role.clone();
        Callback::from(move |value: String| {
            if let Some(picked) = OrgRole::parse(&value) {
                role.set(picked);
            }
        })
    };
    let row = |invitation: &Invitation| {
        let id = invitation.id;
        let this = *cancelled == id;
        let onclick = {
            let (cancel, cancelled) = (cancel.clone(), cancelled.clone());
            Callback::from(move |_| {
                if !cancel.busy() {
                    cancelled.set(id);
                    cancel.run(id);
                }
            })
        };
        html! {
            <li key={id.to_string()} data-testid="invitation-row"
                class="flex flex-col gap-2 py-3 sm:flex-row sm:items-center sm:justify-between">
                <div class="min-w-0 text-sm">
                    <p><span class="break-all font-medium">{ &invitation.email }</span>{ " · " }{ invitation.role.as_str() }</p>
                    <p class="text-xs text-slate-500">{ format!("Expires {}", format::date(&invitation.expires_at)) }</p>
                    if let (true, Some(e)) = (this, cancel.error()) {
                        <p role="alert" class="mt-1 text-red-700">{ capitalise(&e.message) }</p>
                    }
                </div>
                { ui::button(yew::props!(ui::ButtonProps { kind: ButtonKind::Secondary, busy: cancel.busy() && this, disabled: cancel.busy(), onclick, children: html! { { "Cancel" } } })) }
            </li>
        }
    };
    let list = match pending.as_ref() {
        Load::Loading => {
            html! { { ui::loading(yew::props!(ui::LoadingProps { label: "Loading invitations…" })) } }
        }
        Load::Failed(e) => {
            html! { { ui::alert(yew::props!(ui::AlertProps { kind: AlertKind::Error, children: html! { { capitalise(&e.message) } } })) } }
        }
        Load::Ready(list) if list.is_empty() => html! {
            <p class="text-sm text-slate-500">{ "No pending invitations." }</p>
        },
        Load::Ready(list) => html! {
            <ul class="divide-y divide-slate-100" data-testid="invitations">{ for list.iter().map(row) }</ul>
        },
    };
    html! {
        <div class="space-y-5">
            <form ref={form} {onsubmit} novalidate=true class="flex flex-col gap-3 sm:flex-row sm:flex-wrap sm:items-start">
                { ui::field(yew::props!(ui::FieldProps { id: "invite_email", label: "Email", kind: FieldKind::Email, class: "sm:w-72", value: email.value(), oninput: email.oninput(), error: errors.field("email") })) }
                <Select id="invite_role" label="Role" class="sm:w-40" options={role_options(&grantable(props.role))}
                    value={role.as_str()} onchange={pick_role} />
                { ui::button(yew::props!(ui::ButtonProps { submit: true, busy: invite.busy(), class: "sm:mt-7", children: html! { { "Invite" } } })) }
                if let Some(message) = errors.general() {
                    <div class="w-full">{ ui::alert(yew::props!(ui::AlertProps { kind: AlertKind::Error, children: html! { { message } } })) }</div>
                }
                if let Some(message) = sent.as_ref() {
                    <div class="w-full">{ ui::alert(yew::props!(ui::AlertProps { kind: AlertKind::Success, children: html! { { message.clone() } } })) }</div>
                }
            </form>
            { list }
        </div>
    }
}
