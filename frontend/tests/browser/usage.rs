//! The dashboard's usage by key: a role that manages keys picks one in the "Key" select and the
//! chart loads that key's usage (`key_id`), or all of it again; a role that does not sees the
//! chart as before, and no key list is asked for.

use frontend::{pages::Dashboard, store};
use shared::dto::OrgRole;
use wasm_bindgen_test::wasm_bindgen_test;
use yew::html;

use super::support::{
    api_key, choose, fake_fetch, fetch_calls, find, mount_routed, select_state, settle, text,
    token, token_in_acme,
};

/// The dashboard's API: two keys; one day of usage, 9 credits spent by all keys and 4 by key 7
/// (bought only without a key).
fn serve_dashboard() {
    let keys = serde_json::to_string(&[
        api_key(7, "nightly", "sk_nightly1"),
        api_key(5, "ci", "sk_ci12345"),
    ])
    .unwrap();
    fake_fetch(&format!(
        r#"(method, path) => {{
            const day = (spent, purchased) => JSON.stringify([{{ date: "2026-11-23", spent, purchased }}]);
            if (path.startsWith("/api/keys")) return [200, JSON.stringify({keys})];
            if (path === "/api/credits") return [200, '{{"credits":5}}'];
            if (path.startsWith("/api/credits/usage")) {{
                return [200, path.includes("key_id=7") ? day(4, 0) : day(9, 100)];
            }}
            return [200, '[]'];
        }}"#
    ));
}

fn calls_to(prefix: &str) -> Vec<String> {
    fetch_calls()
        .into_iter()
        .filter(|c| c.starts_with(prefix))
        .collect()
}

#[wasm_bindgen_test]
async fn choosing_a_key_shows_its_usage_and_all_keys_shows_everything_again() {
    serve_dashboard();
    store::signed_in(token("t", 5));
    let root = mount_routed(html! { <Dashboard /> }).await;
    let spent = || text(&find(&root, "[data-testid=usage-spent]"));

    assert_eq!(text(&find(&root, "label[for=usage-key]")), "Key");
    assert_eq!(
        select_state(&root, "usage-key"),
        (
            String::new(),
            vec![
                "All keys".to_owned(),
                "nightly (sk_nightly1…)".to_owned(),
                "ci (sk_ci12345…)".to_owned()
            ]
        )
    );
    assert_eq!(
        calls_to("GET /api/keys"),
        ["GET /api/keys?limit=200 Bearer t"]
    );
    assert_eq!(spent(), "9");

    choose(&root, "usage-key", "7");
    settle().await;
    assert_eq!(spent(), "4");
    assert_eq!(text(&find(&root, "[data-testid=usage-bought]")), "0");

    choose(&root, "usage-key", "");
    settle().await;
    assert_eq!(spent(), "9");
    assert_eq!(
        calls_to("GET /api/credits/usage"),
        [
            "GET /api/credits/usage?days=30 Bearer t",
            "GET /api/credits/usage?days=30&key_id=7 Bearer t",
            "GET /api/credits/usage?days=30 Bearer t",
        ]
    );
    assert_eq!(select_state(&root, "usage-key").0, "");
}

#[wasm_bindgen_test]
async fn a_role_without_keys_sees_all_usage_and_asks_for_no_keys() {
    serve_dashboard();
    store::signed_in(token_in_acme("t", OrgRole::Billing, 5));
    let root = mount_routed(html! { <Dashboard /> }).await;

    assert_eq!(text(&find(&root, "[data-testid=usage-spent]")), "9");
    assert!(root.query_selector("#usage-key").unwrap().is_none());
    assert_eq!(
        calls_to("GET /api/credits/usage"),
        ["GET /api/credits/usage?days=30 Bearer t"]
    );
    assert!(calls_to("GET /api/keys").is_empty(), "{:?}", fetch_calls());
}
