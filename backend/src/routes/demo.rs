//! The demo paid routes: copy one to add your own.

use actix_web::{get, post, web};
use shared::dto::{GenerateTextRequest, GenerateTextResponse, PremiumResponse};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::credits::{Paid, RequireCredits};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(generate_text).service(premium);
}

/// Costs 1 credit, spent once the prompt passed its rules: a refused prompt costs nothing.
#[utoipa::path(
    post,
    tag = "paid",
    request_body = GenerateTextRequest,
    responses(
        (status = 200, description = "The answer; `credits` is the balance left", body = GenerateTextResponse),
        Paid<GenerateTextRequest, 1>,
    )
)]
#[post("/generate-text")]
async fn generate_text(paid: Paid<GenerateTextRequest, 1>) -> web::Json<GenerateTextResponse> {
    web::Json(GenerateTextResponse {
        generated_text: generate(paid.input.as_str()),
        credits: paid.remaining,
    })
}

/// Needs a positive balance, spends nothing (subscription-style access).
#[utoipa::path(
    get,
    tag = "paid",
    responses(
        (status = 200, description = "Needs a positive balance; spends nothing", body = PremiumResponse),
        RequireCredits,
    )
)]
#[get("/demo/premium")]
async fn premium(access: RequireCredits) -> web::Json<PremiumResponse> {
    web::Json(PremiumResponse {
        message: "Welcome to the premium area: a positive balance lets you in without spending."
            .to_owned(),
        credits: access.caller.org.credits,
    })
}

/// Stands in for the real work a paid route sells (a model call, a report, ...).
fn generate(prompt: &str) -> String {
    let words = prompt.split_whitespace().count();
    format!(
        "Here is a generated answer to your {words}-word prompt: \u{201c}{prompt}\u{201d}. Replace `generate` in backend/src/routes/demo.rs with your product."
    )
}

#[cfg(test)]
mod tests {
    /// The README's "Add your own paid route" shows this file's code, so the snippet compiles
    /// because this file does: each part between `// ...` lines must be here word for word.
    #[test]
    fn the_readme_shows_this_code_as_it_is() {
        let readme = include_str!("../../../README.md");
        let source = include_str!("demo.rs");
        let section = readme
            .split("## Add your own paid route")
            .nth(1)
            .expect("the README has the section");
        let snippet = section
            .split("```rust\n")
            .nth(1)
            .and_then(|rest| rest.split("```").next())
            .expect("the section has a rust block");
        let body = snippet
            .strip_prefix("// backend/src/routes/demo.rs\n")
            .expect("the block names this file first");
        for part in body.split("// ...\n") {
            let part = part.trim_matches('\n');
            assert!(!part.is_empty());
            assert!(
                source.contains(part),
                "README.md shows code that is not in demo.rs:\n{part}"
            );
        }
    }
}
