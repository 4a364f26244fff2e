//! A directory a test or a bench run owns, removed with its contents when dropped.

use std::{
    io,
    path::{Path, PathBuf},
};

#[derive(Debug)]
pub struct TempDir {
    path: PathBuf,
    kept: bool,
}

impl TempDir {
    /// A new directory `<label>-<random>` under the system's temp dir. A test fixture: it panics
    /// when the directory cannot be made.
    pub fn new(label: &str) -> Self {
        Self::new_in(&std::env::temp_dir(), label)
            .unwrap_or_else(|e| panic!("cannot create a temporary directory: {e}"))
    }

    /// A new directory `<label>-<random>` in `parent` (made if missing).
    pub fn new_in(parent: &Path, label: &str) -> io::Result<Self> {
        std::fs::create_dir_all(parent)?;
        let dir = tempfile::Builder::new()
            .prefix(&format!("{label}-"))
            .tempdir_in(parent)?;
        // Removed by our own `Drop`, which retries.
        Ok(Self {
            path: dir.keep(),
            kept: false,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Leaves the directory in place when dropped (the logs of a failed run, for a look).
    pub fn keep(&mut self) {
        self.kept = true;
    }

    /// Writes `contents` to `name` in this directory.
    pub fn write(&self, name: &str, contents: &str) {
        let path = self.path.join(name);
        std::fs::write(&path, contents)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    }

    /// The contents of `name` in this directory (empty if it does not exist yet).
    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path.join(name)).unwrap_or_default()
    }
}

impl Drop for TempDir {
    /// A server may still be writing into the directory (an in-process one runs until the test
    /// binary exits), which can drop a new file in between: try again a few times.
    fn drop(&mut self) {
        if self.kept {
            return;
        }
        let mut result = Ok(());
        for _ in 0..5 {
            result = std::fs::remove_dir_all(&self.path);
            if result.is_ok() || !self.path.exists() {
                return;
            }
        }
        if let Err(e) = result {
            eprintln!("could not remove {}: {e}", self.path.display());
        }
    }
}
