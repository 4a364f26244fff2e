//! The demo paid route: a prompt in, generated text out, 1 credit per call.

use crate::components::ui;
use crate::hooks::use_value;
use shared::dto::GenerateTextResponse;
use yew::prelude::*;

use super::ui::{AlertKind, FieldKind};
use crate::{
    api, format, forms,
    forms::FormErrors,
    hooks::{use_focus_first_invalid, use_input, use_submit},
};

#[derive(Properties, PartialEq)]
pub struct GenerateFormProps {
    /// Called after a successful (charged) call.
    pub on_generated: Callback<()>,
}

#[function_component(GenerateForm)]
pub fn generate_form(props: &GenerateFormProps) -> Html {
    let prompt = use_input();
    let result = use_value(None::<GenerateTextResponse>);
    let submit = use_submit(
        (result.clone(), props.on_generated.clone()),
        |(result, on_generated), request| async move {
            let response = api::generate_text(&request)
                .await
                .map_err(|e| FormErrors::from_api(&e, &["prompt"]))?;
            result.set(Some(response));
            on_generated.emit(());
            Ok(())
        },
    );
    let errors: FormErrors = submit.error().cloned().unwrap_or_default();
    let form = use_focus_first_invalid(errors.clone());
    let onsubmit = {
        let prompt = prompt.clone();
        submit.onsubmit(move || forms::generate_text(&prompt))
    };

    html! {
        <div class="space-y-4">
            <form ref={form} {onsubmit} novalidate=true class="space-y-3">
                { ui::field(yew::props!(ui::FieldProps { id: "prompt", label: "Prompt", kind: FieldKind::TextArea, rows: 3, placeholder: "Write a tagline for a bakery that only sells croissants", value: prompt.value(), oninput: prompt.oninput(), error: errors.field("prompt"), hint: "Each call costs 1 credit." })) }
                if let Some(message) = errors.general() {
                    { ui::alert(yew::props!(ui::AlertProps { kind: AlertKind::Error, children: html! { { message } } })) }
                }
                { ui::button(yew::props!(ui::ButtonProps { submit: true, busy: submit.busy(), children: html! { { "Generate" } } })) }
            </form>
            if let Some(response) = result.as_ref() {
                <div role="status" class="rounded-lg bg-slate-50 p-4 ring-1 ring-inset ring-slate-200">
                    <p class="text-xs font-semibold uppercase tracking-wide text-slate-500">{ "Result" }</p>
                    <p data-testid="generated-text" class="mt-1 whitespace-pre-wrap text-sm text-slate-900">
                        { &response.generated_text }
                    </p>
                    <p class="mt-2 text-xs text-slate-500">
                        { format!("1 credit spent · {} left", format::int(response.credits)) }
                    </p>
                </div>
            }
        </div>
    }
}
