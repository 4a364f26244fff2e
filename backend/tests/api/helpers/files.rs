//! Files a test owns: temporary directories (test-support's, removed when dropped) and a built
//! SPA to serve.

pub use test_support::TempDir;

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
