//! A task's files, end to end: a customer opens a task's files, attaches a picture through the
//! file input, sees it listed with its size, downloads it (the same bytes, through a link the
//! browser opens, not a fetch of the page's), watches a slowed
//! upload's progress, is told in words why a program dressed as a picture is refused, and
//! deletes the picture after confirming. With small limits, a file too large and one past the
//! organisation's quota are refused in the API's words.

use std::path::PathBuf;

use crate::{
    browser::{Browser, Result},
    check, run_on,
    server::Server,
    sign_in,
};

const CUSTOMER: (&str, &str) = ("fay@example.com", "fay's password 1");
const TITLE: &str = "Print the brochure";
const ROW: &str = "//*[@data-testid='task-row'][.//p[normalize-space()='Print the brochure']]";
const INPUT: &str = "//input[@type='file' and @id=//label[normalize-space()='Attach file']/@for]";

/// The listed file named `name`, showing `size`.
fn listed(name: &str, size: &str) -> String {
    format!(
        "//*[@data-testid='attachment'][.//*[@data-testid='attachment-name' and normalize-space()='{name}']]\
         [.//*[@data-testid='attachment-size' and normalize-space()='{size}']]"
    )
}

/// A PNG by its first bytes (what the API reads a file's type from), then every byte value:
/// 1,536 bytes that only survive a download unchanged if nothing treats them as text.
fn picture() -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend((0..1528u32).map(|i| (i * 7 % 256) as u8));
    bytes
}

/// A file of the test's own, to attach: `bytes` in the artifacts as `name`.
fn file(b: &Browser, name: &str, bytes: &[u8]) -> Result<PathBuf> {
    let path = b.artifacts().join(name);
    std::fs::write(&path, bytes)
        .map(|()| path)
        .map_err(|e| e.to_string())
}

/// Every URL the page fetched (scripts' requests and its own resources; not its navigations).
async fn fetched_by_the_page(b: &Browser) -> Result<Vec<String>> {
    let urls = b
        .client
        .execute(
            "return performance.getEntriesByType('resource').map(e => e.name);",
            vec![],
        )
        .await
        .map_err(|e| format!("read the page's requests: {e}"))?;
    serde_json::from_value(urls).map_err(|e| e.to_string())
}

