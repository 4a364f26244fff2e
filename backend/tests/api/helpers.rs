//! The test harness: one real server per test on its own database, typed calls to every route,
//! and the assertions the tests share.

mod app;
mod assertions;
mod attachments;
mod binary;
mod calls;
mod database;
mod email;
mod files;
mod load;
mod malformed;
mod openapi;
mod orgs;
mod providers;
mod routes;
mod tasks;
mod users;

pub use app::{Auth, PROD_MODE, TestApp};
pub use assertions::{
    assert_answers_recorded, assert_ledger_consistent, expect_error, expect_error_for,
    expect_error_within_quota, expect_header, expect_json, expect_no_content, expect_text,
    expect_validation_error, header_value,
};
pub use attachments::png_of;
pub use binary::ServerProcess;
pub use calls::RefreshCookie;
pub use database::Backend;
pub use email::{CHANGE_SUBJECT, PASSWORD_CHANGED_SUBJECT, RESET_SUBJECT, VERIFY_SUBJECT};
pub use files::{SpaBuild, TempDir};
pub use load::{Answer, fire, flood_get};
pub use malformed::{Malformed, assert_rejects_malformed};
pub use openapi::Operation;
pub use orgs::INVITATION_SUBJECT;
pub use providers::{
    LOCAL, LOCAL_NAME, PUBLIC_URL, assert_failed, location, unverified_login, verified_login,
};
pub use routes::Route;
pub use tasks::expect_task;
pub use users::{PASSWORD, TestUser, unique_email};

/// Writes each test once and runs it on both databases:
/// `both_backends!(name);` turns `async fn name(backend: Backend)` into `name::sqlite` and
/// `name::postgres`. The PostgreSQL variant needs `TEST_DATABASE_URL` (see [`Backend`]).
macro_rules! both_backends {
    ($($name:ident),+ $(,)?) => {$(
        mod $name {
            use $crate::helpers::Backend;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name(Backend::Sqlite).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if Backend::Postgres.is_available() {
                    super::$name(Backend::Postgres).await;
                }
            }
        }
    )+};
}
