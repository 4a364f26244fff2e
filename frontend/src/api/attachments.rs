//! Files attached to the organisation's tasks. An upload goes through `XMLHttpRequest`, the one
//! browser API that reports how much of a request body is sent (fetch does not). A download is
//! fetched with the session's token (the token lives in memory, so a plain link would not be
//! signed in), then handed to the browser to save under the file's name.

use gloo_net::http::Method;
use js_sys::Promise;
use shared::{dto::Attachment, validate::ATTACHMENT_FIELD};
use wasm_bindgen::{JsCast, closure::Closure};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, File, FormData, HtmlAnchorElement, ProgressEvent, Url, XmlHttpRequest};
use yew::{
    Callback,
    platform::{spawn_local, time::sleep},
};

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

/// Fetches the file and has the browser save it under its name (to the downloads folder, or
/// wherever the browser asks).
pub async fn download_attachment(file: &Attachment) -> Result<(), ApiError> {
    let path = format!("/api/attachments/{}", file.id);
    let response = client::respond(Method::GET, &path, None, None, Session).await?;
    let blob = web_sys::Response::from(response)
        .blob()
        .map_err(|_| ApiError::network())?;
    let blob: Blob = JsFuture::from(blob)
        .await
        .map_err(|_| ApiError::network())?
        .unchecked_into();
    save(&blob, &file.name).map_err(|_| ApiError::unexpected("could not save the file"))
}

/// Saves `blob` as a file named `name` through a temporary `<a download>`.
fn save(blob: &Blob, name: &str) -> Result<(), wasm_bindgen::JsValue> {
    let url = Url::create_object_url_with_blob(blob)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let link: HtmlAnchorElement = document.create_element("a")?.unchecked_into();
    link.set_href(&url);
    link.set_download(name);
    link.click();
    // The browser reads the blob once the download has started, after this task: free it later.
    spawn_local(async move {
        sleep(std::time::Duration::from_secs(60)).await;
        let _ = Url::revoke_object_url(&url);
    });
    Ok(())
}
