//! Files attached to the organisation's tasks. An upload goes through `XMLHttpRequest`, the one
//! browser API that reports how much of a request body is sent (fetch does not). A download asks
//! the API for a short-lived link with the session's token (which lives in memory, so a plain
//! link to the file would not be signed in), then lets the browser open it.

use js_sys::Promise;
use shared::{
    dto::{Attachment, AttachmentLink},
    validate::ATTACHMENT_FIELD,
};
use wasm_bindgen::{JsCast, closure::Closure};
use wasm_bindgen_futures::JsFuture;
use web_sys::{File, FormData, HtmlAnchorElement, ProgressEvent, XmlHttpRequest};
use yew::Callback;

use super::{
    ApiError,
    client::{self, Auth::Session},
};

/// The task's files, oldest first.
pub async fn attachments(task_id: i64) -> Result<Vec<Attachment>, ApiError> {
    client::get(&format!("/api/tasks/{task_id}/attachments"), Session).await
}

pub async fn delete_attachment(id: i64) -> Result<(), ApiError> {
    client::delete(&format!("/api/attachments/{id}"), Session).await
}

/// Attaches `file` to the task; `progress` hears the percentage of the request sent so far.
pub async fn upload_attachment(
    task_id: i64,
    file: &File,
    progress: &Callback<u32>,
) -> Result<Attachment, ApiError> {
    let path = format!("/api/tasks/{task_id}/attachments");
    let text = client::with_session(|token| upload(&path, file, token, progress)).await?;
    client::decode(&text)
}

/// One `multipart/form-data` POST of `file`: the 2xx answer's text, else the contract error.
async fn upload(
    path: &str,
    file: &File,
    token: String,
    progress: &Callback<u32>,
) -> Result<String, ApiError> {
    let failed = |_| ApiError::network();
    let form = FormData::new().map_err(failed)?;
    // A `File` keeps its name in the form: the API stores it as the attachment's.
    form.append_with_blob(ATTACHMENT_FIELD, file)
        .map_err(failed)?;
    let xhr = XmlHttpRequest::new().map_err(failed)?;
    xhr.open("POST", path).map_err(failed)?;
    xhr.set_request_header("Accept", "application/json")
        .map_err(failed)?;
    xhr.set_request_header("Authorization", &format!("Bearer {token}"))
        .map_err(failed)?;
    let progress = progress.clone();
    let on_progress = Closure::<dyn Fn(ProgressEvent)>::new(move |e: ProgressEvent| {
        if e.length_computable() && e.total() > 0.0 {
            // A whole percentage, as `<progress>` and its label show it.
            progress.emit((e.loaded() * 100.0 / e.total()) as u32);
        }
    });
    xhr.upload()
        .map_err(failed)?
        .set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    // `loadend` follows success, failure and abort alike.
    let ended = Promise::new(&mut |resolve, _| xhr.set_onloadend(Some(&resolve)));
    xhr.send_with_opt_form_data(Some(&form)).map_err(failed)?;
    let _ = JsFuture::from(ended).await;
    let text = xhr.response_text().ok().flatten().unwrap_or_default();
    match xhr.status().unwrap_or(0) {
        // No answer came (the connection failed or was cut).
        0 => Err(ApiError::network()),
        200..=299 => Ok(text),
        status => Err(ApiError::from_response(status, &text)),
    }
}

/// Has the browser download the file: the API hands out a link to it for a few minutes (asked
/// with the session), which a temporary `<a download>` opens. A navigation, not a fetch: the
/// page's `connect-src 'self'` does not stop it from reaching S3, and the file comes as an
/// attachment, so the browser saves it (to the downloads folder, or wherever it asks) and the
/// page stays.
pub async fn download_attachment(file: &Attachment) -> Result<(), ApiError> {
    let link: AttachmentLink =
        client::get(&format!("/api/attachments/{}/link", file.id), Session).await?;
    open(&link.url, &file.name).map_err(|_| ApiError::unexpected("could not save the file"))
}

/// Opens `url` through a temporary `<a href download>`: the browser saves what it answers, as
/// `name` (same-origin) or by its `Content-Disposition` (S3).
fn open(url: &str, name: &str) -> Result<(), wasm_bindgen::JsValue> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let link: HtmlAnchorElement = document.create_element("a")?.unchecked_into();
    link.set_href(url);
    link.set_download(name);
    link.click();
    Ok(())
}
