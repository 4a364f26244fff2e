//! Usage by key: `GET /api/credits/usage?key_id=` sums one key's calls (refunds netted), and
//! the key list shows what every key spent today and this month, limited or not.

use chrono::{Datelike, TimeDelta, Timelike, Utc};
use reqwest::StatusCode;
use serde_json::json;
use shared::dto::{ApiKey, CreatedKey, UsageDay};

use crate::helpers::*;

both_backends!(
    usage_can_be_read_per_key_and_the_list_shows_each_keys_spend,
    usage_of_a_key_that_is_not_the_organisations_is_404,
);

async fn today_spent(app: &TestApp, user: &TestUser, query: &str) -> i64 {
    let days: Vec<UsageDay> =
        expect_json(app.try_usage(user.bearer(), query).await, StatusCode::OK).await;
    days.last().expect("today is in the answer").spent
}

fn spend_of(keys: &[ApiKey], key: &CreatedKey) -> (i64, i64) {
    let listed = keys
        .iter()
        .find(|k| k.id == key.id)
        .expect("the key is listed");
    (listed.spent_today, listed.spent_this_month)
}

async fn usage_can_be_read_per_key_and_the_list_shows_each_keys_spend(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user_with_credits(100).await;
    let plain = app.create_key(user.bearer(), "plain").await;
    let body = json!({ "name": "limited", "spend_limit_daily": 50 });
    let limited: CreatedKey = expect_json(
        app.try_create_key_json(user.bearer(), &body).await,
        StatusCode::CREATED,
    )
    .await;
    let idle = app.create_key(user.bearer(), "idle").await;
    app.spend(Auth::Key(&plain.key), 3).await;
    app.spend(Auth::Key(&limited.key), 2).await;
    app.spend(user.bearer(), 1).await;

    assert_eq!(today_spent(&app, &user, "days=1").await, 6);
    let of_plain = format!("days=1&key_id={}", plain.id);
    assert_eq!(today_spent(&app, &user, &of_plain).await, 3);
    let of_limited = format!("days=1&key_id={}", limited.id);
    assert_eq!(today_spent(&app, &user, &of_limited).await, 2);
    // A purchase or grant is no key's: a key's usage shows none.
    let days: Vec<UsageDay> = expect_json(
        app.try_usage(user.bearer(), &of_plain).await,
        StatusCode::OK,
    )
    .await;
    assert!(days.iter().all(|d| d.purchased == 0), "{days:?}");

    let keys = app.keys(user.bearer()).await;
    assert_eq!(
        spend_of(&keys, &plain),
        (3, 3),
        "an unlimited key's spend is listed too"
    );
    assert_eq!(spend_of(&keys, &limited), (2, 2));
    assert_eq!(spend_of(&keys, &idle), (0, 0));

    // A revoked key's usage stays readable.
    let revoked = app.try_delete_key(user.bearer(), plain.id).await;
    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);
    assert_eq!(today_spent(&app, &user, &of_plain).await, 3);

    // On the next UTC day (by the server's clock) today's spend starts again; the month's
    // stays unless the month turned too.
    let now = Utc::now();
    let since_midnight = TimeDelta::seconds(i64::from(now.num_seconds_from_midnight()));
    let left = TimeDelta::days(1) - since_midnight + TimeDelta::seconds(1);
    app.advance_clock(left.to_std().expect("a positive duration"));
    let month_turned = (now + left).month() != now.month();
    let this_month = if month_turned { 0 } else { 2 };
    let keys = app.keys(user.bearer()).await;
    assert_eq!(spend_of(&keys, &limited), (0, this_month));
}

async fn usage_of_a_key_that_is_not_the_organisations_is_404(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;
    let stranger = app.new_browser().new_user().await;
    let theirs = app.create_key(stranger.bearer(), "theirs").await;

    for key_id in [theirs.id.to_string(), "999999".to_owned()] {
        let response = app
            .try_usage(user.bearer(), &format!("key_id={key_id}"))
            .await;
        expect_error(response, StatusCode::NOT_FOUND, "not_found").await;
    }
    let response = app.try_usage(user.bearer(), "key_id=abc").await;
    expect_error(response, StatusCode::BAD_REQUEST, "validation_error").await;
}
