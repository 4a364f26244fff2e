//! /keys: create an API key (shown once, with a ready curl line), list and revoke keys.

use chrono::{DateTime, Utc};
use shared::dto::{ApiKey, CreatedKey, ErrorCode, PageQuery, Permission, RotateKeyRequest, Scope};
use yew::prelude::*;

use crate::{
    api,
    api::ApiError,
    components::{
        self,
        ui::{self, AlertKind, ButtonKind, CopyButton, FieldKind, Select},
    },
    format, forms,
    forms::{FormErrors, NewKey},
    hooks::{
        use_effect_on, use_focus_first_invalid, use_input, use_pages, use_session, use_submit,
        use_title, use_value,
    },
};

/// Keys per page.
const PAGE: i64 = 20;

#[function_component(Keys)]
pub fn keys() -> Html {
    use_title("API keys");
    let session = use_session();
    let Some(org) = session.organization() else {
        return html! {};
    };
    html! {
        <div class="space-y-6">
            { ui::page_header(yew::props!(ui::PageHeaderProps { title: "API keys", context: format::organization(org), children: html! { <>{ "Keys let your scripts call paid routes with an " }
                <code class="rounded bg-slate-100 px-1 py-0.5 text-xs">{ "X-API-Key" }</code>
                { " header, spending the organization's credits. They cannot create keys, buy credits or change an account." }</> } })) }
            if session.can(Permission::ManageKeys) {
                <KeyManager />
            } else {
                { ui::alert(yew::props!(ui::AlertProps { kind: AlertKind::Info, children: html! { { format!("Your role in {} does not manage API keys: ask one of its owners or admins.", org.name) } } })) }
            }
        </div>
    }
}

