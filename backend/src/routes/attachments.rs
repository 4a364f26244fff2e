//! Files attached to the organisation's tasks. An upload is streamed into the store as it
//! arrives (never whole in memory), its type read from its first bytes, and its row written only
//! once the bytes are stored and counted against the quota; any failure on the way removes what
//! was written. Reading needs `read_tasks` (key scope `tasks:read`), changing `write_tasks`.
//! A browser downloads through a link (`/api/attachments/{id}/link`): a presigned S3 URL, or this
//! server's `/api/attachment-links/{token}`, which needs no credentials (the token is one,
//! `auth::attachment_link`), so a plain navigation saves the file.

use actix_multipart::{Field, Multipart, MultipartError};
use actix_web::{
    HttpRequest, HttpResponse, delete, get,
    http::header::{self, ContentDisposition, DispositionParam, DispositionType},
    post, web,
};
use chrono::DateTime;
use futures_util::{StreamExt, TryStreamExt};
use shared::{
    dto::{Attachment, AttachmentLink, AttachmentUpload, ErrorBody},
    validate::{ATTACHMENT_FIELD, attachment_name},
};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::{
    auth::{Caller, Permitted, attachment_link::LINK_PATH, need},
    error::{ApiError, log_error_chain},
    models::{
        AttachmentRow, TaskRow,
        attachment::{NewAttachment, Recorded},
    },
    state::State,
    storage::{self, DOWNLOAD_URL_TTL, Download, Stored, Upload, UploadError},
};

/// Room for the multipart framing around the file when `Content-Length` is checked up front.
const FRAMING: u64 = 16 * 1024;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(upload_attachment)
        .service(list_attachments)
        .service(download_attachment)
        .service(attachment_link)
        .service(download_by_link)
        .service(delete_attachment);
}

/// `attachment; filename="..."; filename*=UTF-8''...`: saved, never shown inline.
fn disposition(name: &str) -> ContentDisposition {
    let ascii: String = name
        .chars()
        .map(|c| if c.is_ascii() && c != '"' { c } else { '_' })
        .collect();
    ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![
            DispositionParam::Filename(ascii),
            DispositionParam::FilenameExt(header::ExtendedValue {
                charset: header::Charset::Ext("UTF-8".to_owned()),
                language_tag: None,
                value: name.as_bytes().to_vec(),
            }),
        ],
    }
}

fn malformed(e: MultipartError) -> ApiError {
    ApiError::BadRequest(format!("malformed multipart body: {e}"))
}

/// The task must be the organisation's before a byte of the body is read.
async fn task_of(state: &State, org_id: i64, task_id: i64) -> Result<TaskRow, ApiError> {
    state
        .db
        .read(move |conn| TaskRow::find(conn, org_id, task_id))
        .await?
        .ok_or(ApiError::NotFound("task"))
}

/// The start of a file: its first bytes, enough to tell its type, and whether that was all of
/// it (a finished field must not be read again).
struct Head {
    bytes: Vec<u8>,
    whole: bool,
}

async fn head_of(field: &mut Field, max: u64) -> Result<Head, ApiError> {
    let mut bytes = Vec::new();
    while bytes.len() < storage::SNIFF_LEN {
        match field.try_next().await.map_err(malformed)? {
            Some(chunk) => bytes.extend_from_slice(&chunk),
            None => return Ok(Head { bytes, whole: true }),
        }
    }
    if bytes.len() as u64 > max {
        return Err(ApiError::FileTooLarge { max });
    }
    Ok(Head {
        bytes,
        whole: false,
    })
}

/// Streams `head` and the rest of `field` into `upload`; the caller aborts on error, and
/// `past_limit` says why a file past the upload's limit is refused. Takes the field: the form
/// yields its next part only once this one is dropped.
async fn copy(
    upload: &mut Upload,
    head: Head,
    mut field: Field,
    past_limit: impl Fn() -> ApiError,
) -> Result<(), ApiError> {
    let too_large = |e: UploadError| match e {
        UploadError::TooLarge { .. } => past_limit(),
        UploadError::Store(e) => ApiError::internal(e),
    };
    upload.write(&head.bytes).await.map_err(too_large)?;
    if head.whole {
        return Ok(());
    }
    while let Some(chunk) = field.try_next().await.map_err(malformed)? {
        upload.write(&chunk).await.map_err(too_large)?;
    }
    Ok(())
}

