//! The keys page: the create-key form's rate limit, refused in place by the shared rule (no
//! request sent) and sent once valid; the list shows each key's rate limit and today's spend.

use chrono::{TimeZone, Utc};
use frontend::{pages::Keys, store};
use shared::dto::{ApiKey, CreatedKey, Scope};
use wasm_bindgen_test::wasm_bindgen_test;

use super::support::{
    api_key, button, fake_create_api, fake_fetch, fetch_calls, find, focused, mount, sent_body,
    settle, text, token, type_into,
};

fn created() -> CreatedKey {
    CreatedKey {
        id: 9,
        name: "ci".into(),
        prefix: "sk_abcdefghi".into(),
        key: "sk_abcdefghi_secret".into(),
        scopes: Scope::ALL.to_vec(),
        expires_at: None,
        spend_limit_daily: None,
        spend_limit_monthly: None,
        rate_limit_per_minute: Some(60),
        created_at: Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap(),
    }
}

#[wasm_bindgen_test]
async fn the_rate_limit_is_refused_in_place_and_sent_once_valid() {
    fake_create_api(&serde_json::to_string(&created()).unwrap());
    store::signed_in(token("t", 0));
    let root = mount::<Keys>(()).await;
    assert_eq!(
        text(&find(&root, "label[for=rate_limit_per_minute]")).trim(),
        "Requests per minute"
    );

    type_into(&root, "name", "ci");
    type_into(&root, "rate_limit_per_minute", "0");
    button(&root, "Create key").click();
    settle().await;

    let field = find(&root, "#rate_limit_per_minute");
    assert_eq!(field.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(
        text(&find(&root, "#rate_limit_per_minute-error")).trim(),
        "Rate_limit_per_minute must be between 1 and 1000000"
    );
    let focused = focused();
    assert_eq!(focused.id(), "rate_limit_per_minute", "focus goes to it");
    assert_eq!(fetch_calls(), ["GET /api/keys?limit=20 Bearer t"]);

    type_into(&root, "rate_limit_per_minute", "60");
    button(&root, "Create key").click();
    settle().await;

    assert_eq!(
        fetch_calls()[1..2],
        ["POST /api/keys Bearer t"],
        "{:?}",
        fetch_calls()
    );
    assert_eq!(sent_body()["rate_limit_per_minute"], 60);
    assert!(
        root.query_selector("#rate_limit_per_minute-error")
            .unwrap()
            .is_none()
    );
}

fn listed(id: i64, name: &str) -> ApiKey {
    api_key(id, name, "sk_abcdefghi")
}

#[wasm_bindgen_test]
async fn the_list_shows_rate_limits_and_what_every_key_spent_today() {
    let keys = [
        ApiKey {
            spend_limit_daily: Some(10),
            spend_limit_monthly: Some(1000),
            rate_limit_per_minute: Some(60),
            spent_today: 3,
            spent_this_month: 1234,
            ..listed(3, "limited")
        },
        ApiKey {
            rate_limit_per_minute: Some(1),
            spent_today: 5,
            spent_this_month: 40,
            ..listed(2, "slow")
        },
        listed(1, "open"),
    ];
    let answer = serde_json::to_string(&keys).unwrap();
    fake_fetch(&format!("() => [200, JSON.stringify({answer})]"));
    store::signed_in(token("t", 0));
    let root = mount::<Keys>(()).await;

    let row = |name: &str| {
        let rows = root.query_selector_all("[data-testid=key-row]").unwrap();
        (0..rows.length())
            .filter_map(|i| rows.item(i))
            .map(|r| r.text_content().unwrap_or_default())
            .find(|t| t.contains(name))
            .unwrap_or_else(|| panic!("no row {name}"))
    };
    let limited = row("limited");
    for shown in [
        "Today 3 of 10",
        "This month 1,234 of 1,000",
        "60 requests/min",
    ] {
        assert!(limited.contains(shown), "{shown}: {limited}");
    }
    // Without a limit: today's spend all the same, the month's left out.
    let slow = row("slow");
    assert!(slow.contains("Today 5 spent"), "{slow}");
    assert!(slow.contains("1 request/min"), "{slow}");
    assert!(!slow.contains("This month"), "{slow}");
    let open = row("open");
    assert!(open.contains("Today 0 spent"), "{open}");
    assert!(!open.contains("/min"), "{open}");
}
