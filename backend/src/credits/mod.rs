//! The credit guards: a paid route declares its input and its price in its signature.
//!
//! ```ignore
//! async fn generate_text(paid: Paid<GenerateTextRequest, 1>) -> ...
//! ```
//!
//! `Paid<T, N>` checks the body `T`, then spends N credits before the handler runs (402 when the
//! balance is short), and `refund_failed_charges` gives them back when the response is an error.
//! `RequireCredits` only checks for a positive balance (subscription-style access).

mod charge;
mod paid;
mod refund;
mod require;
#[cfg(test)]
mod tests;

pub use paid::Paid;
pub use refund::refund_failed_charges;
pub use require::RequireCredits;
