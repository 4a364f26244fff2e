//! The tasks page against a fake API: the add form checks the shared rules before sending; the
//! status filter and "Load more" follow the API's query; an edit or a deletion sends the version
//! it was based on (`If-Match`), and a 412 shows the conflict with a way to load the other
//! version; deleting asks first; a billing member only reads.

use chrono::{NaiveDate, TimeZone, Utc};
use frontend::{pages::Tasks, store};
use shared::dto::{OrgRole, Task, TaskStatus};
use wasm_bindgen_test::wasm_bindgen_test;

use super::support::{
    button, choose, fake_create_api, fake_fetch, fake_global, fetch_calls, find, focused,
    has_button, mount, select_state, sent_body, settle, text, token, token_in_acme, type_into,
};

const CONFLICT: &str = "Someone changed this task; reload to see their version";
const STALE: &str = r#"'{"error":{"code":"precondition_failed","message":"this task was changed since you read it"}}'"#;

fn task(id: i64, title: &str, version: i64) -> Task {
    let at = Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap();
    Task {
        id,
        title: title.into(),
        description: String::new(),
        status: TaskStatus::Todo,
        due_date: None,
        version,
        created_by: Some(7),
        created_at: at,
        updated_at: at,
    }
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap()
}

fn input_value(root: &web_sys::Element, id: &str) -> String {
    use wasm_bindgen::JsCast;
    find(root, &format!("#{id}"))
        .dyn_into::<web_sys::HtmlInputElement>()
        .unwrap()
        .value()
}

#[wasm_bindgen_test]
async fn a_new_task_is_refused_in_place_then_sent_whole() {
    fake_create_api(&json(&task(1, "Ship it", 1)));
    store::signed_in(token("t", 0));
    let root = mount::<Tasks>(()).await;
    for (id, label) in [
        ("title", "Title"),
        ("description", "Description"),
        ("status", "Status"),
        ("due_date", "Due date"),
    ] {
        assert_eq!(
            text(&find(&root, &format!("label[for={id}]"))).trim(),
            label
        );
    }
    assert_eq!(
        find(&root, "#due_date").get_attribute("type").as_deref(),
        Some("date")
    );

    button(&root, "Add task").click();
    settle().await;
    assert_eq!(
        text(&find(&root, "#title-error")).trim(),
        "Title is required"
    );
    assert_eq!(focused().id(), "title", "focus goes to it");
    assert_eq!(fetch_calls(), ["GET /api/tasks?limit=20 Bearer t"]);

    type_into(&root, "title", "  Ship it ");
    type_into(&root, "description", "Tag, build,\npublish");
    choose(&root, "status", "doing");
    type_into(&root, "due_date", "2026-12-31");
    button(&root, "Add task").click();
    settle().await;

    assert_eq!(
        fetch_calls()[1..],
        [
            "POST /api/tasks Bearer t",
            "GET /api/tasks?limit=20 Bearer t"
        ],
        "sent, then the list from the newest"
    );
    assert_eq!(
        sent_body(),
        serde_json::json!({
            "title": "Ship it",
            "description": "Tag, build,\npublish",
            "status": "doing",
            "due_date": "2026-12-31",
        })
    );
    assert_eq!(input_value(&root, "title"), "", "the form is emptied");
    assert!(root.query_selector("#title-error").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn the_status_filter_and_load_more_ask_the_api() {
    // Ids 25 down to 1, every fifth one done, the newest due on Dec 31, 2026.
    let tasks: Vec<Task> = (1..=25)
        .rev()
        .map(|id| Task {
            status: if id % 5 == 0 {
                TaskStatus::Done
            } else {
                TaskStatus::Todo
            },
            due_date: (id == 25).then(|| NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()),
            ..task(id, &format!("task {id}"), 1)
        })
        .collect();
    let all = json(&tasks);
    fake_fetch(&format!(
        r#"(method, path) => {{
            const url = new URL(path, location.origin);
            const limit = Number(url.searchParams.get("limit"));
            const status = url.searchParams.get("status");
            const before = url.searchParams.has("before") ? Number(url.searchParams.get("before")) : Infinity;
            const rows = {all}.filter(t => t.id < before && (!status || t.status === status));
            return [200, JSON.stringify(rows.slice(0, limit))];
        }}"#
    ));
    store::signed_in(token("t", 0));
    let root = mount::<Tasks>(()).await;
    let rows = || {
        root.query_selector_all("[data-testid=task-row]")
            .unwrap()
            .length()
    };
    assert_eq!(rows(), 20);
    assert!(text(&root).contains("Due Dec 31, 2026"), "{}", text(&root));
    assert!(!has_button(&root, "Show more"));

    button(&root, "Load more").click();
    settle().await;
    assert_eq!(rows(), 25);
    assert!(!has_button(&root, "Load more"), "nothing older");
    assert_eq!(
        fetch_calls()[1],
        "GET /api/tasks?limit=20&before=6 Bearer t"
    );

    let (chosen, options) = select_state(&root, "task-filter");
    assert_eq!(chosen, "");
    assert_eq!(options, ["All", "To do", "Doing", "Done"]);
    choose(&root, "task-filter", "done");
    settle().await;
    assert_eq!(
        fetch_calls()[2],
        "GET /api/tasks?status=done&limit=20 Bearer t"
    );
    assert_eq!(rows(), 5);
    assert!(!has_button(&root, "Load more"));
}

