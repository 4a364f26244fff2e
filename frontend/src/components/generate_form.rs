//! The demo paid route: a prompt in, generated text out, 1 credit per call.

use shared::dto::GenerateTextResponse;
use yew::{platform::spawn_local, prelude::*};

use super::{Alert, AlertKind, Button, Field, FieldKind, use_focus_first_invalid};
use crate::{api, format, forms, forms::FormErrors};

#[derive(Properties, PartialEq)]
pub struct GenerateFormProps {
    /// Called after a successful (charged) call.
    pub on_generated: Callback<()>,
}

#[function_component(GenerateForm)]
pub fn generate_form(props: &GenerateFormProps) -> Html {
    let prompt = use_state(String::new);
    let errors = use_state(FormErrors::default);
    let busy = use_state(|| false);
    let result = use_state(|| None::<GenerateTextResponse>);
    let form = use_node_ref();
    use_focus_first_invalid(form.clone(), (*errors).clone());

    let onsubmit = {
        let (prompt, errors, busy, result, on_generated) = (
            prompt.clone(),
            errors.clone(),
            busy.clone(),
            result.clone(),
            props.on_generated.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let request = match forms::generate_text(&prompt) {
                Ok(request) => request,
                Err(refused) => return errors.set(refused),
            };
            errors.set(FormErrors::default());
            busy.set(true);
            let (errors, busy, result, on_generated) = (
                errors.clone(),
                busy.clone(),
                result.clone(),
                on_generated.clone(),
            );
            spawn_local(async move {
                match api::generate_text(&request).await {
                    Ok(response) => {
                        result.set(Some(response));
                        on_generated.emit(());
                    }
                    Err(e) => errors.set(FormErrors::from_api(&e, &["prompt"])),
                }
                busy.set(false);
            });
        })
    };

    html! {
        <div class="space-y-4">
            <form ref={form} {onsubmit} novalidate=true class="space-y-3">
                <Field id="prompt" label="Prompt" kind={FieldKind::TextArea} rows={3}
                    placeholder="Write a tagline for a bakery that only sells croissants"
                    value={(*prompt).clone()}
                    oninput={Callback::from({ let prompt = prompt.clone(); move |v| prompt.set(v) })}
                    error={errors.field("prompt")} hint="Each call costs 1 credit." />
                if let Some(message) = errors.general() {
                    <Alert kind={AlertKind::Error}>{ message }</Alert>
                }
                <Button submit=true busy={*busy}>{ "Generate" }</Button>
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
