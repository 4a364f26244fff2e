//! One file on its way into the store: counted against the upload limit and hashed as it goes,
//! so nothing holds the whole file; dropped or failed, the partial object is removed.

use object_store::WriteMultipart;
use sha2::{Digest, Sha256};

use super::StorageError;

/// Parts an upload may have in flight before it waits for one to finish (back pressure).
const IN_FLIGHT: usize = 2;

/// What was stored: the size and the SHA-256 (lowercase hex) of the bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub size: u64,
    pub sha256: String,
}

#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error("the file is larger than {max} bytes")]
    TooLarge { max: u64 },
    #[error("the object store failed")]
    Store(#[from] StorageError),
}

pub struct Upload {
    writer: WriteMultipart,
    hasher: Sha256,
    size: u64,
    max: u64,
}

impl Upload {
    pub(super) fn new(writer: WriteMultipart, max: u64) -> Self {
        Self {
            writer,
            hasher: Sha256::new(),
            size: 0,
            max,
        }
    }

    /// Appends `chunk`, refusing one that takes the file past the limit.
    pub async fn write(&mut self, chunk: &[u8]) -> Result<(), UploadError> {
        let size = self.size.saturating_add(chunk.len() as u64);
        if size > self.max {
            return Err(UploadError::TooLarge { max: self.max });
        }
        self.writer.wait_for_capacity(IN_FLIGHT).await?;
        self.hasher.update(chunk);
        self.writer.write(chunk);
        self.size = size;
        Ok(())
    }

    /// Completes the object.
    pub async fn finish(self) -> Result<Stored, StorageError> {
        self.writer.finish().await?;
        Ok(Stored {
            size: self.size,
            sha256: hex::encode(self.hasher.finalize()),
        })
    }

    /// Removes what was written so far.
    pub async fn abort(self) {
        if let Err(e) = self.writer.abort().await {
            crate::error::log_error_chain(&e, "could not abort an upload; the sweep will");
        }
    }
}
