//! Tasks, end to end: a customer adds one, sees it listed, edits it in place; the same task open
//! in a second browser is changed there first, so saving the first browser's stale copy is
//! refused with the conflict message until it reloads their version; deleting asks first.

use crate::{
    browser::{Browser, Result},
    check, run,
    server::Server,
    sign_in,
};

const CUSTOMER: (&str, &str) = ("tess@example.com", "tess's password 1");
const CONFLICT: &str = "Someone changed this task; reload to see their version";

/// The row of the task titled `title`.
fn row(title: &str) -> String {
    format!("//*[@data-testid='task-row'][.//p[normalize-space()='{title}']]")
}

/// The row being edited (its form), and a field of it by label.
const EDITING: &str = "//*[@data-testid='task-row'][.//form]";

fn edit_field(label: &str) -> String {
    format!("{EDITING}//*[@id=//label[normalize-space()='{label}']/@for]")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_task_is_added_edited_refused_when_stale_and_deleted_after_confirming() {
    run("tasks", tasks).await;
}

async fn tasks(b: &mut Browser, server: &Server) -> Result {
    server.sign_up(CUSTOMER.0, CUSTOMER.1).await?;
    sign_in(b, server, CUSTOMER.0, CUSTOMER.1).await?;
    b.follow("Tasks").await?;
    b.wait_for_path("/tasks").await?;
    b.wait_for("//p[normalize-space()='No tasks yet.']").await?;
    b.screenshot("empty").await?;

    // The form checks the title before sending anything.
    b.press("Add task").await?;
    b.wait_for("//*[@id='title-error' and normalize-space()='Title is required']")
        .await?;
    b.fill("Title", "Write the launch post").await?;
    b.fill("Description", "Draft, review,\nthen publish.")
        .await?;
    b.click("//select[@id='status']/option[normalize-space()='Doing']")
        .await?;
    // The date picker takes the digits in the browser's order (en-US: month, day, year).
    b.fill("Due date", "12312026").await?;
    b.screenshot("form").await?;
    b.press("Add task").await?;
    let added = row("Write the launch post");
    b.wait_for(&format!(
        "{added}[.//*[@data-testid='task-status' and normalize-space()='Doing']]\
         [.//*[@data-testid='task-due' and normalize-space()='Due Dec 31, 2026']]"
    ))
    .await?;
    b.screenshot("added").await?;

    // Edited in place: the new title and status are listed.
    b.click(&format!("{added}//button[normalize-space()='Edit']"))
        .await?;
    b.fill_at(&edit_field("Title"), "Publish the launch post")
        .await?;
    b.click(&format!(
        "{}/option[normalize-space()='Done']",
        edit_field("Status")
    ))
    .await?;
    b.screenshot("editing").await?;
    b.press("Save").await?;
    let edited = row("Publish the launch post");
    b.wait_for(&format!(
        "{edited}[.//*[@data-testid='task-status' and normalize-space()='Done']]"
    ))
    .await?;
    // The filter asks the API for one status.
    b.click("//select[@id='task-filter']/option[normalize-space()='To do']")
        .await?;
    b.wait_for("//p[normalize-space()='No tasks with this status.']")
        .await?;
    b.click("//select[@id='task-filter']/option[normalize-space()='Done']")
        .await?;
    b.wait_for(&edited).await?;
    b.screenshot("edited").await?;

    // The same task, open for editing here, is changed in another browser first.
    b.click(&format!("{edited}//button[normalize-space()='Edit']"))
        .await?;
    b.wait_for(EDITING).await?;
    let mut other = Browser::launch(b.artifacts().join("other-browser")).await;
    let outcome = change_elsewhere(&mut other, server).await;
    if outcome.is_err() {
        let _ = other.save(&b.artifacts().join("other-failure.png")).await;
    }
    other.close().await;
    outcome?;

    // Saving the stale copy is refused with the conflict, until their version is reloaded.
    b.fill_at(&edit_field("Title"), "My version").await?;
    b.press("Save").await?;
    b.wait_for_testid_text("task-conflict-message", CONFLICT)
        .await?;
    b.wait_for("//*[@data-testid='task-conflict' and @role='alert']")
        .await?;
    b.check_accessibility().await?;
    b.screenshot("conflict").await?;
    b.press("Reload task").await?;
    let theirs = row("Their version");
    b.wait_for(&theirs).await?;
    check(
        b.count("//*[@data-testid='task-conflict']").await? == 0,
        "the conflict message stays after reloading",
    )?;
    b.screenshot("reloaded").await?;

    // Deleting asks first; the list is empty afterwards.
    b.click(&format!("{theirs}//button[normalize-space()='Delete']"))
        .await?;
    b.wait_for(&format!(
        "{theirs}//button[normalize-space()='Confirm delete']"
    ))
    .await?;
    b.screenshot("confirm-delete").await?;
    b.press("Confirm delete").await?;
    b.wait_for("//p[normalize-space()='No tasks with this status.']")
        .await?;
    b.click("//select[@id='task-filter']/option[normalize-space()='All']")
        .await?;
    b.wait_for("//p[normalize-space()='No tasks yet.']").await?;
    b.screenshot("deleted").await?;
    Ok(())
}

/// The same customer, in a browser of their own, renames the task.
async fn change_elsewhere(o: &mut Browser, server: &Server) -> Result {
    sign_in(o, server, CUSTOMER.0, CUSTOMER.1).await?;
    o.goto(&server.url("/tasks")).await?;
    o.click(&format!(
        "{}//button[normalize-space()='Edit']",
        row("Publish the launch post")
    ))
    .await?;
    o.fill_at(&edit_field("Title"), "Their version").await?;
    o.press("Save").await?;
    o.wait_for(&row("Their version")).await?;
    o.screenshot("changed-here-first").await
}
