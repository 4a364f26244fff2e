//! The credit guards on the demo routes: `POST /api/generate-text` (`Paid<_, 1>`) and
//! `GET /api/demo/premium` (`RequireCredits`).

mod concurrency;
mod generate;
mod premium;
mod refused_input;
