//! Helpers: a user and a token, rendering a component into the page (in a router, for pages
//! with links), typing, choosing and clicking the way a browser does (events that bubble), and a
//! fake `fetch`.

use std::ops::Deref;

use chrono::{TimeZone, Utc};
use shared::dto::{ActiveOrganization, ApiKey, OrgRole, Role, Scope, TokenResponse, User};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::{
    AppHandle, BaseComponent, Html, Properties, function_component, html, platform::time::sleep,
};
use yew_router::BrowserRouter;

pub fn user(credits: i64) -> User {
    User {
        id: 7,
        email: "ada@example.com".into(),
        email_verified: true,
        has_password: true,
        role: Role::User,
        credits,
        is_active: true,
        created_at: Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap(),
        organization: personal_org(),
    }
}

/// A listed key with every scope and no limits, created 2026-11-23.
pub fn api_key(id: i64, name: &str, prefix: &str) -> ApiKey {
    ApiKey {
        id,
        name: name.into(),
        prefix: prefix.into(),
        scopes: Scope::ALL.to_vec(),
        expires_at: None,
        replaced_by: None,
        spend_limit_daily: None,
        spend_limit_monthly: None,
        rate_limit_per_minute: None,
        spent_today: 0,
        spent_this_month: 0,
        created_at: Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap(),
        last_used_at: None,
    }
}

/// The user's personal organisation (id 1), of which they are the owner.
pub fn personal_org() -> ActiveOrganization {
    ActiveOrganization {
        id: 1,
        name: "Ada".into(),
        personal: true,
        role: Some(OrgRole::Owner),
    }
}

/// A session acting in the organisation "Acme" (id 2) with `role`.
pub fn token_in_acme(access_token: &str, role: OrgRole, credits: i64) -> TokenResponse {
    let mut token = token(access_token, credits);
    token.user.organization = ActiveOrganization {
        id: 2,
        name: "Acme".into(),
        personal: false,
        role: Some(role),
    };
    token
}

pub fn token(access_token: &str, credits: i64) -> TokenResponse {
    TokenResponse {
        access_token: access_token.into(),
        token_type: "Bearer".into(),
        expires_in: 900,
        user: user(credits),
    }
}

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Renders `C` into a fresh element of the page and waits for the first render.
pub async fn render<C>(props: C::Properties) -> Element
where
    C: BaseComponent,
{
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<C>::with_root_and_props(root.clone(), props).render();
    settle().await;
    root
}

/// A component rendered by `mount`: unmounted and taken out of the page when dropped, so it stops
/// reacting to the session store and to navigation once its test is over. Derefs to its root.
pub struct Mounted<C: BaseComponent> {
    root: Element,
    handle: Option<AppHandle<C>>,
}

impl<C: BaseComponent> Deref for Mounted<C> {
    type Target = Element;

    fn deref(&self) -> &Element {
        &self.root
    }
}

impl<C: BaseComponent> Drop for Mounted<C> {
    fn drop(&mut self) {
        if let Some(handle) = self.handle.take() {
            handle.destroy();
        }
        self.root.remove();
    }
}

/// Like `render`, for a component that reads the session or the address: unmounted at the end of
/// the test.
pub async fn mount<C>(props: C::Properties) -> Mounted<C>
where
    C: BaseComponent,
{
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    let handle = yew::Renderer::<C>::with_root_and_props(root.clone(), props).render();
    settle().await;
    Mounted {
        root,
        handle: Some(handle),
    }
}

#[derive(Properties, PartialEq)]
pub struct RoutedProps {
    pub children: Html,
}

/// A page inside the browser router, as the app renders it (links, the address bar).
#[function_component(Routed)]
pub fn routed(props: &RoutedProps) -> Html {
    html! { <BrowserRouter>{ props.children.clone() }</BrowserRouter> }
}

/// Mounts `page` inside the browser router.
pub async fn mount_routed(page: Html) -> Mounted<Routed> {
    mount::<Routed>(RoutedProps { children: page }).await
}

/// Puts `path` (with its query) in the address bar without loading it; returns what was there.
pub fn set_address(path: &str) -> String {
    let window = web_sys::window().unwrap();
    let location = window.location();
    let before = format!(
        "{}{}",
        location.pathname().unwrap(),
        location.search().unwrap()
    );
    window
        .history()
        .unwrap()
        .replace_state_with_url(&JsValue::NULL, "", Some(path))
        .unwrap();
    before
}

/// The address bar's path and query.
pub fn address() -> String {
    let location = web_sys::window().unwrap().location();
    format!(
        "{}{}",
        location.pathname().unwrap(),
        location.search().unwrap()
    )
}

/// Lets Yew run its scheduled renders and effects.
pub async fn settle() {
    for _ in 0..3 {
        sleep(std::time::Duration::from_millis(10)).await;
    }
}

