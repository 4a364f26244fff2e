//! Fixtures shared by the backend's tests, the e2e tests and the bench (a dev-only crate: the
//! backend never depends on it outside its tests):
//!
//! - [`ScratchDatabase`]: a fresh, empty database (an SQLite file, or a PostgreSQL database on
//!   `TEST_DATABASE_URL`), deleted when dropped;
//! - [`ServerSettings`]: the environment a server under test gets, and nothing else;
//! - [`ServerChild`]: a server binary as a child process, its output in files, killed when
//!   dropped;
//! - [`TempDir`]: a directory removed when dropped;
//! - [`MailDev`]: a real SMTP server whose inbox the tests read;
//! - [`OidcProvider`]: a real OpenID Connect provider, and [`ProviderBrowser`] to use its pages;
//! - [`S3Server`]: a real S3 endpoint (moto).

mod database;
mod maildev;
mod moto;
pub mod oidc;
pub mod postgres;
mod process;
mod server_child;
mod settings;
mod temp_dir;

pub use database::{Backend, ScratchDatabase};
pub use maildev::{Email, MailDev};
pub use moto::S3Server;
pub use oidc::{OidcProvider, ProviderBrowser};
pub use server_child::{ServerChild, kib_field};
pub use settings::{ServerSettings, TEST_SIGNING_KEY, free_port};
pub use temp_dir::TempDir;