#[utoipa::path(
    post,
    tag = "tasks",
    params(("id" = i64, Path, description = "The task's id")),
    request_body(content = AttachmentUpload, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Stored; `Location` is its download address", body = Attachment),
        (status = 400, description = "validation_error: no file, an empty one, a name that is a path; bad_request: a malformed multipart body", body = ErrorBody),
        Permitted<need::WriteTasks, Caller>,
        (status = 403, description = "storage_quota_exceeded: the file would take the organisation past `STORAGE_QUOTA_BYTES` (1 GiB by default), refused as soon as that shows; nothing is stored", body = ErrorBody),
        (status = 404, description = "not_found: no task of the organisation's with this id", body = ErrorBody),
        (status = 413, description = "payload_too_large: the file is over `MAX_UPLOAD_BYTES` (25 MiB by default); nothing is stored", body = ErrorBody),
        (status = 415, description = "unsupported_media_type: the file's bytes are none of the allowed types (PNG, JPEG, GIF, WebP, PDF, plain text), whatever its name says", body = ErrorBody),
    )
)]
#[post("/tasks/{id}/attachments")]
async fn upload_attachment(
    state: State,
    Permitted(caller, _): Permitted<need::WriteTasks, Caller>,
    id: web::Path<i64>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let (org_id, task_id) = (caller.org.id, id.into_inner());
    let limits = &state.config.storage;
    let (max, quota) = (limits.max_upload_bytes, limits.quota_bytes);
    // The room left as the request began: a file past it is refused as soon as that shows,
    // without reading the rest. (The row's conditional UPDATE still decides, among uploads
    // at once.)
    let used = u64::try_from(caller.org.storage_used).unwrap_or(0);
    let room = quota.saturating_sub(used);
    let over_quota = || ApiError::StorageQuotaExceeded { quota };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|length| length > max.saturating_add(FRAMING)) {
        return Err(ApiError::FileTooLarge { max });
    }
    if declared.is_some_and(|length| length > room.saturating_add(FRAMING)) {
        return Err(over_quota());
    }
    task_of(&state, org_id, task_id).await?;

    let mut form = Multipart::new(req.headers(), payload);
    let mut field = form
        .try_next()
        .await
        .map_err(malformed)?
        .filter(|field| field.name() == Some(ATTACHMENT_FIELD))
        .ok_or_else(|| {
            ApiError::validation(ATTACHMENT_FIELD, "send one file in a form field named file")
        })?;
    let filename = field
        .content_disposition()
        .and_then(|d| d.get_filename())
        .unwrap_or_default();
    let name = attachment_name(filename)?;
    let head = head_of(&mut field, max).await?;
    if head.bytes.is_empty() {
        return Err(ApiError::validation(ATTACHMENT_FIELD, "the file is empty"));
    }
    let sample = &head.bytes[..head.bytes.len().min(storage::SNIFF_LEN)];
    let content_type = storage::content_type(sample).ok_or(ApiError::UnsupportedMediaType(
        "the file is none of the allowed types: PNG, JPEG, GIF, WebP, PDF or plain text",
    ))?;

    let key = state.storage.new_key(org_id);
    let disposition = disposition(&name).to_string();
    let mut upload = state
        .storage
        .upload(&key, content_type, &disposition, max.min(room))
        .await
        .map_err(ApiError::internal)?;
    let past_limit = || {
        if room < max {
            over_quota()
        } else {
            ApiError::FileTooLarge { max }
        }
    };
    let copied = copy(&mut upload, head, field, past_limit).await;
    // One file only: a second part is refused rather than ignored.
    let copied = match copied {
        Ok(()) => match form.next().await {
            None => Ok(()),
            Some(_) => Err(ApiError::validation(ATTACHMENT_FIELD, "send one file only")),
        },
        Err(e) => Err(e),
    };
    if let Err(e) = copied {
        upload.abort().await;
        return Err(e);
    }
    let Stored { size, sha256 } = upload.finish().await.map_err(ApiError::internal)?;

    let file = NewAttachment {
        organization_id: org_id,
        task_id,
        name,
        size: i64::try_from(size).unwrap_or(i64::MAX),
        content_type: content_type.to_owned(),
        sha256,
        storage_key: key.clone(),
        uploaded_by: caller.user.id,
        created_at: state.clock.now(),
    };
    let quota_bytes = i64::try_from(quota).unwrap_or(i64::MAX);
    let recorded = state
        .db
        .write(move |conn| AttachmentRow::record(conn, &file, quota_bytes))
        .await;
    let saved = match recorded {
        Ok(Recorded::Saved(row)) => row,
        refused => {
            remove_object(&state, &key).await;
            return Err(match refused? {
                Recorded::OverQuota => over_quota(),
                _ => ApiError::NotFound("task"),
            });
        }
    };
    tracing::info!(
        org_id,
        task_id,
        attachment_id = saved.id,
        size,
        content_type,
        "file attached"
    );
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/attachments/{}", saved.id)))
        .json(saved.to_dto()))
}

