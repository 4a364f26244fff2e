//! `/api/tasks`: the example resource. Create, read, list, change and delete; who may; and the
//! `If-Match` guard that keeps two teammates from overwriting each other.

mod access;
mod refused;
mod succeeds;