/// Creating a key, and the organisation's keys.
#[function_component(KeyManager)]
fn key_manager() -> Html {
    // Changes when a key is created or revoked, to list again from the newest.
    let version = use_value(0u32);
    let pages = use_pages(*version, PAGE, PAGE, |limit, before| {
        api::keys(PageQuery {
            limit: Some(limit),
            before,
        })
    });
    let reload = {
        let version = version.clone();
        Callback::from(move |()| version.set(version.wrapping_add(1)))
    };
    let created = use_value(None::<CreatedKey>);
    let on_created = {
        let (created, reload) = (created.clone(), reload.clone());
        Callback::from(move |key: CreatedKey| {
            created.set(Some(key));
            reload.emit(());
        })
    };
    let list = components::paged_list(
        &pages,
        components::ListText {
            loading: "Loading keys…",
            empty: "No keys yet. Create one above to call the API from a script.",
            more: "Show more",
        },
        |keys| key_list(keys, &reload, &on_created),
    );
    html! {
        <>
            { ui::card(yew::props!(ui::CardProps { id: "create-key", title: "Create a key", children: html! { <><CreateKeyForm on_created={on_created} />
                if let Some(key) = created.as_ref() {
                    { new_key(key) }
                }</> } })) }
            { ui::card(yew::props!(ui::CardProps { id: "key-list", title: "The organization's keys", children: html! { { list } } })) }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct CreateKeyFormProps {
    on_created: Callback<CreatedKey>,
}

/// The name, scopes, lifetime and limits, and the password once the server asks for it again (a
/// sign-in over ten minutes old: a key outlives the session that makes it).
/// What a scope lets a key do, beside its checkbox: a new scope fails to compile until it is
/// described here.
fn scope_hint(scope: Scope) -> &'static str {
    match scope {
        Scope::PaidCall => "call paid routes, spending credits",
        Scope::CreditsRead => "read the balance, ledger and usage",
        Scope::TasksRead => "read tasks and their files",
        Scope::TasksWrite => "create, change and delete tasks and their files",
    }
}

#[function_component(CreateKeyForm)]
fn create_key_form(props: &CreateKeyFormProps) -> Html {
    let name = use_input();
    let password = use_input();
    let scopes = use_value(Scope::ALL.to_vec());
    let lifetime = use_value(AttrValue::default());
    let daily = use_input();
    let monthly = use_input();
    let per_minute = use_input();
    let asked = use_value(false);
    let submit = use_submit(
        (
            name.clone(),
            password.clone(),
            asked.clone(),
            props.on_created.clone(),
        ),
        |(name, password, asked, on_created), request| async move {
            let key = api::create_key(&request).await.map_err(|mut e| {
                match e.code {
                    ErrorCode::ReauthenticationRequired => {
                        asked.set(true);
                        e.field = Some("password".to_owned());
                    }
                    ErrorCode::InvalidCredentials => e = e.at_password_field("password"),
                    _ => return FormErrors::from_api(&e, FIELDS),
                }
                FormErrors::from_api(&e, FIELDS)
            })?;
            name.clear();
            password.clear();
            asked.set(false);
            on_created.emit(key);
            Ok(())
        },
    );
    let errors: FormErrors = submit.error().cloned().unwrap_or_default();
    let form = use_focus_first_invalid(errors.clone());
    let onsubmit = {
        let (name, password, asked) = (name.clone(), password.clone(), asked.clone());
        let (scopes, lifetime) = (scopes.clone(), lifetime.clone());
        let (daily, monthly, per_minute) = (daily.clone(), monthly.clone(), per_minute.clone());
        submit.onsubmit(move || {
            forms::create_key(&NewKey {
                name: &name,
                scopes: &scopes,
                expires_in_days: &lifetime,
                spend_limit_daily: &daily,
                spend_limit_monthly: &monthly,
                rate_limit_per_minute: &per_minute,
                password: asked.then_some(&*password),
            })
        })
    };
    let scope_box = |scope: Scope| {
        let what = scope_hint(scope);
        let checked = scopes.contains(&scope);
        let onchange = {
            let scopes = scopes.clone();
            Callback::from(move |on: bool| {
                let others = scopes.iter().copied().filter(|s| *s != scope);
                scopes.set(others.chain(on.then_some(scope)).collect());
            })
        };
        let id = format!("scope-{}", scope.as_str().replace(':', "-"));
        let label = format!("{}: {what}", scope.as_str());
        ui::checkbox(yew::props!(ui::CheckboxProps {
            id,
            label,
            checked,
            onchange
        }))
    };
    let pick_lifetime = {
        let lifetime = lifetime.clone();
        Callback::from(move |days: String| lifetime.set(AttrValue::from(days)))
    };
    html! {
        <form ref={form} {onsubmit} novalidate=true class="flex flex-col gap-4">
            <div class="flex flex-col gap-3 sm:flex-row sm:flex-wrap sm:items-start">
                { ui::field(yew::props!(ui::FieldProps { id: "name", label: "Key name", class: "sm:w-80", placeholder: "e.g. nightly-report", value: name.value(), oninput: name.oninput(), error: errors.field("name"), hint: "A label to recognise it by, up to 64 characters." })) }
                <Select id="expires_in_days" label="Expires" options={lifetimes()} value={(*lifetime).clone()} onchange={pick_lifetime} class="sm:w-44" />
                { ui::field(yew::props!(ui::FieldProps { id: "spend_limit_daily", label: "Daily limit", kind: FieldKind::Number, class: "sm:w-36", placeholder: "No limit", value: daily.value(), oninput: daily.oninput(), error: errors.field("spend_limit_daily") })) }
                { ui::field(yew::props!(ui::FieldProps { id: "spend_limit_monthly", label: "Monthly limit", kind: FieldKind::Number, class: "sm:w-36", placeholder: "No limit", value: monthly.value(), oninput: monthly.oninput(), error: errors.field("spend_limit_monthly") })) }
                { ui::field(yew::props!(ui::FieldProps { id: "rate_limit_per_minute", label: "Requests per minute", kind: FieldKind::Number, class: "sm:w-44", placeholder: "No limit", value: per_minute.value(), oninput: per_minute.oninput(), error: errors.field("rate_limit_per_minute") })) }
            </div>
            <fieldset id="scopes" class="space-y-2">
                <legend class="mb-1.5 text-sm font-medium text-slate-800">{ "Scopes" }</legend>
                { for Scope::ALL.into_iter().map(scope_box) }
                if let Some(e) = errors.field("scopes") {
                    <p role="alert" class="text-sm text-red-700">{ e }</p>
                }
            </fieldset>
            if *asked {
                { ui::field(yew::props!(ui::FieldProps { id: "password", label: "Your password", kind: FieldKind::Password, class: "sm:w-80", autocomplete: "current-password", value: password.value(), oninput: password.oninput(), error: errors.field("password"), hint: "You signed in a while ago: confirm it is you before making a key." })) }
            }
            { ui::button(yew::props!(ui::ButtonProps { submit: true, busy: submit.busy(), class: "self-start", children: html! { { "Create key" } } })) }
            if let Some(message) = errors.general() {
                { ui::alert(yew::props!(ui::AlertProps { kind: AlertKind::Error, children: html! { { message } } })) }
            }
        </form>
    }
}

/// The lifetimes offered, as (days, text); empty: the key never expires.
fn lifetimes() -> Vec<(AttrValue, AttrValue)> {
    ui::static_options(&[
        ("", "Never"),
        ("7", "In 7 days"),
        ("30", "In 30 days"),
        ("90", "In 90 days"),
        ("365", "In a year"),
    ])
}

/// The fields an API error can name here (any other error shows above the form).
const FIELDS: &[&str] = &[
    "name",
    "password",
    "scopes",
    "spend_limit_daily",
    "spend_limit_monthly",
    "rate_limit_per_minute",
];

/// The key, once: copy it now, it is never shown again. With a curl line for this very site.
fn new_key(created: &CreatedKey) -> Html {
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    // A call the key may make: a paid one, else reading the balance.
    let curl = if created.scopes.contains(&Scope::PaidCall) {
        format!(
            "curl -s {origin}/api/generate-text -H 'X-API-Key: {}' -H 'Content-Type: application/json' -d '{{\"prompt\":\"Hello\"}}'",
            created.key
        )
    } else {
        format!(
            "curl -s {origin}/api/credits -H 'X-API-Key: {}'",
            created.key
        )
    };
    html! {
        <div role="status" class="mt-5 space-y-4 rounded-lg border border-amber-200 bg-amber-50 p-4">
            <div>
                <p class="text-sm font-semibold text-amber-900">
                    { format!("Your new key “{}”. Copy it now: it will not be shown again.", created.name) }
                </p>
                <div class="mt-2 flex flex-wrap items-center gap-2">
                    <code data-testid="new-api-key"
                        class="break-all rounded-md bg-white px-2.5 py-1.5 font-mono text-sm text-slate-900 ring-1 ring-inset ring-amber-200">
                        { &created.key }
                    </code>
                    <CopyButton text={created.key.clone()} label="Copy key" />
                </div>
            </div>
            <div>
                <p class="text-sm font-medium text-amber-900">{ "Try it:" }</p>
                <pre data-testid="curl-command"
                    class="mt-1 overflow-x-auto whitespace-pre-wrap break-all rounded-md bg-slate-900 p-3 font-mono text-xs text-slate-100">{ &curl }</pre>
                <div class="mt-2"><CopyButton text={curl.clone()} label="Copy command" /></div>
            </div>
        </div>
    }
}

/// `on_revoked` hears a revocation, `on_rotated` the new key of a rotation.
fn key_list(keys: &[ApiKey], on_revoked: &Callback<()>, on_rotated: &Callback<CreatedKey>) -> Html {
    html! {
        <ul class="divide-y divide-slate-100" data-testid="key-list">
            { for keys.iter().map(|key| html! {
                <KeyRow key={key.id.to_string()} api_key={key.clone()} on_revoked={on_revoked.clone()} on_rotated={on_rotated.clone()} />
            }) }
        </ul>
    }
}

#[derive(Properties, PartialEq)]
struct KeyRowProps {
    api_key: ApiKey,
    on_revoked: Callback<()>,
    on_rotated: Callback<CreatedKey>,
}

/// What a row asks to confirm, in place, before anything happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Confirming {
    Revoke,
    /// A new secret; the old one works for the grace period chosen.
    Rotate,
}

