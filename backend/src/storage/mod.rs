//! Attachments' bytes: a directory by default, S3 in production, behind `object_store`. An
//! object is named by a random key under its organisation's prefix, never by what the client
//! called the file, so no name can reach another path.

mod sniff;
mod upload;

use std::{sync::Arc, time::Duration};

use bytes::Bytes;
use chrono::{DateTime, Utc};
use futures_util::{StreamExt, TryStreamExt, stream::BoxStream};
use object_store::{
    Attribute, Attributes, ObjectStore, PutMultipartOptions, WriteMultipart,
    aws::{AmazonS3, AmazonS3Builder, AmazonS3ConfigKey},
    local::LocalFileSystem,
    path::Path,
    signer::Signer,
};
use secrecy::ExposeSecret;

pub use sniff::{SNIFF_LEN, content_type};
pub use upload::{Stored, Upload, UploadError};

use crate::{
    auth::secret::random_token,
    config::{StorageConfig, StorageUrl},
};

/// Parts written to a local file at a time: small, so that many uploads at once hold little.
const LOCAL_CHUNK: usize = 256 * 1024;
/// S3's smallest multipart part.
const S3_CHUNK: usize = 5 * 1024 * 1024;
/// How long a presigned download URL works.
pub const DOWNLOAD_URL_TTL: Duration = Duration::from_secs(300);

pub type StorageError = object_store::Error;

/// How a download is served.
pub enum Download {
    /// The bytes, streamed by this server (a local directory).
    Stream(BoxStream<'static, Result<Bytes, StorageError>>),
    /// A short-lived presigned URL to fetch them from (S3).
    Redirect(String),
}

pub struct Storage {
    store: Arc<dyn ObjectStore>,
    /// S3, which presigns download URLs and keeps each object's headers; `None` for a directory.
    s3: Option<Arc<AmazonS3>>,
    /// Every key starts with it (`STORAGE_URL`'s prefix).
    root: Path,
    chunk_size: usize,
}

impl Storage {
    pub fn new(config: &StorageConfig) -> Result<Self, StorageError> {
        match &config.url {
            StorageUrl::Local(dir) => {
                std::fs::create_dir_all(dir).map_err(|source| StorageError::Generic {
                    store: "LocalFileSystem",
                    source: Box::new(source),
                })?;
                // Removes the directories a delete leaves empty.
                let local = LocalFileSystem::new_with_prefix(dir)?.with_automatic_cleanup(true);
                Ok(Self {
                    store: Arc::new(local),
                    s3: None,
                    root: Path::default(),
                    chunk_size: LOCAL_CHUNK,
                })
            }
            StorageUrl::S3 { bucket, prefix } => {
                let mut builder = AmazonS3Builder::new().with_bucket_name(bucket);
                for (var, value) in &config.aws {
                    if let Ok(key) = var.to_ascii_lowercase().parse::<AmazonS3ConfigKey>() {
                        builder = builder.with_config(key, value.expose_secret());
                    }
                }
                let s3 = Arc::new(builder.build()?);
                Ok(Self {
                    store: s3.clone(),
                    s3: Some(s3),
                    root: Path::from(prefix.as_str()),
                    chunk_size: S3_CHUNK,
                })
            }
        }
    }

    /// A new, unguessable key for a file of the organisation's.
    pub fn new_key(&self, organization_id: i64) -> String {
        let key = self
            .root
            .child("orgs")
            .child(organization_id.to_string())
            .child(random_token(24));
        key.to_string()
    }

    /// Begins writing `key`. On S3 the object keeps the headers its downloads are sent with.
    pub async fn upload(
        &self,
        key: &str,
        content_type: &str,
        disposition: &str,
        max_bytes: u64,
    ) -> Result<Upload, StorageError> {
        let mut opts = PutMultipartOptions::default();
        if self.s3.is_some() {
            opts.attributes = Attributes::from_iter([
                (Attribute::ContentType, content_type.to_owned()),
                (Attribute::ContentDisposition, disposition.to_owned()),
            ]);
        }
        let multipart = self
            .store
            .put_multipart_opts(&Path::from(key), opts)
            .await?;
        let writer = WriteMultipart::new_with_chunk_size(multipart, self.chunk_size);
        Ok(Upload::new(writer, max_bytes))
    }

    /// The bytes of `key`, or where to fetch them.
    pub async fn download(&self, key: &str) -> Result<Download, StorageError> {
        if let Some(url) = self.presigned_url(key).await? {
            return Ok(Download::Redirect(url));
        }
        let object = self.store.get(&Path::from(key)).await?;
        Ok(Download::Stream(object.into_stream()))
    }

    /// From S3: a URL that serves `key` to anyone for `DOWNLOAD_URL_TTL`, with the headers the
    /// object was stored with. `None` for a directory, whose files only this server serves.
    pub async fn presigned_url(&self, key: &str) -> Result<Option<String>, StorageError> {
        let Some(s3) = &self.s3 else {
            return Ok(None);
        };
        let url = s3
            .signed_url(http::Method::GET, &Path::from(key), DOWNLOAD_URL_TTL)
            .await?;
        Ok(Some(url.to_string()))
    }

    /// Deletes `key`; one already gone is no error.
    pub async fn delete(&self, key: &str) -> Result<(), StorageError> {
        match self.store.delete(&Path::from(key)).await {
            Err(StorageError::NotFound { .. }) | Ok(()) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// The keys of the objects written before `cutoff`, a page at a time: the candidates of the
    /// orphan sweep (a younger object may be an upload whose row is being written).
    pub fn stored_before(
        &self,
        cutoff: DateTime<Utc>,
    ) -> BoxStream<'_, Result<String, StorageError>> {
        self.store
            .list(Some(&self.root))
            .try_filter_map(move |meta| async move {
                Ok((meta.last_modified < cutoff).then(|| meta.location.to_string()))
            })
            .boxed()
    }
}