#[wasm_bindgen_test]
async fn a_stale_edit_shows_the_conflict_and_reloads_their_version() {
    let mine = json(&[task(5, "Write docs", 3)]);
    let theirs = json(&Task {
        status: TaskStatus::Done,
        ..task(5, "Write the docs", 4)
    });
    let saved = json(&task(5, "Write better docs", 5));
    // Version 4 is the server's: a change based on it is saved, one based on 3 refused.
    fake_fetch(&format!(
        r#"(method, path, auth, body, headers) => {{
            if (method === "PATCH") {{
                window.__sent = body;
                window.__ifMatch = headers.get("if-match");
                return window.__ifMatch === '"4"' ? [200, JSON.stringify({saved})] : [412, {STALE}];
            }}
            if (path === "/api/tasks/5") return [200, JSON.stringify({theirs})];
            return [200, JSON.stringify({mine})];
        }}"#
    ));
    store::signed_in(token("t", 0));
    let root = mount::<Tasks>(()).await;

    button(&root, "Edit").click();
    settle().await;
    assert_eq!(input_value(&root, "task-5-title"), "Write docs");
    assert_eq!(focused().id(), "task-5-title", "focus goes to the form");
    type_into(&root, "task-5-title", "Write better docs");
    button(&root, "Save").click();
    settle().await;

    assert_eq!(fetch_calls()[1], "PATCH /api/tasks/5 Bearer t");
    assert_eq!(fake_global("__ifMatch").as_deref(), Some("\"3\""));
    assert_eq!(
        sent_body(),
        serde_json::json!({ "title": "Write better docs" }),
        "only what changed"
    );
    let conflict = find(&root, "[data-testid=task-conflict]");
    assert_eq!(conflict.get_attribute("role").as_deref(), Some("alert"));
    assert_eq!(
        text(&find(&root, "[data-testid=task-conflict-message]")),
        CONFLICT
    );
    assert!(has_button(&root, "Save"), "the edit stays open");

    button(&root, "Reload task").click();
    settle().await;
    assert_eq!(fetch_calls()[2], "GET /api/tasks/5 Bearer t");
    let row = text(&find(&root, "[data-testid=task-row]"));
    assert!(
        row.contains("Write the docs") && row.contains("Done"),
        "{row}"
    );
    assert!(!row.contains(CONFLICT), "{row}");
    assert!(!has_button(&root, "Save"));

    // Their version is the one edited now: the change is saved.
    button(&root, "Edit").click();
    settle().await;
    assert_eq!(input_value(&root, "task-5-title"), "Write the docs");
    type_into(&root, "task-5-title", "Write better docs");
    button(&root, "Save").click();
    settle().await;
    assert_eq!(fake_global("__ifMatch").as_deref(), Some("\"4\""));
    let row = text(&find(&root, "[data-testid=task-row]"));
    assert!(row.contains("Write better docs"), "{row}");
    assert!(!has_button(&root, "Save"));
}

