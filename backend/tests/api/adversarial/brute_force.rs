//! Password guessing: the sign-in limit per client IP stops a guesser (even the right password
//! gets 429 once limited) while people at other addresses sign in as usual; every route that
//! checks a password shares that limit, per address and per account; and the time a refusal
//! takes does not tell an unknown email from a wrong password.
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
/// Where the holder of a stolen access token guesses from.
const THIEF: [IpAddr; 3] = [
    IpAddr::V4(Ipv4Addr::new(127, 0, 0, 4)),
    IpAddr::V4(Ipv4Addr::new(127, 0, 0, 5)),
    IpAddr::V4(Ipv4Addr::new(127, 0, 0, 6)),
];
const WRONG_PASSWORD: (StatusCode, &str) = (StatusCode::UNAUTHORIZED, "invalid_credentials");
const LIMITS: [(&str, &str); 2] = [
    ("RATE_LIMIT_ENABLED", "true"),
    ("RATE_LIMIT_AUTH_PER_MINUTE", "5"),
];
/// Login attempts timed per kind (unknown email, wrong password), interleaved.
const ROUNDS: usize = 15;
/// The allowed ratio of the two medians: generous, for shared CI machines. The dummy hash makes
/// them equal in principle; a server that skips bcrypt for unknown emails is ~100x faster.
const TIMING_RATIO: std::ops::RangeInclusive<f64> = 0.5..=2.0;

both_backends!(
    a_guesser_is_limited_by_address_while_the_owner_signs_in,
    password_change_guesses_are_limited_per_address_and_account,
    login_timing_does_not_reveal_whether_an_email_exists
);

async fn a_guesser_is_limited_by_address_while_the_owner_signs_in(backend: Backend) {
    let app = TestApp::spawn_with(backend, &LIMITS).await;
    let owner = app.browser_at(OWNER);
    let user = owner.new_user().await;
    let guesser = app.browser_at(GUESSER);

    for guess in 0..PER_MINUTE + 3 {
        let case = format!("guess {guess}");
        let response = guesser.try_login(&user.email, &case).await;
        expect_error_within_quota(&case, guess, PER_MINUTE, response, WRONG_PASSWORD).await;
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

/// A stolen access token used to guess the current password through the password change at the
/// API quota (6000 a minute, ~300 times the sign-in limit). Those guesses now count as sign-in
/// attempts: per address, and per account at twice that, so more addresses buy no more guesses
/// on the account, through either route.
async fn password_change_guesses_are_limited_per_address_and_account(backend: Backend) {
    let app = TestApp::spawn_with(backend, &LIMITS).await;
    let user = app.browser_at(OWNER).new_user().await;
    let [first, second, third] = THIEF.map(|ip| app.browser_at(ip));
    let new_password = "a brand new password";

    for guess in 0..=PER_MINUTE {
        let case = format!("first address, guess {guess}");
        let response = first
            .try_change_password(user.bearer(), &case, new_password)
            .await;
        expect_error_within_quota(&case, guess, PER_MINUTE, response, WRONG_PASSWORD).await;
    }
    // Another address has a quota of its own, and the account room for it...
    for guess in 0..PER_MINUTE {
        let case = format!("second address, guess {guess}");
        let response = second
            .try_change_password(user.bearer(), &case, new_password)
            .await;
        expect_error_within_quota(&case, guess, PER_MINUTE, response, WRONG_PASSWORD).await;
    }
    // ...but not a third, whichever route it tries, right password or not.
    let response = third
        .try_change_password(user.bearer(), PASSWORD, new_password)
        .await;
    expect_error(response, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    let response = third.try_login(&user.email, PASSWORD).await;
    assert!(RefreshCookie::of(&response).is_none(), "no session");
    expect_error(response, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
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
