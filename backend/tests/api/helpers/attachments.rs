//! Typed calls to the attachment routes, and a look into the server's file store.

use backend::storage::Storage;
use reqwest::{
    Response, StatusCode,
    multipart::{Form, Part},
};
use shared::dto::{Attachment, AttachmentLink};

use super::{
    app::{Auth, TestApp, send},
    assertions::expect_json,
};

/// The first bytes of a PNG image, and some more: what an upload is sniffed as.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";

/// A PNG image of `size` bytes (a valid header, then filler).
pub fn png_of(size: usize) -> Vec<u8> {
    let mut bytes = PNG.to_vec();
    bytes.resize(size.max(PNG.len()), 7);
    bytes
}

impl TestApp {
    /// Uploads `bytes` as a file called `name`, in the form field `field`.
    pub async fn try_upload_as(
        &self,
        auth: Auth<'_>,
        task_id: i64,
        field: &str,
        name: &str,
        bytes: Vec<u8>,
    ) -> Response {
        let part = Part::bytes(bytes)
            .file_name(name.to_owned())
            .mime_str("application/octet-stream")
            .expect("a MIME type");
        let path = format!("/api/tasks/{task_id}/attachments");
        let request = self.request(reqwest::Method::POST, &path, auth);
        send(request.multipart(Form::new().part(field.to_owned(), part))).await
    }

    pub async fn try_upload(
        &self,
        auth: Auth<'_>,
        task_id: i64,
        name: &str,
        bytes: Vec<u8>,
    ) -> Response {
        self.try_upload_as(auth, task_id, "file", name, bytes).await
    }

    pub async fn upload(
        &self,
        auth: Auth<'_>,
        task_id: i64,
        name: &str,
        bytes: Vec<u8>,
    ) -> Attachment {
        expect_json(
            self.try_upload(auth, task_id, name, bytes).await,
            StatusCode::CREATED,
        )
        .await
    }

    pub async fn try_attachments(&self, auth: Auth<'_>, task_id: i64) -> Response {
        self.get(&format!("/api/tasks/{task_id}/attachments"), auth)
            .await
    }

    pub async fn attachments(&self, auth: Auth<'_>, task_id: i64) -> Vec<Attachment> {
        expect_json(self.try_attachments(auth, task_id).await, StatusCode::OK).await
    }

    pub async fn try_download(&self, auth: Auth<'_>, id: i64) -> Response {
        self.get(&format!("/api/attachments/{id}"), auth).await
    }

    pub async fn try_attachment_link(&self, auth: Auth<'_>, id: i64) -> Response {
        self.get(&format!("/api/attachments/{id}/link"), auth).await
    }

    pub async fn attachment_link(&self, auth: Auth<'_>, id: i64) -> AttachmentLink {
        expect_json(self.try_attachment_link(auth, id).await, StatusCode::OK).await
    }

    /// Where the server's links point: `PUBLIC_URL`, else dev mode's default.
    pub fn public_origin(&self) -> &str {
        match self.setting("PUBLIC_URL") {
            "" => "http://127.0.0.1:8000",
            url => url,
        }
    }

    /// GETs `url`, a link under the server's public origin, from this server, as a browser that
    /// holds nothing of it would: no token, no key, no cookie.
    pub async fn open_link(&self, url: &str) -> Response {
        let public = self.public_origin();
        let path = url
            .strip_prefix(public)
            .unwrap_or_else(|| panic!("{url} is not under PUBLIC_URL ({public})"));
        self.open_path(path).await
    }

    /// GETs `path` from this server without any credential.
    pub async fn open_path(&self, path: &str) -> Response {
        send(reqwest::Client::new().get(format!("{}{path}", self.address))).await
    }

    pub async fn try_delete_attachment(&self, auth: Auth<'_>, id: i64) -> Response {
        self.delete(&format!("/api/attachments/{id}"), auth).await
    }

    /// The server's file store, opened as the server opens it.
    pub fn storage(&self) -> Storage {
        Storage::new(&self.config().storage).expect("the file store")
    }

    /// How many objects the file store holds.
    pub async fn stored_objects(&self) -> usize {
        use futures::TryStreamExt;
        let later = chrono::Utc::now() + chrono::TimeDelta::hours(1);
        let storage = self.storage();
        let keys: Vec<String> = storage
            .stored_before(later)
            .try_collect()
            .await
            .expect("the store lists");
        keys.len()
    }

    /// An object stored with no row naming it, as an upload cut off between its bytes and its
    /// row leaves one; its key.
    pub async fn plant_orphan(&self, organization_id: i64) -> String {
        let storage = self.storage();
        let key = storage.new_key(organization_id);
        let mut upload = storage
            .upload(&key, "text/plain", "attachment", 100)
            .await
            .expect("an upload");
        upload.write(b"left behind").await.expect("written");
        upload.finish().await.expect("stored");
        key
    }

    /// One orphan sweep over the objects stored before `cutoff`; how many it deleted.
    pub async fn sweep_orphans(&self, cutoff: chrono::DateTime<chrono::Utc>) -> usize {
        let db = backend::db::Db::connect(&self.config()).expect("the database");
        backend::housekeeping::sweep_orphans(&db, &self.storage(), cutoff)
            .await
            .expect("a sweep")
    }
}

impl TestApp {
    /// Sends `request` (a head and part of a body) over a connection of its own, never finishing
    /// it, and returns what the server answered meanwhile: its status line, headers and body.
    pub async fn answer_to_unfinished(&self, request: Vec<u8>) -> String {
        use std::io::{Read, Write};

        let address = self.address.trim_start_matches("http://").to_owned();
        tokio::task::spawn_blocking(move || {
            let mut stream = std::net::TcpStream::connect(&address).expect("a connection");
            stream
                .set_read_timeout(Some(std::time::Duration::from_secs(10)))
                .expect("a read timeout");
            stream.write_all(&request).expect("the request so far");
            let mut answer = Vec::new();
            let mut buffer = [0; 4096];
            // Until the server closes, or the answer's body is whole, or ten seconds pass.
            while let Ok(read @ 1..) = stream.read(&mut buffer) {
                answer.extend_from_slice(&buffer[..read]);
                if answer.ends_with(b"}}") {
                    break;
                }
            }
            String::from_utf8_lossy(&answer).into_owned()
        })
        .await
        .expect("the client ran")
    }
}
