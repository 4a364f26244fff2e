//! Helpers: a user and a token, rendering a component into the page, typing and clicking the
//! way a browser does (events that bubble), and a fake `fetch`.

use chrono::{TimeZone, Utc};
use shared::dto::{Role, TokenResponse, User};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlElement, HtmlInputElement};
use yew::{BaseComponent, platform::time::sleep};

pub fn user(credits: i64) -> User {
    User {
        id: 7,
        email: "ada@example.com".into(),
        email_verified: true,
        role: Role::User,
        credits,
        is_active: true,
        created_at: Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap(),
    }
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

/// Types `value` into the input with id `id`, firing the `input` event Yew listens to.
pub fn type_into(root: &Element, id: &str, value: &str) {
    let input: HtmlInputElement = find(root, &format!("#{id}")).dyn_into().unwrap();
    input.set_value(value);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event =
        web_sys::InputEvent::new_with_event_init_dict("input", &init.unchecked_into()).unwrap();
    input.dispatch_event(&event).unwrap();
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

pub fn text(root: &Element) -> String {
    root.text_content().unwrap_or_default()
}

/// Replaces `window.fetch` with `handler(method, path, authorization, body) -> [status, body]`
/// written in JavaScript, and records every call in `window.__calls`.
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
            const [status, out] = handler(request.method, path, auth, body);
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