/// One key: "Rotate" and "Revoke", each confirmed in place.
#[function_component(KeyRow)]
fn key_row(props: &KeyRowProps) -> Html {
    let confirming = use_value(None::<Confirming>);
    let grace = use_value(AttrValue::Static("3600"));
    let password = use_input();
    let asked = use_value(false);
    let revoke = use_submit(
        (props.api_key.id, props.on_revoked.clone()),
        |(id, on_revoked), ()| async move {
            api::revoke_key(id).await?;
            on_revoked.emit(());
            Ok::<_, ApiError>(())
        },
    );
    let rotate = use_submit(
        (
            props.api_key.id,
            props.on_rotated.clone(),
            (asked.clone(), confirming.clone()),
        ),
        |(id, on_rotated, (asked, confirming)), request: RotateKeyRequest| async move {
            let key = api::rotate_key(id, &request).await.inspect_err(|e| {
                // A sign-in over ten minutes old: the password, then "Yes, rotate" again.
                if e.code == ErrorCode::ReauthenticationRequired {
                    asked.set(true);
                }
            })?;
            // The row stays (the old secret works through its grace period): close its question.
            confirming.set(None);
            on_rotated.emit(key);
            Ok::<_, ApiError>(())
        },
    );
    let confirm_ref = use_node_ref();
    {
        // Move focus to the confirmation, so a keyboard user answers it next.
        let confirm_ref = confirm_ref.clone();
        use_effect_on(
            *confirming,
            Box::new(move |confirming: &Option<Confirming>| {
                if confirming.is_some()
                    && let Some(button) = confirm_ref.cast::<web_sys::HtmlElement>()
                {
                    let _ = button.focus();
                }
            }),
        );
    }
    let key = &props.api_key;
    let ask = |what: Option<Confirming>| {
        let confirming = confirming.clone();
        Callback::from(move |_| confirming.set(what))
    };
    let send_rotation = {
        let (grace, password, asked) = (grace.clone(), password.clone(), asked.clone());
        rotate.reform(move |_| RotateKeyRequest {
            grace_seconds: grace.parse().unwrap_or(0),
            password: asked.then(|| password.to_string()),
        })
    };
    let pick_grace = {
        let grace = grace.clone();
        Callback::from(move |seconds: String| grace.set(AttrValue::from(seconds)))
    };
    let last_used = key
        .last_used_at
        .as_ref()
        .map(format::datetime)
        .unwrap_or_else(|| "never".to_owned());
    let name_id = AttrValue::from(format!("key-{}-name", key.id));
    let busy = revoke.busy() || rotate.busy();
    html! {
        <li class="flex flex-col gap-3 py-4 sm:flex-row sm:items-center sm:justify-between" data-testid="key-row">
            <div class="min-w-0">
                <p id={name_id.clone()} class="truncate font-medium text-slate-900">{ &key.name }</p>
                <p class="mt-0.5 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-500">
                    <span><span class="sr-only">{ "Prefix: " }</span>
                        <code class="rounded bg-slate-100 px-1 py-0.5 font-mono text-slate-700">{ format!("{}…", key.prefix) }</code></span>
                    <span>{ key.scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" · ") }</span>
                    <span>{ format!("Created {}", format::date(&key.created_at)) }</span>
                    <span>{ format!("Last used {last_used}") }</span>
                    // Today's spend for every key (the API counts it for all); the month's only
                    // against a monthly limit, to keep the row short.
                    <span>{ match key.spend_limit_daily {
                        Some(limit) => format!("Today {} of {}", format::int(key.spent_today), format::int(limit)),
                        None => format!("Today {} spent", format::int(key.spent_today)),
                    } }</span>
                    if let Some(limit) = key.spend_limit_monthly {
                        <span>{ format!("This month {} of {}", format::int(key.spent_this_month), format::int(limit)) }</span>
                    }
                    if let Some(rate) = key.rate_limit_per_minute {
                        <span>{ format!("{} {}/min", format::int(rate), if rate == 1 { "request" } else { "requests" }) }</span>
                    }
                    if key.replaced_by.is_some() {
                        <span class="font-medium text-amber-800">{ "Rotated" }</span>
                    }
                    { expiry(key.expires_at.as_ref()) }
                </p>
                if let Some(e) = revoke.error().or(rotate.error()) {
                    <p role="alert" class="mt-1 text-sm text-red-700">{ e.to_string() }</p>
                }
            </div>
            <div class="flex flex-wrap items-end gap-2">
                if *confirming == Some(Confirming::Rotate) {
                    <Select id={format!("key-{}-grace", key.id)} label="Old key works" options={graces()} value={(*grace).clone()} onchange={pick_grace} class="w-36" />
                    if *asked {
                        { ui::field(yew::props!(ui::FieldProps { id: format!("key-{}-password", key.id), label: "Your password", kind: FieldKind::Password, class: "w-44", autocomplete: "current-password", value: password.value(), oninput: password.oninput() })) }
                    }
                    { ui::button(yew::props!(ui::ButtonProps { node_ref: confirm_ref, busy, onclick: send_rotation, describedby: name_id.clone(), children: html! { { "Yes, rotate" } } })) }
                } else if *confirming == Some(Confirming::Revoke) {
                    <span class="text-sm text-slate-700">{ "Scripts using it stop working at once." }</span>
                    { ui::button(yew::props!(ui::ButtonProps { kind: ButtonKind::Danger, node_ref: confirm_ref, busy, onclick: revoke.reform(|_| ()), describedby: name_id.clone(), children: html! { { "Yes, revoke" } } })) }
                } else {
                    if key.replaced_by.is_none() {
                        { ui::button(yew::props!(ui::ButtonProps { kind: ButtonKind::Secondary, onclick: ask(Some(Confirming::Rotate)), describedby: name_id.clone(), children: html! { { "Rotate" } } })) }
                    }
                    { ui::button(yew::props!(ui::ButtonProps { kind: ButtonKind::Secondary, onclick: ask(Some(Confirming::Revoke)), describedby: name_id, children: html! { { "Revoke" } } })) }
                }
                if confirming.is_some() {
                    { ui::button(yew::props!(ui::ButtonProps { kind: ButtonKind::Ghost, onclick: ask(None), disabled: busy, children: html! { { "Cancel" } } })) }
                }
            </div>
        </li>
    }
}