/// A new customer adds a task and opens its files.
async fn open_files_of_a_new_task(b: &Browser, server: &Server) -> Result {
    server.sign_up(CUSTOMER.0, CUSTOMER.1).await?;
    sign_in(b, server, CUSTOMER.0, CUSTOMER.1).await?;
    b.follow("Tasks").await?;
    b.fill("Title", TITLE).await?;
    b.press("Add task").await?;
    b.click(&format!("{ROW}//button[normalize-space()='Files']"))
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_is_attached_downloaded_unchanged_and_deleted() {
    // The download link is absolute, under `PUBLIC_URL`: this server's own origin.
    let linked = async || Server::start_linked(&[]).await;
    run_on("attachments", linked, attachments).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_too_large_or_past_the_quota_is_refused_in_words() {
    let limits = async || {
        Server::start_with(&[
            ("MAX_UPLOAD_BYTES", "200000".into()),
            ("STORAGE_QUOTA_BYTES", "300000".into()),
        ])
        .await
    };
    run_on("attachment-limits", limits, attachment_limits).await;
}

async fn attachments(b: &mut Browser, server: &Server) -> Result {
    let diagram = file(b, "diagram.png", &picture())?;
    let draft = file(
        b,
        "draft.txt",
        "A line of the draft.\n".repeat(12_000).as_bytes(),
    )?;
    let program = file(
        b,
        "holiday.png",
        b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0",
    )?;
    open_files_of_a_new_task(b, server).await?;
    b.wait_for(&format!("{ROW}//p[normalize-space()='No files yet.']"))
        .await?;
    b.screenshot("no-files").await?;

    b.attach(INPUT, &diagram).await?;
    let listed_diagram = listed("diagram.png", "1.5 KB");
    b.wait_for(&listed_diagram).await?;
    b.screenshot("attached").await?;

    // Downloaded through a link asked for with the session's token: the very bytes sent.
    b.click(&format!(
        "{listed_diagram}//button[normalize-space()='Download']"
    ))
    .await?;
    let saved = b.downloaded("diagram.png").await?;
    check(
        saved == picture(),
        format!("the download differs: {} bytes, not 1536", saved.len()),
    )?;
    // The page fetched the link, never the bytes: the browser did, opening the link (a
    // navigation, which the CSP's `connect-src` leaves alone, so S3's links work the same).
    let fetched = fetched_by_the_page(b).await?;
    check(
        fetched.iter().any(|url| url.ends_with("/link")),
        format!("the page did not ask for a link: {fetched:?}"),
    )?;
    check(
        !fetched.iter().any(|url| {
            url.contains("/api/attachment-links/")
                || url
                    .rsplit_once("/api/attachments/")
                    .is_some_and(|(_, id)| id.bytes().all(|b| b.is_ascii_digit()))
        }),
        format!("the page fetched the file itself: {fetched:?}"),
    )?;

    // A slowed upload shows how far it is, under an accessible name.
    b.throttle_uploads(Some(64_000)).await?;
    b.attach(INPUT, &draft).await?;
    b.wait_for("//progress[number(@value) > 0 and @id=//label[normalize-space()='Uploading draft.txt']/@for]")
        .await?;
    b.check_accessibility().await?;
    b.screenshot("uploading").await?;
    b.throttle_uploads(None).await?;
    b.wait_for(&listed("draft.txt", "252.0 KB")).await?;
    check(
        b.count("//progress").await? == 0,
        "the progress bar stays after the upload",
    )?;

    // A program named like a picture: refused, in words.
    b.attach(INPUT, &program).await?;
    b.wait_for_testid_text(
        "upload-error",
        "The file is none of the allowed types: PNG, JPEG, GIF, WebP, PDF or plain text",
    )
    .await?;
    b.screenshot("refused").await?;

    // Deleting asks first.
    b.click(&format!(
        "{listed_diagram}//button[normalize-space()='Delete']"
    ))
    .await?;
    b.wait_for(&format!(
        "{listed_diagram}//button[normalize-space()='Yes, delete it']"
    ))
    .await?;
    b.screenshot("confirm-delete").await?;
    b.press("Yes, delete it").await?;
    b.wait_for(&format!(
        "{ROW}[not(.//*[@data-testid='attachment-name' and normalize-space()='diagram.png'])]"
    ))
    .await?;
    check(
        b.count("//*[@data-testid='attachment']").await? == 1,
        "one file is left",
    )?;
    b.check_accessibility().await?;
    b.screenshot("deleted").await
}

async fn attachment_limits(b: &mut Browser, server: &Server) -> Result {
    // Text of `size` bytes.
    let text = |name: &str, size: usize| file(b, name, "0123456789\n".repeat(size / 11).as_bytes());
    let (large, half, more) = (
        text("large.txt", 1_100_000)?,
        text("half.txt", 165_000)?,
        text("more.txt", 165_000)?,
    );
    open_files_of_a_new_task(b, server).await?;

    b.attach(INPUT, &large).await?;
    b.wait_for_testid_text(
        "upload-error",
        "The file is larger than the 200000 bytes an upload may carry (MAX_UPLOAD_BYTES)",
    )
    .await?;
    b.screenshot("too-large").await?;

    b.attach(INPUT, &half).await?;
    b.wait_for(&listed("half.txt", "165.0 KB")).await?;
    b.attach(INPUT, &more).await?;
    // No error shows since the last upload succeeded: the first one to show is this one's (read,
    // not matched: an XPath literal cannot hold the apostrophe).
    let refused = b.testid_text("upload-error").await?;
    let quota = "This file would take the organization's files past its storage quota of 300000 \
                 bytes: delete some first";
    check(
        refused == quota,
        format!("the quota's refusal reads {refused:?}"),
    )?;
    check(
        b.count("//*[@data-testid='attachment']").await? == 1,
        "the refused file is not listed",
    )?;
    b.screenshot("over-quota").await
}
