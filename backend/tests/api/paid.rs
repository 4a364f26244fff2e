//! The credit guards on the demo routes: `POST /api/generate-text` (`Paid<_, 1>`) and
//! `GET /api/demo/premium` (`RequireCredits`), and idempotent retries of a paid call.

mod concurrency;
mod generate;
mod idempotency;
mod premium;
mod refused_input;
