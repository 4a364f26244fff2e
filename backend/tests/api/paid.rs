//! The credit guards on the demo routes: `POST /api/generate-text` (`Paid<_, 1>`),
//! `POST /api/generate-story` (`Metered<_>`), `GET /api/demo/premium` (`RequireCredits`), and
//! idempotent retries of a paid call.

mod concurrency;
mod generate;
mod idempotency;
mod metered;
mod premium;
mod refused_input;
