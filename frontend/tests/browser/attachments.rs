//! A task's files against a fake API: they load when the row opens them; "Attach file" sends the
//! chosen file with the token through XMLHttpRequest (a fake one here) and shows how much is
//! sent; a refusal reads in words; "Download" asks for a link with the token and opens it through
//! an `<a download>` named as the file (the page never fetches the bytes); deleting asks first; a
//! billing member downloads but neither attaches nor deletes.

use chrono::{TimeZone, Utc};
use frontend::{format, pages::Tasks, store};
use shared::dto::{Attachment, OrgRole, Task, TaskStatus};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::Element;

use super::support::{
    button, fake_fetch, fetch_calls, find, has_button, mount, settle, text, token, token_in_acme,
};

fn task(id: i64) -> Task {
    let at = Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap();
    Task {
        id,
        title: "Plan the launch".into(),
        description: String::new(),
        status: TaskStatus::Todo,
        due_date: None,
        version: 1,
        created_by: Some(7),
        created_at: at,
        updated_at: at,
    }
}

fn file(id: i64, name: &str, size: i64) -> Attachment {
    Attachment {
        id,
        task_id: 5,
        name: name.into(),
        size,
        content_type: "text/plain".into(),
        sha256: "0".repeat(64),
        uploaded_by: Some(7),
        created_at: Utc.with_ymd_and_hms(2026, 11, 23, 11, 0, 0).unwrap(),
    }
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap()
}

fn run_js(code: &str) -> JsValue {
    js_sys::Function::new_no_args(code)
        .call0(&JsValue::NULL)
        .unwrap()
}

/// A fake API for task 5: its files are `window.__files`, a file's link is on files.example, and
/// a deletion takes it out of the list.
fn fake_task_api(files: &[Attachment]) {
    run_js(&format!("window.__files = {};", json(&files)));
    let tasks = json(&[task(5)]);
    fake_fetch(&format!(
        r#"(method, path) => {{
            if (path === "/api/tasks/5/attachments") return [200, JSON.stringify(window.__files)];
            const linked = Number((path.match(/^\/api\/attachments\/(\d+)\/link$/) || [])[1]);
            if (linked) return [200, JSON.stringify({{
                url: `https://files.example/${{linked}}?signature=s`,
                expires_at: "2026-11-23T11:05:00Z",
            }})];
            const id = Number((path.match(/^\/api\/attachments\/(\d+)$/) || [])[1]);
            const found = window.__files.find(f => f.id === id);
            if (method === "DELETE" && found) {{
                window.__files = window.__files.filter(f => f !== found);
                return [204, ""];
            }}
            if (found) return [200, found.name.toUpperCase()];
            return [200, JSON.stringify({tasks})];
        }}"#
    ));
}

/// Replaces `XMLHttpRequest` with one that keeps the request (`window.__xhr`: method, url,
/// headers, the name of the form's `file`) and answers when the test says so.
fn fake_xhr() {
    run_js(
        r#"
        window.XMLHttpRequest = class {
            constructor() { this.upload = {}; this.headers = {}; this.status = 0; this.responseText = ""; window.__xhr = this; }
            open(method, url) { this.method = method; this.url = url; }
            setRequestHeader(name, value) { this.headers[name.toLowerCase()] = value; }
            send(body) { this.sent = body.get("file").name; }
        };
        window.__sendProgress = (loaded, total) => window.__xhr.upload.onprogress(
            new ProgressEvent("progress", { lengthComputable: true, loaded, total }));
        window.__answer = (status, body) => {
            Object.assign(window.__xhr, { status, responseText: body });
            window.__xhr.onloadend();
        };
        "#,
    );
}

/// Chooses a file named `name` in the file input with id `id`, as the file picker would.
fn choose_file(id: &str, name: &str) {
    run_js(&format!(
        r#"const input = document.getElementById("{id}");
           const files = new DataTransfer();
           files.items.add(new File(["some text"], "{name}", {{ type: "text/plain" }}));
           input.files = files.files;
           input.dispatchEvent(new Event("change", {{ bubbles: true }}));"#
    ));
}

/// A field of the fake `XMLHttpRequest`'s last request (`method`, `headers.authorization`, ...).
fn xhr(field: &str) -> Option<String> {
    run_js(&format!("return window.__xhr.{field};")).as_string()
}

