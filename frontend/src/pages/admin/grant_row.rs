//! A row of an admin list with "Grant credits", which opens the grant form under it.

use yew::prelude::*;

use crate::{
    api,
    components::ui::{self, AlertKind, ButtonKind, FieldKind},
    forms::{self, FormErrors},
    hooks::{use_input, use_session, use_submit, use_value},
    store,
};

#[derive(Properties, PartialEq)]
pub struct GrantRowProps {
    /// Where granted credits go.
    pub organization_id: i64,
    /// The id of the element naming the row, which its buttons are described by.
    pub label_id: AttrValue,
    pub testid: AttrValue,
    /// What the row shows, left.
    pub details: Html,
    /// Buttons after "Grant credits".
    #[prop_or_default]
    pub actions: Html,
    /// Under the row (an action's error).
    #[prop_or_default]
    pub footer: Html,
    /// Hears (organisation id, new balance).
    pub on_granted: Callback<(i64, i64)>,
}

/// One component, the form's state included: a component of its own would cost its own copy of
/// Yew's lifecycle code in the wasm (the first-load budget).
#[function_component(GrantRow)]
pub fn grant_row(props: &GrantRowProps) -> Html {
    let session = use_session();
    let granting = use_value(false);
    let amount = use_input();
    let reason = use_input();
    // The grant changes the balance this session shows when it acts in that organisation.
    let acted_in = session
        .organization()
        .is_some_and(|org| org.id == props.organization_id);
    let submit = use_submit(
        (
            props.organization_id,
            acted_in,
            (granting.clone(), amount.clone(), reason.clone()),
            props.on_granted.clone(),
        ),
        |(org_id, acted_in, (granting, amount, reason), on_granted), request| async move {
            let balance = api::admin_grant(org_id, &request)
                .await
                .map_err(|e| FormErrors::from_api(&e, GRANT_FIELDS))?;
            if acted_in {
                store::set_credits(balance.credits);
            }
            granting.set(false);
            amount.clear();
            reason.clear();
            on_granted.emit((org_id, balance.credits));
            Ok(())
        },
    );
    let toggle = {
        let granting = granting.clone();
        Callback::from(move |_| granting.set(!*granting))
    };
    let errors: FormErrors = submit.error().cloned().unwrap_or_default();
    let onsubmit = {
        let (amount, reason) = (amount.clone(), reason.clone());
        submit.onsubmit(move || forms::grant_credits(&amount, &reason))
    };
    let id = |f: &str| format!("grant-{}-{f}", props.organization_id);
    html! {
        <li class="py-4" data-testid={props.testid.clone()}>
            <div class="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
                <div class="min-w-0">{ props.details.clone() }</div>
                <div class="flex gap-2">
                    { ui::button(yew::props!(ui::ButtonProps { kind: ButtonKind::Secondary, onclick: toggle, describedby: props.label_id.clone(), children: html! { { "Grant credits" } } })) }
                    { props.actions.clone() }
                </div>
            </div>
            { props.footer.clone() }
            if *granting {
                // Adds credits (or takes some back with a negative amount), with a reason for
                // the ledger.
                <form {onsubmit} novalidate=true class="mt-3 grid gap-3 rounded-lg bg-slate-50 p-4 sm:grid-cols-[8rem_1fr_auto] sm:items-start">
                    { ui::field(yew::props!(ui::FieldProps { id: id("amount"), label: "Amount", kind: FieldKind::Number, value: amount.value(), oninput: amount.oninput(), error: errors.field("amount"), placeholder: "100" })) }
                    { ui::field(yew::props!(ui::FieldProps { id: id("reason"), label: "Reason", value: reason.value(), oninput: reason.oninput(), error: errors.field("reason"), placeholder: "Goodwill credit" })) }
                    { ui::button(yew::props!(ui::ButtonProps { submit: true, busy: submit.busy(), class: "sm:mt-7", children: html! { { "Grant" } } })) }
                    if let Some(message) = errors.general() {
                        <div class="sm:col-span-3">{ ui::alert(yew::props!(ui::AlertProps { kind: AlertKind::Error, children: html! { { message } } })) }</div>
                    }
                </form>
            }
        </li>
    }
}

const GRANT_FIELDS: &[&str] = &["amount", "reason"];
