//! Password guessing: the sign-in limit per client IP stops a guesser (even the right password
//! gets 429 once limited) while people at other addresses sign in as usual, and the time a
//! refusal takes does not tell an unknown email from a wrong password.
//! (ops/rate_limit.rs: the 429's Retry-After, and a forged X-Forwarded-For changing nothing.)

use std::{
    net::{IpAddr, Ipv4Addr},
    time::{Duration, Instant},
};

use reqwest::StatusCode;

use crate::helpers::*;

const PER_MINUTE: usize = 5;
const GUESSER: IpAddr = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2));
const OWNER: IpAddr = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 3));
/// Login attempts timed per kind (unknown email, wrong password), interleaved.
const ROUNDS: usize = 15;
/// The allowed ratio of the two medians: generous, for shared CI machines. The dummy hash makes
/// them equal in principle; a server that skips bcrypt for unknown emails is ~100x faster.
const TIMING_RATIO: std::ops::RangeInclusive<f64> = 0.5..=2.0;

both_backends!(
    a_guesser_is_limited_by_address_while_the_owner_signs_in,
    login_timing_does_not_reveal_whether_an_email_exists
);

async fn a_guesser_is_limited_by_address_while_the_owner_signs_in(backend: Backend) {
    let limits = [
        ("RATE_LIMIT_ENABLED", "true"),
        ("RATE_LIMIT_AUTH_PER_MINUTE", "5"),
    ];
    let app = TestApp::spawn_with(backend, &limits).await;
    let owner = app.browser_at(OWNER);
    let user = owner.new_user().await;
    let guesser = app.browser_at(GUESSER);

    for guess in 0..PER_MINUTE + 3 {
        let response = guesser
            .try_login(&user.email, &format!("guess {guess}"))
            .await;
        let case = format!("guess {guess}");
        if guess < PER_MINUTE {
            expect_error_for(
                &case,
                response,
                StatusCode::UNAUTHORIZED,
                "invalid_credentials",
            )
            .await;
        } else {
            expect_error_for(
                &case,
                response,
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
            )
            .await;
        }
    }
    // Limited, the guesser learns nothing even from the right password.
    let right = guesser.try_login(&user.email, PASSWORD).await;
    assert!(
        RefreshCookie::of(&right).is_none(),
        "no session for a limited client"
    );
    expect_error(right, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;

    // The owner, at another address, is not locked out by the attack.
    let tokens = owner.login(&user.email, PASSWORD).await;
    assert_eq!(tokens.user.id, user.id);
}

async fn login_timing_does_not_reveal_whether_an_email_exists(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("BCRYPT_COST", "10")]).await;
    let user = app.new_user().await;
    // The first unknown email pays for making the dummy hash: not part of the measure.
    refused_login_time(&app, &unique_email()).await;
    refused_login_time(&app, &user.email).await;

    let (mut unknown, mut known) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        unknown.push(refused_login_time(&app, &unique_email()).await);
        known.push(refused_login_time(&app, &user.email).await);
    }

    let (unknown, known) = (median(unknown), median(known));
    let ratio = unknown.as_secs_f64() / known.as_secs_f64();
    let report = format!(
        "{backend:?}: median refused login over {ROUNDS} tries at bcrypt cost 10: unknown email \
         {unknown:?}, wrong password {known:?}, ratio {ratio:.2}"
    );
    println!("{report}");
    assert!(
        TIMING_RATIO.contains(&ratio),
        "{report}: outside {TIMING_RATIO:?}"
    );
}

/// How long a login with a wrong password for `email` takes to be refused.
async fn refused_login_time(app: &TestApp, email: &str) -> Duration {
    let start = Instant::now();
    let response = app.try_login(email, "a wrong guess").await;
    let elapsed = start.elapsed();
    expect_error(response, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    elapsed
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort_unstable();
    samples[samples.len() / 2]
}
