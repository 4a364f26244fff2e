//! Files a test owns: temporary directories (removed when dropped) and a built SPA to serve.

use std::path::{Path, PathBuf};

/// A fresh directory under the system temp dir, removed with its contents when dropped.
#[derive(Debug)]
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(purpose: &str) -> Self {
        let id = uuid::Uuid::new_v4().simple();
        let dir = std::env::temp_dir().join(format!("backend-{purpose}-{id}"));
        std::fs::create_dir_all(&dir)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
        Self(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    /// Writes `contents` to `name` in this directory.
    pub fn write(&self, name: &str, contents: &str) {
        let path = self.0.join(name);
        std::fs::write(&path, contents)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    }

    /// The contents of `name` in this directory (empty if it does not exist yet).
    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.0.join(name)).unwrap_or_default()
    }
}

impl Drop for TempDir {
    /// A server may still be writing into the directory (an in-process one runs until the test
    /// binary exits), which can drop a new file in between: try again a few times.
    fn drop(&mut self) {
        let mut result = Ok(());
        for _ in 0..5 {
            result = std::fs::remove_dir_all(&self.0);
            if result.is_ok() || !self.0.exists() {
                return;
            }
        }
        if let Err(e) = result {
            eprintln!("could not remove {}: {e}", self.0.display());
        }
    }
}

/// A built SPA laid out as Trunk does it, for `STATIC_DIR`: `index.html`, a content-hashed
/// script and a file without a hash.
pub struct SpaBuild {
    dir: TempDir,
}

impl SpaBuild {
    pub const INDEX_HTML: &str =
        "<!doctype html><html><head><title>SPA under test</title></head><body></body></html>\n";
    /// Path of the content-hashed asset (`name-<16 hex digits>.ext`).
    pub const HASHED_ASSET: &str = "/app-0123456789abcdef.js";
    pub const HASHED_ASSET_BODY: &str = "console.log('the hashed asset');\n";
    /// Path of a file whose name carries no hash.
    pub const PLAIN_FILE: &str = "/robots.txt";
    pub const PLAIN_FILE_BODY: &str = "User-agent: *\nDisallow:\n";

    pub fn new() -> Self {
        let dir = TempDir::new("spa");
        dir.write("index.html", Self::INDEX_HTML);
        dir.write(&Self::HASHED_ASSET[1..], Self::HASHED_ASSET_BODY);
        dir.write(&Self::PLAIN_FILE[1..], Self::PLAIN_FILE_BODY);
        Self { dir }
    }

    /// The value of `STATIC_DIR` that serves this build.
    pub fn static_dir(&self) -> String {
        self.dir.path().display().to_string()
    }
}
