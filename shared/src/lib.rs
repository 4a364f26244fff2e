//! Types and rules shared by the API (`backend`) and the SPA (`frontend`).
//!
//! Everything here is plain data and pure functions: no I/O, so it compiles for native and
//! `wasm32-unknown-unknown` alike, and the SPA validates input exactly as the API does.

pub mod dto;
pub mod validate;

pub use validate::ValidationError;