async fn open_files(root: &Element) {
    let toggle = button(root, "Files");
    assert_eq!(
        toggle.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    toggle.click();
    settle().await;
    assert_eq!(
        toggle.get_attribute("aria-expanded").as_deref(),
        Some("true")
    );
    assert_eq!(
        toggle.get_attribute("aria-controls").as_deref(),
        Some("task-5-files")
    );
}

fn progress(root: &Element) -> Option<Element> {
    root.query_selector("progress").unwrap()
}

#[wasm_bindgen_test]
async fn files_load_when_opened_and_an_upload_shows_its_progress() {
    fake_task_api(&[file(9, "notes.txt", 1536)]);
    fake_xhr();
    store::signed_in(token("t", 0));
    let root = mount::<Tasks>(()).await;
    assert_eq!(fetch_calls(), ["GET /api/tasks?limit=20 Bearer t"]);

    open_files(&root).await;
    assert_eq!(
        fetch_calls()[1..],
        ["GET /api/tasks/5/attachments Bearer t"]
    );
    let listed = text(&find(&root, "[data-testid=attachment]"));
    assert!(
        listed.contains("notes.txt") && listed.contains("1.5 KB"),
        "{listed}"
    );
    assert_eq!(
        text(&find(&root, "label[for=task-5-file]")).trim(),
        "Attach file"
    );

    choose_file("task-5-file", "photo.txt");
    settle().await;
    assert_eq!(xhr("method").as_deref(), Some("POST"));
    assert_eq!(xhr("url").as_deref(), Some("/api/tasks/5/attachments"));
    assert_eq!(
        xhr("sent").as_deref(),
        Some("photo.txt"),
        "in the form's file field"
    );
    assert_eq!(xhr("headers.authorization").as_deref(), Some("Bearer t"));
    assert!(progress(&root).is_some(), "progress shows at once");

    run_js("window.__sendProgress(50, 200);");
    settle().await;
    let bar = progress(&root).expect("a progress bar");
    assert_eq!(bar.get_attribute("value").as_deref(), Some("25"));
    assert_eq!(
        text(&find(&root, "label[for=task-5-upload]")),
        "Uploading photo.txt",
        "its accessible name"
    );
    assert!(text(&root).contains("25%"));
    assert!(
        find(&root, "#task-5-file").has_attribute("disabled"),
        "one upload at a time"
    );

    let stored = file(10, "photo.txt", 9);
    run_js(&format!(
        "window.__files.push({0}); window.__answer(201, JSON.stringify({0}));",
        json(&stored)
    ));
    settle().await;
    assert!(progress(&root).is_none());
    assert_eq!(
        fetch_calls().last().map(String::as_str),
        Some("GET /api/tasks/5/attachments Bearer t"),
        "the list loads again"
    );
    let listed = root.query_selector_all("[data-testid=attachment]").unwrap();
    assert_eq!(listed.length(), 2);
    assert!(text(&root).contains("9 bytes"));

    // A refusal reads in words under the control.
    choose_file("task-5-file", "huge.txt");
    settle().await;
    run_js(
        r#"window.__answer(413, JSON.stringify({ error: { code: "payload_too_large",
             message: "the file is larger than the 26214400 bytes an upload may carry" } }));"#,
    );
    settle().await;
    let refused = find(&root, "[data-testid=upload-error]");
    assert_eq!(refused.get_attribute("role").as_deref(), Some("alert"));
    assert_eq!(
        text(&refused),
        "The file is larger than the 26214400 bytes an upload may carry"
    );
    // No answer at all (the connection cut) is a network error, not a silent stop.
    choose_file("task-5-file", "again.txt");
    settle().await;
    run_js("window.__answer(0, '');");
    settle().await;
    assert!(
        text(&find(&root, "[data-testid=upload-error]")).contains("Cannot reach the server"),
        "{}",
        text(&root)
    );
}

#[wasm_bindgen_test]
async fn a_download_opens_a_link_asked_for_with_the_token() {
    fake_task_api(&[file(9, "notes.txt", 1536)]);
    // What the page opens (its link's address) and under which name.
    run_js(
        r#"HTMLAnchorElement.prototype.click = function () {
               window.__saved = { name: this.download, href: this.href };
           };"#,
    );
    store::signed_in(token("t", 0));
    let root = mount::<Tasks>(()).await;
    open_files(&root).await;
    let calls = fetch_calls().len();

    button(&find(&root, "[data-testid=attachment]"), "Download").click();
    settle().await;
    assert_eq!(
        fetch_calls()[calls..],
        ["GET /api/attachments/9/link Bearer t"],
        "the page asks for the link, never for the bytes"
    );
    let name = run_js("return window.__saved && window.__saved.name;");
    assert_eq!(name.as_string().as_deref(), Some("notes.txt"));
    let href = run_js("return window.__saved.href;").as_string().unwrap();
    assert_eq!(href, "https://files.example/9?signature=s");
}

#[wasm_bindgen_test]
async fn deleting_a_file_asks_first() {
    fake_task_api(&[file(9, "notes.txt", 1536), file(10, "plan.pdf", 2_400_000)]);
    store::signed_in(token("t", 0));
    let root = mount::<Tasks>(()).await;
    open_files(&root).await;
    assert!(text(&root).contains("2.4 MB"));

    let first = find(&root, "[data-testid=attachment]");
    button(&first, "Delete").click();
    settle().await;
    assert!(has_button(&first, "Yes, delete it") && has_button(&first, "Keep it"));
    let calls = fetch_calls().len();
    button(&first, "Yes, delete it").click();
    settle().await;
    assert_eq!(fetch_calls()[calls], "DELETE /api/attachments/9 Bearer t");
    let left = text(&find(&root, "[data-testid=attachments]"));
    assert!(
        !left.contains("notes.txt") && left.contains("plan.pdf"),
        "{left}"
    );
}

#[wasm_bindgen_test]
async fn a_billing_member_downloads_files_but_does_not_change_them() {
    fake_task_api(&[file(9, "notes.txt", 1536)]);
    store::signed_in(token_in_acme("t", OrgRole::Billing, 0));
    let root = mount::<Tasks>(()).await;
    open_files(&root).await;

    let listed = find(&root, "[data-testid=attachment]");
    assert!(has_button(&listed, "Download"));
    assert!(!has_button(&listed, "Delete"));
    assert!(root.query_selector("input[type=file]").unwrap().is_none());
}

#[wasm_bindgen_test]
fn sizes_read_in_bytes_kb_mb_and_gb() {
    for (size, shown) in [
        (0, "0 bytes"),
        (1, "1 byte"),
        (999, "999 bytes"),
        (1000, "1.0 KB"),
        (1536, "1.5 KB"),
        (999_949, "999.9 KB"),
        (999_950, "1.0 MB"),
        (26_214_400, "26.2 MB"),
        (1_500_000_000, "1.5 GB"),
        (12_345_000_000_000, "12345.0 GB"),
    ] {
        assert_eq!(format::bytes(size), shown, "{size}");
    }
}
