//! Files attached to tasks: upload, list, download, delete; the limits (size, type, quota); the
//! orphan sweep; download links; the same against S3 (moto).

mod links;
mod quota;
mod refused;
mod s3;
mod succeeds;
