//! moto in server mode (PyPI `moto[server]`, installed by `make test` into `.tools/moto`): a
//! real S3 endpoint for the file storage tests. One runs per test process on a free port; each
//! test makes a bucket of its own.

use std::{
    io,
    process::Child,
    sync::{Mutex, OnceLock},
};

use crate::{
    free_port,
    process::{spawn_guarded, wait_for_ports},
};

const BINARY: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../.tools/moto/bin/moto_server"
);

pub struct S3Server {
    endpoint: String,
    /// The shell that runs moto and stops it when this process exits (its stdin closes).
    _guard: Mutex<Child>,
}

impl S3Server {
    /// The test process's moto, started on first use.
    pub fn shared() -> &'static Self {
        static SHARED: OnceLock<S3Server> = OnceLock::new();
        SHARED.get_or_init(|| {
            Self::start().unwrap_or_else(|e| {
                panic!("cannot start moto ({BINARY}): {e}; run `make test-servers`")
            })
        })
    }

    fn start() -> io::Result<Self> {
        let port = free_port()?;
        let guard = spawn_guarded(&[BINARY, "-H", "127.0.0.1", "-p", &port.to_string()], &[])?;
        wait_for_ports(&[port], "moto")?;
        Ok(Self {
            endpoint: format!("http://127.0.0.1:{port}"),
            _guard: Mutex::new(guard),
        })
    }

    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// A new, empty bucket, and the settings of a server keeping its files under `files/` in
    /// it: `STORAGE_URL` and the `AWS_*` credentials, region and endpoint.
    pub async fn bucket_settings(&self) -> Vec<(String, String)> {
        let bucket = format!("t-{}", uuid::Uuid::new_v4().simple());
        let response = reqwest::Client::new()
            .put(format!("{}/{bucket}", self.endpoint))
            .send()
            .await
            .unwrap_or_else(|e| panic!("moto did not answer: {e}"));
        assert!(
            response.status().is_success(),
            "moto refused the bucket: {}",
            response.status()
        );
        [
            ("STORAGE_URL", format!("s3://{bucket}/files")),
            ("AWS_ENDPOINT_URL", self.endpoint.clone()),
            ("AWS_ALLOW_HTTP", "true".to_owned()),
            ("AWS_ACCESS_KEY_ID", "test".to_owned()),
            ("AWS_SECRET_ACCESS_KEY", "test".to_owned()),
            ("AWS_REGION", "us-east-1".to_owned()),
        ]
        .map(|(name, value)| (name.to_owned(), value))
        .to_vec()
    }
}