pub fn find(root: &Element, selector: &str) -> HtmlElement {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
        .dyn_into()
        .unwrap()
}

/// Types `value` into the input or text area with id `id`, firing the `input` event Yew listens
/// to.
pub fn type_into(root: &Element, id: &str, value: &str) {
    let input = find(root, &format!("#{id}"));
    match input.dyn_ref::<HtmlTextAreaElement>() {
        Some(area) => area.set_value(value),
        None => input
            .dyn_ref::<HtmlInputElement>()
            .unwrap()
            .set_value(value),
    }
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event =
        web_sys::InputEvent::new_with_event_init_dict("input", &init.unchecked_into()).unwrap();
    input.dispatch_event(&event).unwrap();
}

/// Chooses `value` in the select with id `id`, firing the `change` event Yew listens to.
pub fn choose(root: &Element, id: &str, value: &str) {
    let select: HtmlSelectElement = find(root, &format!("#{id}")).dyn_into().unwrap();
    select.set_value(value);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict("change", &init).unwrap();
    select.dispatch_event(&event).unwrap();
}

/// The value chosen in the select with id `id`, and the text of each of its options.
pub fn select_state(root: &Element, id: &str) -> (String, Vec<String>) {
    let select: HtmlSelectElement = find(root, &format!("#{id}")).dyn_into().unwrap();
    let options = select.query_selector_all("option").unwrap();
    let texts = (0..options.length())
        .filter_map(|i| options.item(i))
        .map(|o| o.text_content().unwrap_or_default())
        .collect();
    (select.value(), texts)
}

/// Whether a button whose text is exactly `label` is on the page.
pub fn has_button(root: &Element, label: &str) -> bool {
    let buttons = root.query_selector_all("button").unwrap();
    (0..buttons.length())
        .filter_map(|i| buttons.item(i))
        .any(|b| b.text_content().unwrap_or_default().trim() == label)
}

/// The button whose text is exactly `label`.
pub fn button(root: &Element, label: &str) -> HtmlElement {
    let buttons = root.query_selector_all("button").unwrap();
    (0..buttons.length())
        .filter_map(|i| buttons.item(i))
        .filter_map(|n| n.dyn_into::<HtmlElement>().ok())
        .find(|b| b.text_content().unwrap_or_default().trim() == label)
        .unwrap_or_else(|| panic!("no button {label:?}"))
}

/// The element that has the focus.
pub fn focused() -> Element {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
        .expect("an element has the focus")
}

pub fn text(root: &Element) -> String {
    root.text_content().unwrap_or_default()
}

/// Replaces `window.fetch` with `handler(method, path, authorization, body, headers) -> [status,
/// body]` written in JavaScript (`headers`: the request's `Headers`), and records every call in
/// `window.__calls`.
pub fn fake_fetch(handler_js: &str) {
    let install = js_sys::Function::new_no_args(&format!(
        r#"
        window.__calls = [];
        const handler = {handler_js};
        window.fetch = async (input, init) => {{
            const request = input instanceof Request ? input : new Request(input, init);
            const path = new URL(request.url).pathname + new URL(request.url).search;
            const auth = request.headers.get("authorization") || "";
            const body = await request.text();
            window.__calls.push(`${{request.method}} ${{path}} ${{auth}}`.trim());
            const [status, out] = handler(request.method, path, auth, body, request.headers);
            return new Response(status === 204 ? null : out, {{
                status, headers: {{ "content-type": "application/json" }}
            }});
        }};
        "#
    ));
    install.call0(&JsValue::NULL).unwrap();
}

/// The calls the fake `fetch` saw, as "METHOD /path Bearer token".
pub fn fetch_calls() -> Vec<String> {
    let calls = js_sys::Reflect::get(&web_sys::window().unwrap(), &"__calls".into()).unwrap();
    js_sys::Array::from(&calls)
        .iter()
        .map(|v| v.as_string().unwrap())
        .collect()
}

/// A fake API that creates: a POST is answered 201 with `created` (JSON), its body kept for
/// `sent_body`; any other call gets an empty list.
pub fn fake_create_api(created: &str) {
    fake_fetch(&format!(
        r#"(method, path, auth, body) => {{
            if (method === "POST") {{ window.__sent = body; return [201, JSON.stringify({created})]; }}
            return [200, '[]'];
        }}"#
    ));
}

/// A string the fake API kept in a window global (`__sent`, a header it saw), if any.
pub fn fake_global(name: &str) -> Option<String> {
    js_sys::Reflect::get(&web_sys::window().unwrap(), &name.into())
        .ok()
        .and_then(|v| v.as_string())
}

/// The JSON body the fake API last kept in `window.__sent`.
pub fn sent_body() -> serde_json::Value {
    serde_json::from_str(&fake_global("__sent").expect("a body was sent")).unwrap()
}