/// How long the old secret of a rotated key keeps working, as (seconds, text).
fn graces() -> Vec<(AttrValue, AttrValue)> {
    ui::static_options(&[
        ("0", "Not at all"),
        ("3600", "1 hour"),
        ("86400", "1 day"),
        ("604800", "7 days"),
    ])
}

/// When the key stops working: a warning in its last week, and once it has.
fn expiry(at: Option<&DateTime<Utc>>) -> Html {
    let Some(at) = at else {
        return html! { <span>{ "Never expires" }</span> };
    };
    let left = at.timestamp_millis() - js_sys::Date::now() as i64;
    // Whole days left, rounded up: "in 1 day" until the last millisecond.
    let days = (left + 86_399_999).div_euclid(86_400_000);
    let (text, look) = if left <= 0 {
        (
            format!("Expired {}", format::date(at)),
            "font-medium text-red-700",
        )
    } else if days <= 7 {
        let when = if days <= 1 {
            "within a day".to_owned()
        } else {
            format!("in {days} days")
        };
        (
            format!("Expires {when}, {}", format::date(at)),
            "font-medium text-amber-800",
        )
    } else {
        (format!("Expires {}", format::date(at)), "")
    };
    html! { <span class={look} data-testid="key-expiry">{ text }</span> }
}
