//! Long lists: the ledger, the API keys and the admin's user list ask for each next page with the
//! API's keyset cursor (`before`, from the shared query type), append it, and offer "Show more"
//! until a page comes back short.

use chrono::{TimeZone, Utc};
use frontend::{
    components::ledger::{Ledger, LedgerProps},
    pages::{Admin, Keys},
    store,
};
use serde::Serialize;
use shared::dto::{ApiKey, LedgerEntry, LedgerKind, User};
use wasm_bindgen_test::wasm_bindgen_test;
use yew::BaseComponent;

use super::support::{
    Mounted, api_key, button, fake_fetch, fetch_calls, find, mount, render, settle, text, token,
    user,
};

/// Ids `entries` (the newest) down to 1; each entry's balance after it equals its id.
fn ledger_of(entries: i64) -> Vec<LedgerEntry> {
    (1..=entries)
        .rev()
        .map(|id| LedgerEntry {
            id,
            delta: 1,
            kind: LedgerKind::Grant {
                note: format!("gift {id}"),
            },
            reason: format!("admin: gift {id}"),
            balance_after: id,
            created_at: Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap(),
        })
        .collect()
}

/// A list route as the API answers it: newest first, `limit` rows with ids below `before`.
fn serve_pages<T: Serialize>(rows: &[T]) {
    let all = serde_json::to_string(rows).unwrap();
    fake_fetch(&format!(
        r#"(method, path) => {{
            const url = new URL(path, location.origin);
            const limit = Number(url.searchParams.get("limit"));
            const before = url.searchParams.has("before") ? Number(url.searchParams.get("before")) : Infinity;
            return [200, JSON.stringify({all}.filter(e => e.id < before).slice(0, limit))];
        }}"#
    ));
}

#[wasm_bindgen_test]
async fn show_more_follows_the_cursor_down_to_the_oldest_entry() {
    serve_pages(&ledger_of(35));
    store::signed_in(token("t", 35));
    let root = render::<Ledger>(LedgerProps { version: 0 }).await;
    let rows = || {
        root.query_selector_all("[data-testid=ledger] tr")
            .unwrap()
            .length()
    };

    assert_eq!(rows(), 10);
    button(&root, "Show more").click();
    settle().await;
    assert_eq!(rows(), 30);
    button(&root, "Show more").click();
    settle().await;

    assert_eq!(rows(), 35, "every entry is on the page");
    let oldest_balance = find(&root, "[data-testid=ledger] tr:last-child td:last-child");
    assert_eq!(
        text(&oldest_balance),
        "1",
        "the oldest entry is the last row"
    );
    assert!(
        !text(&root).contains("Show more"),
        "a short page ends the list"
    );
    assert_eq!(
        fetch_calls(),
        [
            "GET /api/credits/ledger?limit=10 Bearer t",
            "GET /api/credits/ledger?limit=20&before=26 Bearer t",
            "GET /api/credits/ledger?limit=20&before=6 Bearer t",
        ]
    );
}

#[wasm_bindgen_test]
async fn the_admin_user_list_shows_more_with_the_cursor_too() {
    let users: Vec<User> = (1..=60)
        .rev()
        .map(|id| User {
            id,
            email: format!("user{id}@example.com"),
            ..user(0)
        })
        .collect();

    let root = show_more_once::<Admin, _>(
        &users,
        "[data-testid=admin-user-row]",
        50,
        // The organisation list loads beside it (its answer here is not organisations: that
        // card shows the error, and no "Show more").
        &[
            "GET /api/admin/users?limit=50 Bearer t",
            "GET /api/admin/orgs?limit=50 Bearer t",
            "GET /api/admin/users?limit=50&before=11 Bearer t",
        ],
    )
    .await;

    assert!(text(&root).contains("user1@example.com"));
}

#[wasm_bindgen_test]
async fn the_key_list_shows_more_with_the_cursor_too() {
    let keys: Vec<ApiKey> = (1..=25)
        .rev()
        .map(|id| api_key(id, &format!("key {id}"), "sk_abcdefghi"))
        .collect();

    let root = show_more_once::<Keys, _>(
        &keys,
        "[data-testid=key-row]",
        20,
        &[
            "GET /api/keys?limit=20 Bearer t",
            "GET /api/keys?limit=20&before=6 Bearer t",
        ],
    )
    .await;

    assert!(text(&root).contains("key 1"));
}

/// Renders the page `P` over `rows` (newest first) and checks that it shows `first` of them as
/// `row_selector`, then every one after one "Show more", which then goes away, having made
/// the requests `calls` (its first page, any other list of the page, the next page). The page is
/// unmounted once the caller is done with it.
async fn show_more_once<P, T>(
    rows: &[T],
    row_selector: &str,
    first: u32,
    calls: &[&str],
) -> Mounted<P>
where
    P: BaseComponent<Properties = ()>,
    T: Serialize,
{
    serve_pages(rows);
    store::signed_in(token("t", 0));
    let root = mount::<P>(()).await;
    let shown = || root.query_selector_all(row_selector).unwrap().length();
    assert_eq!(shown(), first);
    button(&root, "Show more").click();
    settle().await;

    assert_eq!(shown() as usize, rows.len());
    assert!(
        !text(&root).contains("Show more"),
        "a short page ends the list"
    );
    assert_eq!(fetch_calls(), calls);
    root
}
