//! `STORAGE_URL`, `MAX_UPLOAD_BYTES`, `STORAGE_QUOTA_BYTES` and the `AWS_*` settings: where
//! attachments are kept, and how much of them.

use std::{path::PathBuf, str::FromStr};

use secrecy::SecretString;

use super::env::{ConfigError, Env};

/// Where `make run` keeps files: beside the SQLite database, needing nothing.
const DEFAULT_URL: &str = "file://./data/files";
const MIB: u64 = 1024 * 1024;

/// The `AWS_*` variables the S3 client reads when set: credentials (none on ECS, where the task
/// role's come from `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`), the region, and an endpoint for
/// S3-compatible stores (MinIO, the tests' moto).
const AWS_SETTINGS: [&str; 12] = [
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_ENDPOINT_URL",
    "AWS_ALLOW_HTTP",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_ARN",
    "AWS_ROLE_SESSION_NAME",
];

/// Where the files are: a directory, or a bucket and a prefix in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageUrl {
    /// `file://./data/files` (relative to the working directory) or `file:///var/files`.
    Local(PathBuf),
    /// `s3://bucket/prefix`.
    S3 { bucket: String, prefix: String },
}

impl FromStr for StorageUrl {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, String> {
        if let Some(path) = raw.strip_prefix("file://") {
            return if path.is_empty() {
                Err("expected a directory after file://, e.g. file://./data/files".to_owned())
            } else {
                Ok(Self::Local(PathBuf::from(path)))
            };
        }
        if let Some(rest) = raw.strip_prefix("s3://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            return if bucket.is_empty() {
                Err("expected a bucket after s3://, e.g. s3://my-bucket/files".to_owned())
            } else {
                Ok(Self::S3 {
                    bucket: bucket.to_owned(),
                    prefix: prefix.trim_matches('/').to_owned(),
                })
            };
        }
        Err("expected file://<directory> or s3://<bucket>/<prefix>".to_owned())
    }
}

#[derive(Debug, Clone)]
pub struct StorageConfig {
    pub url: StorageUrl,
    /// The `AWS_*` settings that are set, by name; `Debug` redacts their values.
    pub aws: Vec<(&'static str, SecretString)>,
    /// The largest file one upload may carry (25 MiB by default).
    pub max_upload_bytes: u64,
    /// What one organisation's files may add up to (1 GiB by default).
    pub quota_bytes: u64,
}

impl StorageConfig {
    pub(super) fn from_env(env: &Env) -> Result<Self, ConfigError> {
        let max_upload_bytes = env.number("MAX_UPLOAD_BYTES", 25 * MIB)?;
        if max_upload_bytes == 0 {
            return Err(ConfigError::new("MAX_UPLOAD_BYTES", "must be at least 1"));
        }
        Ok(Self {
            url: env.parse_or("STORAGE_URL", DEFAULT_URL)?,
            aws: AWS_SETTINGS
                .into_iter()
                .filter_map(|var| env.secret(var).map(|value| (var, value)))
                .collect(),
            max_upload_bytes,
            quota_bytes: env.number("STORAGE_QUOTA_BYTES", 1024 * MIB)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storage_urls() {
        let parse = |raw: &str| raw.parse::<StorageUrl>();
        assert_eq!(
            parse("file://./data/files"),
            Ok(StorageUrl::Local("./data/files".into()))
        );
        assert_eq!(
            parse("file:///var/files"),
            Ok(StorageUrl::Local("/var/files".into()))
        );
        assert_eq!(
            parse("s3://bucket/files/"),
            Ok(StorageUrl::S3 {
                bucket: "bucket".to_owned(),
                prefix: "files".to_owned()
            })
        );
        assert_eq!(
            parse("s3://bucket"),
            Ok(StorageUrl::S3 {
                bucket: "bucket".to_owned(),
                prefix: String::new()
            })
        );
        for bad in ["file://", "s3://", "s3:///files", "gs://bucket", "./data"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
