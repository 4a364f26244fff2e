//! Organisations: the unit that pays. Each account owns a personal one and may make or join
//! others; credits, ledger and keys belong to the organisation a caller acts in.

mod basics;
mod invitations;
mod members;
mod roles;
mod tenancy;
mod wallet;
