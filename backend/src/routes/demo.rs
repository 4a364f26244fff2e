//! The demo paid routes: copy one to add your own.

use actix_web::{get, post, web};
use shared::{
    dto::{
        GenerateStoryRequest, GenerateStoryResponse, GenerateTextRequest, GenerateTextResponse,
        PremiumResponse,
    },
    validate::StoryRequest,
};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::{
    credits::{MaxCost, Metered, Paid, RequireCredits},
    error::ApiError,
};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(generate_text)
        .service(generate_story)
        .service(premium);
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

/// A story costs one credit per 100 words it came to: `max_words` bounds what is reserved.
const WORDS_PER_CREDIT: i64 = 100;

impl MaxCost for GenerateStoryRequest {
    fn max_cost(input: &StoryRequest) -> i64 {
        credits_for(input.max_words)
    }
}

fn credits_for(words: i64) -> i64 {
    words.div_euclid(WORDS_PER_CREDIT) + i64::from(words.rem_euclid(WORDS_PER_CREDIT) > 0)
}

/// Metered: reserves what `max_words` could cost, then charges what the story came to.
#[utoipa::path(
    post,
    tag = "paid",
    request_body = GenerateStoryRequest,
    responses(
        (status = 200, description = "The story and what it cost; `credits` is the balance left", body = GenerateStoryResponse),
        Metered<GenerateStoryRequest>,
    )
)]
#[post("/generate-story")]
async fn generate_story(
    mut paid: Metered<GenerateStoryRequest>,
) -> Result<web::Json<GenerateStoryResponse>, ApiError> {
    let story = tell(&paid.input);
    let words = i64::try_from(story.split_whitespace().count()).unwrap_or(i64::MAX);
    let credits_charged = credits_for(words);
    let credits = paid.settle(credits_charged).await?;
    Ok(web::Json(GenerateStoryResponse {
        story,
        words,
        credits_charged,
        credits,
    }))
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

/// Stands in for work whose size is known once it is done: the prompt's words told ten times
/// over, at most `max_words` of them.
fn tell(input: &StoryRequest) -> String {
    let words: Vec<&str> = input.prompt.as_str().split_whitespace().collect();
    let told = usize::try_from(input.max_words)
        .unwrap_or(usize::MAX)
        .min(words.len() * 10);
    words
        .iter()
        .cycle()
        .take(told)
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_story_costs_a_credit_per_hundred_words_started() {
        let costs: Vec<i64> = [1, 99, 100, 101, 10_000].map(super::credits_for).to_vec();
        assert_eq!(costs, [1, 1, 1, 2, 100]);
    }

    /// The README's "Add your own paid route" shows this file's code, so the snippet compiles
    /// because this file does.
    #[test]
    fn the_readme_shows_this_code_as_it_is() {
        crate::routes::assert_readme_shows(
            "## Add your own paid route",
            "backend/src/routes/demo.rs",
            include_str!("demo.rs"),
        );
    }
}
