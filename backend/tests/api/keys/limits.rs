//! Per-key spend limits: a key spends up to its daily and monthly limits and no further, even
//! under 1,000 concurrent calls; the refusal says when the window resets; a new UTC day starts
//! the count again, and a rotation does not.

use chrono::{Datelike, TimeDelta, Timelike, Utc};
use reqwest::StatusCode;
use serde_json::json;
use shared::dto::{ApiKey, CreatedKey};

use crate::helpers::*;

both_backends!(
    a_key_spends_up_to_its_daily_limit_then_402_until_the_next_utc_day,
    a_monthly_limit_holds_across_days,
    a_thousand_concurrent_calls_spend_exactly_what_is_left_in_the_window,
    limits_are_validated_and_a_rotation_keeps_the_count,
);

async fn limited_key(
    app: &TestApp,
    user: &TestUser,
    daily: i64,
    monthly: Option<i64>,
) -> CreatedKey {
    let body =
        json!({ "name": "limited", "spend_limit_daily": daily, "spend_limit_monthly": monthly });
    expect_json(
        app.try_create_key_json(user.bearer(), &body).await,
        StatusCode::CREATED,
    )
    .await
}

async fn listed(app: &TestApp, user: &TestUser, id: i64) -> ApiKey {
    app.keys(user.bearer())
        .await
        .into_iter()
        .find(|k| k.id == id)
        .expect("the key is listed")
}

/// Moves the server's clock to just after the next UTC midnight (as the server counts days,
/// by its clock).
fn to_next_utc_day(app: &TestApp, now: chrono::DateTime<Utc>) {
    let since_midnight = TimeDelta::seconds(i64::from(now.num_seconds_from_midnight()));
    let left = TimeDelta::days(1) - since_midnight + TimeDelta::seconds(1);
    app.advance_clock(left.to_std().expect("a positive duration"));
}

async fn a_key_spends_up_to_its_daily_limit_then_402_until_the_next_utc_day(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user_with_credits(100).await;
    let key = limited_key(&app, &user, 3, None).await;
    let other = app.create_key(user.bearer(), "unlimited").await;

    app.spend(Auth::Key(&key.key), 3).await;
    let refused = app.try_generate(Auth::Key(&key.key), "one more").await;
    let error = expect_error(refused, StatusCode::PAYMENT_REQUIRED, "key_spend_limit").await;
    let tomorrow = (key.created_at + TimeDelta::days(1)).date_naive();
    assert!(
        error.message.contains("daily spend limit of 3 credits")
            && error
                .message
                .contains(&format!("resets at {tomorrow}T00:00:00Z")),
        "{}",
        error.message
    );
    // Nothing was charged for it; the organisation's other credentials go on spending.
    assert_eq!(app.balance(user.bearer()).await, 97);
    app.spend(Auth::Key(&other.key), 1).await;
    app.spend(user.bearer(), 1).await;
    let shown = listed(&app, &user, key.id).await;
    assert_eq!(
        (
            shown.spend_limit_daily,
            shown.spent_today,
            shown.spent_this_month
        ),
        (Some(3), 3, 3)
    );

    to_next_utc_day(&app, key.created_at);
    app.spend(Auth::Key(&key.key), 1).await;
    assert_eq!(listed(&app, &user, key.id).await.spent_today, 1);
    assert_ledger_consistent(&app, user.bearer()).await;
}

async fn a_monthly_limit_holds_across_days(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user_with_credits(100).await;
    let key = limited_key(&app, &user, 10, Some(2)).await;

    app.spend(Auth::Key(&key.key), 2).await;
    // A new day, unless the month turned with it (then the test below would not apply).
    let next_day = (key.created_at + TimeDelta::days(1)).date_naive();
    if next_day.month0() == key.created_at.date_naive().month0() {
        to_next_utc_day(&app, key.created_at);
    }
    let refused = app
        .try_generate(Auth::Key(&key.key), "over the month")
        .await;
    let error = expect_error(refused, StatusCode::PAYMENT_REQUIRED, "key_spend_limit").await;
    assert!(
        error.message.contains("monthly spend limit of 2 credits"),
        "{}",
        error.message
    );
}

async fn a_thousand_concurrent_calls_spend_exactly_what_is_left_in_the_window(backend: Backend) {
    const LEFT: i64 = 30;
    const CALLS: usize = 1000;
    let app = TestApp::spawn(backend).await;
    let user = app.new_user_with_credits(1_000_000).await;
    let key = limited_key(&app, &user, LEFT + 5, None).await;
    app.spend(Auth::Key(&key.key), 5).await;

    let race = app.race_paid_calls(&[Auth::Key(&key.key)], CALLS).await;

    assert_eq!(race.remaining.len(), LEFT as usize, "exactly what was left");
    assert_eq!(race.over_key_limit, CALLS - LEFT as usize);
    assert_eq!(race.refused, 0, "the balance was never the limit");
    assert_eq!(app.balance(user.bearer()).await, 1_000_000 - LEFT - 5);
    assert_eq!(listed(&app, &user, key.id).await.spent_today, LEFT + 5);
    assert_ledger_consistent(&app, user.bearer()).await;
}

async fn limits_are_validated_and_a_rotation_keeps_the_count(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user_with_credits(100).await;
    for (field, value) in [
        ("spend_limit_daily", 0_i64),
        ("spend_limit_monthly", -1),
        ("spend_limit_daily", 1_000_000_000_001),
    ] {
        let body = json!({ "name": "k", field: value });
        let response = app.try_create_key_json(user.bearer(), &body).await;
        expect_validation_error(response, field).await;
    }

    let key = limited_key(&app, &user, 2, None).await;
    app.spend(Auth::Key(&key.key), 2).await;
    let rotated: CreatedKey = expect_json(
        app.try_rotate_key(user.bearer(), key.id, 0).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(rotated.spend_limit_daily, Some(2));
    let refused = app
        .try_generate(Auth::Key(&rotated.key), "still today")
        .await;
    expect_error(refused, StatusCode::PAYMENT_REQUIRED, "key_spend_limit").await;
}
