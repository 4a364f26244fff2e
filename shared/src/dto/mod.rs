//! Request and response bodies of the v1 HTTP contract, one module per route group.

pub mod admin;
pub mod attachments;
pub mod auth;
pub mod credits;
pub mod demo;
pub mod email;
pub mod error;
pub mod keys;
pub mod me;
pub mod oauth;
pub mod orgs;
pub mod paging;
pub mod tasks;
pub mod time;

pub use admin::*;
pub use attachments::*;
pub use auth::*;
pub use credits::*;
pub use demo::*;
pub use email::*;
pub use error::*;
pub use keys::*;
pub use me::*;
pub use oauth::*;
pub use orgs::*;
pub use paging::*;
pub use tasks::*;
