//! The credit guard on the demo routes: `POST /api/generate-text` (`Charge<1>`) and
//! `GET /api/demo/premium` (`RequireCredits`).

mod concurrency;
mod generate;
mod premium;
mod refunds;
