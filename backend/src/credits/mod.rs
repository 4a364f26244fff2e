//! The credit guard: a paid route declares its price in its signature.
//!
//! ```ignore
//! async fn generate_text(charge: Charge<1>, body: web::Json<GenerateTextRequest>) -> ...
//! ```
//!
//! `Charge<N>` spends N credits before the handler runs (402 when the balance is short) and
//! `refund_failed_charges` gives them back when the response is an error. `RequireCredits`
//! only checks for a positive balance (subscription-style access).

mod charge;
mod refund;
mod require;

pub use charge::Charge;
pub use refund::refund_failed_charges;
pub use require::RequireCredits;