/// Deletes an object whose row is not (or no longer) written; a failure is left to the sweep.
pub(super) async fn remove_object(state: &State, key: &str) {
    if let Err(e) = state.storage.delete(key).await {
        log_error_chain(&e, "could not delete a stored file; the orphan sweep will");
    }
}

#[utoipa::path(
    get,
    tag = "tasks",
    params(("id" = i64, Path, description = "The task's id")),
    responses(
        (status = 200, description = "The task's files, oldest first", body = Vec<Attachment>),
        Permitted<need::ReadTasks, Caller>,
        (status = 404, description = "not_found: no task of the organisation's with this id", body = ErrorBody),
    )
)]
#[get("/tasks/{id}/attachments")]
async fn list_attachments(
    state: State,
    Permitted(caller, _): Permitted<need::ReadTasks, Caller>,
    id: web::Path<i64>,
) -> Result<web::Json<Vec<Attachment>>, ApiError> {
    let (org_id, task_id) = (caller.org.id, id.into_inner());
    task_of(&state, org_id, task_id).await?;
    let files = state
        .db
        .read(move |conn| AttachmentRow::for_task(conn, org_id, task_id))
        .await?;
    Ok(web::Json(files.iter().map(AttachmentRow::to_dto).collect()))
}

#[utoipa::path(
    get,
    tag = "tasks",
    params(("id" = i64, Path, description = "The attachment's id")),
    responses(
        (status = 200, description = "The file, of the type its bytes were found to be, as an attachment (`Content-Disposition: attachment`, `X-Content-Type-Options: nosniff`), from a local store", content(
            (String = "image/png"), (String = "image/jpeg"), (String = "image/gif"),
            (String = "image/webp"), (String = "application/pdf"), (String = "text/plain"),
        )),
        (status = 302, description = "From S3: `Location` is a presigned URL that works for 5 minutes"),
        Permitted<need::ReadTasks, Caller>,
        (status = 404, description = "not_found: no file of the organisation's with this id", body = ErrorBody),
    )
)]
#[get("/attachments/{id}")]
async fn download_attachment(
    state: State,
    Permitted(caller, _): Permitted<need::ReadTasks, Caller>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let file = file_of(&state, caller.org.id, id.into_inner()).await?;
    serve(&state, &file).await
}

/// The organisation's file `id`.
async fn file_of(state: &State, org_id: i64, id: i64) -> Result<AttachmentRow, ApiError> {
    state
        .db
        .read(move |conn| AttachmentRow::find(conn, org_id, id))
        .await?
        .ok_or(ApiError::NotFound("attachment"))
}

/// What a download answers, with credentials or through a link: the bytes as an attachment,
/// streamed (a local store; `nosniff` is on every response), or a 302 to a presigned URL (S3).
async fn serve(state: &State, file: &AttachmentRow) -> Result<HttpResponse, ApiError> {
    let download = state
        .storage
        .download(&file.storage_key)
        .await
        .map_err(ApiError::internal)?;
    Ok(match download {
        Download::Stream(bytes) => HttpResponse::Ok()
            .content_type(file.content_type.as_str())
            .insert_header(disposition(&file.name))
            .no_chunking(u64::try_from(file.size).unwrap_or_default())
            .streaming(bytes.map_err(ApiError::internal)),
        Download::Redirect(url) => HttpResponse::Found()
            .insert_header((header::LOCATION, url))
            .finish(),
    })
}

#[utoipa::path(
    get,
    tag = "tasks",
    params(("id" = i64, Path, description = "The attachment's id")),
    responses(
        (status = 200, description = "A URL that downloads the file without credentials until `expires_at` (5 minutes): presigned (S3), or this server's `/api/attachment-links/{token}` (a local store). Open it in the browser (a navigation, which the page's `connect-src` does not restrict): the file comes as an attachment, saved under its name. Whoever holds the URL can download the file until then: hand it to no one", body = AttachmentLink),
        Permitted<need::ReadTasks, Caller>,
        (status = 404, description = "not_found: no file of the organisation's with this id", body = ErrorBody),
    )
)]
#[get("/attachments/{id}/link")]
async fn attachment_link(
    state: State,
    Permitted(caller, _): Permitted<need::ReadTasks, Caller>,
    id: web::Path<i64>,
) -> Result<web::Json<AttachmentLink>, ApiError> {
    let file = file_of(&state, caller.org.id, id.into_inner()).await?;
    // Presigned URLs and links' tokens live as long: 5 minutes.
    let now = state.clock.now().and_utc().timestamp();
    let lifetime = i64::try_from(DOWNLOAD_URL_TTL.as_secs()).unwrap_or(i64::MAX);
    let expires = now.saturating_add(lifetime);
    let presigned = state
        .storage
        .presigned_url(&file.storage_key)
        .await
        .map_err(ApiError::internal)?;
    let url = match presigned {
        Some(url) => url,
        None => {
            let token = state.jwt.issue_attachment_link(&file, now, expires)?;
            format!("{}{LINK_PATH}/{token}", state.config.public_origin())
        }
    };
    let expires_at = DateTime::from_timestamp(expires, 0)
        .ok_or_else(|| ApiError::internal("a link's expiry out of range"))?;
    // `Cache-Control: no-store`, as every /api answer: no cache keeps the URL.
    Ok(web::Json(AttachmentLink { url, expires_at }))
}

