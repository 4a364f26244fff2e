//! "Change email": the new address and the password; the change is made when the link sent to
//! the new address is followed (/confirm-email).

use crate::components::ui;
use crate::hooks::use_value;
use yew::prelude::*;

use super::ui::{AlertKind, FieldKind};
use crate::{
    api, forms,
    forms::FormErrors,
    hooks::{use_focus_first_invalid, use_input, use_submit},
};

#[derive(Properties, PartialEq)]
pub struct ChangeEmailFormProps {
    /// The address the account has now.
    pub current: AttrValue,
}

const FIELDS: &[&str] = &["new_email", "current_password"];

#[function_component(ChangeEmailForm)]
pub fn change_email_form(props: &ChangeEmailFormProps) -> Html {
    let new_email = use_input();
    let password = use_input();
    let sent = use_value(None::<String>);
    let submit = use_submit(
        (new_email.clone(), password.clone(), sent.clone()),
        |(new_email, password, sent), request| async move {
            sent.set(None);
            let accepted = api::change_email(&request).await.map_err(|e| {
                FormErrors::from_api(&e.at_password_field("current_password"), FIELDS)
            })?;
            new_email.clear();
            password.clear();
            sent.set(Some(accepted.message));
            Ok(())
        },
    );
    let errors: FormErrors = submit.error().cloned().unwrap_or_default();
    let form = use_focus_first_invalid(errors.clone());
    let onsubmit = {
        let (new_email, password, current) =
            (new_email.clone(), password.clone(), props.current.clone());
        submit.onsubmit(move || forms::change_email(&new_email, &password, &current))
    };
    html! {
        <form ref={form} {onsubmit} novalidate=true class="max-w-md space-y-4">
            { ui::field(yew::props!(ui::FieldProps { id: "new_email", label: "New email", kind: FieldKind::Email, autocomplete: "email", value: new_email.value(), oninput: new_email.oninput(), error: errors.field("new_email") })) }
            { ui::field(yew::props!(ui::FieldProps { id: "email_password", label: "Your password", kind: FieldKind::Password, autocomplete: "current-password", value: password.value(), oninput: password.oninput(), error: errors.field("current_password") })) }
            if let Some(message) = errors.general() {
                { ui::alert(yew::props!(ui::AlertProps { kind: AlertKind::Error, children: html! { { message } } })) }
            }
            if let Some(message) = sent.as_ref() {
                { ui::alert(yew::props!(ui::AlertProps { kind: AlertKind::Success, testid: "change-email-sent", children: html! { { message.clone() } } })) }
            }
            { ui::button(yew::props!(ui::ButtonProps { submit: true, busy: submit.busy(), children: html! { { "Change email" } } })) }
        </form>
    }
}
