//! The credit guards: a paid route declares its input and its price in its signature.
//!
//! ```ignore
//! async fn generate_text(paid: Paid<GenerateTextRequest, 1>) -> ...
//! ```
//!
//! `Paid<T, N>` checks the body `T`, then spends N credits before the handler runs (402 when the
//! balance is short), and `finish_paid_requests` gives them back when the response is an error.
//! `Metered<T>` reserves the most the input may cost and the handler `settle`s what the call came
//! to, the rest given back. A paid POST may carry an `Idempotency-Key`: a retry is answered as the
//! first was, charged once.
//! `RequireCredits` only checks for a positive balance (subscription-style access).

mod charge;
mod idempotency;
mod metered;
mod paid;
mod refund;
mod require;
#[cfg(test)]
mod tests;

pub use metered::{MaxCost, Metered};
pub use paid::Paid;
pub use refund::finish_paid_requests;
pub use require::RequireCredits;