#[utoipa::path(
    get,
    tag = "tasks",
    params(("token" = String, Path, description = "The token of a link from `GET /api/attachments/{id}/link`, the only credential this takes")),
    responses(
        (status = 200, description = "The file, as `GET /api/attachments/{id}` sends it from a local store (`Content-Disposition: attachment`, `X-Content-Type-Options: nosniff`)", content(
            (String = "image/png"), (String = "image/jpeg"), (String = "image/gif"),
            (String = "image/webp"), (String = "application/pdf"), (String = "text/plain"),
        )),
        (status = 302, description = "The store is S3 now: `Location` is a presigned URL that works for 5 minutes"),
        (status = 404, description = "not_found: the link is unknown, altered or expired, or its file was deleted (which, it does not say)", body = ErrorBody),
    )
)]
#[get("/attachment-links/{token}")]
async fn download_by_link(
    state: State,
    token: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let now = state.clock.now().and_utc().timestamp();
    let grant = state
        .jwt
        .verify_attachment_link(&token, now)
        .ok_or(ApiError::NotFound("attachment"))?;
    let file = file_of(&state, grant.organization_id, grant.attachment_id).await?;
    if !grant.names(&file) {
        return Err(ApiError::NotFound("attachment"));
    }
    tracing::info!(
        org_id = file.organization_id,
        attachment_id = file.id,
        "file downloaded through a link"
    );
    serve(&state, &file).await
}

#[utoipa::path(
    delete,
    tag = "tasks",
    params(("id" = i64, Path, description = "The attachment's id")),
    responses(
        (status = 204, description = "Deleted; its bytes no longer count against the quota"),
        Permitted<need::WriteTasks, Caller>,
        (status = 404, description = "not_found: no file of the organisation's with this id", body = ErrorBody),
    )
)]
#[delete("/attachments/{id}")]
async fn delete_attachment(
    state: State,
    Permitted(caller, _): Permitted<need::WriteTasks, Caller>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let (org_id, id) = (caller.org.id, id.into_inner());
    let deleted = state
        .db
        .write(move |conn| AttachmentRow::delete(conn, org_id, id))
        .await?
        .ok_or(ApiError::NotFound("attachment"))?;
    remove_object(&state, &deleted.storage_key).await;
    tracing::info!(org_id, attachment_id = id, "attachment deleted");
    Ok(HttpResponse::NoContent().finish())
}

#[cfg(test)]
mod tests {
    use shared::validate::ALLOWED_CONTENT_TYPES;

    /// The document lists the download's types by hand (the macro takes literals): they must be
    /// the types an upload may be.
    /// The upload describes its own 403 and keeps its guard's: roles, scope, disabled accounts.
    #[test]
    fn the_upload_403_names_the_quota_and_the_guard() {
        let document = serde_json::to_value(super::super::docs::document()).expect("JSON");
        let upload = &document["paths"]["/api/tasks/{id}/attachments"]["post"];
        let forbidden = upload["responses"]["403"]["description"]
            .as_str()
            .expect("a 403");
        for words in [
            "storage_quota_exceeded",
            "forbidden: needs the owner, admin or developer role",
            "insufficient_scope: an API key without `tasks:write`",
            "account_disabled",
        ] {
            assert!(forbidden.contains(words), "{words}: {forbidden}");
        }
    }

    #[test]
    fn the_document_lists_every_type_a_download_may_be() {
        let document = serde_json::to_value(super::super::docs::document()).expect("JSON");
        let mut allowed = ALLOWED_CONTENT_TYPES.to_vec();
        allowed.sort_unstable();
        for path in ["/api/attachments/{id}", "/api/attachment-links/{token}"] {
            let content = &document["paths"][path]["get"]["responses"]["200"]["content"];
            let mut listed: Vec<&str> = content
                .as_object()
                .expect("a content map")
                .keys()
                .map(String::as_str)
                .collect();
            listed.sort_unstable();
            assert_eq!(listed, allowed, "{path}");
        }
    }
}