#[wasm_bindgen_test]
async fn deleting_asks_first_and_sends_the_version_seen() {
    let listed = json(&[task(5, "Old idea", 3)]);
    let theirs = json(&task(5, "Old idea, revised", 4));
    fake_fetch(&format!(
        r#"(method, path, auth, body, headers) => {{
            if (method === "DELETE") {{
                window.__ifMatch = headers.get("if-match");
                if (window.__ifMatch !== '"4"') return [412, {STALE}];
                window.__deleted = "yes";
                return [204, ""];
            }}
            if (path === "/api/tasks/5") return [200, JSON.stringify({theirs})];
            return [200, window.__deleted ? '[]' : JSON.stringify({listed})];
        }}"#
    ));
    store::signed_in(token("t", 0));
    let root = mount::<Tasks>(()).await;

    button(&root, "Delete").click();
    settle().await;
    assert!(has_button(&root, "Confirm delete") && has_button(&root, "Cancel"));
    assert!(!has_button(&root, "Edit"));
    assert_eq!(text(&focused()).trim(), "Confirm delete");
    button(&root, "Cancel").click();
    settle().await;
    assert!(has_button(&root, "Delete") && !has_button(&root, "Confirm delete"));
    assert_eq!(fetch_calls().len(), 1, "nothing sent: {:?}", fetch_calls());

    // Someone edited it meanwhile: the deletion is refused, their version loaded on request.
    button(&root, "Delete").click();
    settle().await;
    button(&root, "Confirm delete").click();
    settle().await;
    assert_eq!(fetch_calls()[1], "DELETE /api/tasks/5 Bearer t");
    assert_eq!(fake_global("__ifMatch").as_deref(), Some("\"3\""));
    assert_eq!(
        text(&find(&root, "[data-testid=task-conflict-message]")),
        CONFLICT
    );
    assert!(
        !text(&root).contains("was changed since"),
        "the API's own words are not shown twice"
    );
    button(&root, "Reload task").click();
    settle().await;
    assert!(text(&root).contains("Old idea, revised"));

    button(&root, "Delete").click();
    settle().await;
    button(&root, "Confirm delete").click();
    settle().await;
    assert_eq!(fake_global("__ifMatch").as_deref(), Some("\"4\""));
    assert_eq!(
        fetch_calls().last().map(String::as_str),
        Some("GET /api/tasks?limit=20 Bearer t")
    );
    assert!(text(&root).contains("No tasks yet."), "{}", text(&root));
}

#[wasm_bindgen_test]
async fn a_billing_member_reads_tasks_without_changing_them() {
    let listed = json(&[task(5, "Renew the domain", 1)]);
    fake_fetch(&format!("() => [200, JSON.stringify({listed})]"));
    store::signed_in(token_in_acme("t", OrgRole::Billing, 0));
    let root = mount::<Tasks>(()).await;

    let page = text(&root);
    assert!(page.contains("Renew the domain"), "{page}");
    assert!(
        page.contains("reads tasks but does not change them"),
        "{page}"
    );
    for hidden in ["Add task", "Edit", "Delete"] {
        assert!(!has_button(&root, hidden), "{hidden} is shown");
    }
    assert!(root.query_selector("#title").unwrap().is_none());
    assert!(
        root.query_selector("#task-filter").unwrap().is_some(),
        "the filter reads too"
    );
}
