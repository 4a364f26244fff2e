//! Black-box tests of the HTTP API: each test starts the real server on a random port against a
//! fresh database (SQLite and PostgreSQL) and talks to it over HTTP only.
//!
//! Files are grouped by route group, and inside a group by outcome (what succeeds, what is
//! refused and why).

#[macro_use]
mod helpers;

mod access;
mod admin;
mod adversarial;
mod auth;
mod credits;
mod email;
mod errors;
mod files;
mod keys;
mod me;
mod oauth;
mod ops;
mod orgs;
mod paid;
mod payments;
mod tasks;
