//! Daily usage: one entry per UTC day, oldest first, today last.

use chrono::{NaiveDate, Utc};
use reqwest::StatusCode;
use shared::dto::UsageDay;

use crate::helpers::*;

both_backends!(
    usage_has_one_entry_per_day_oldest_first_ending_today,
    usage_defaults_to_30_days_and_allows_1_to_366,
    usage_refuses_day_counts_outside_1_to_366,
);

async fn usage_has_one_entry_per_day_oldest_first_ending_today(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;
    app.buy(user.bearer(), "starter").await;
    app.spend(user.bearer(), 3).await;

    let before = Utc::now().date_naive();
    let usage = usage(&app, &user, "days=7").await;
    let after = Utc::now().date_naive();

    assert_eq!(usage.len(), 7);
    let today = usage[6].date;
    assert!(
        today == before || today == after,
        "the last entry is today (UTC): {usage:?}"
    );
    let dates: Vec<NaiveDate> = usage.iter().map(|day| day.date).collect();
    let expected: Vec<NaiveDate> = (0..7)
        .rev()
        .map(|back| today - chrono::Days::new(back))
        .collect();
    assert_eq!(
        dates, expected,
        "consecutive days, oldest first, empty days included"
    );
    assert_eq!((usage[6].spent, usage[6].purchased), (3, 100));
    assert!(
        usage[..6]
            .iter()
            .all(|day| day.spent == 0 && day.purchased == 0),
        "{usage:?}"
    );
}

async fn usage_defaults_to_30_days_and_allows_1_to_366(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;

    assert_eq!(usage(&app, &user, "").await.len(), 30);
    assert_eq!(usage(&app, &user, "days=1").await.len(), 1);
    assert_eq!(usage(&app, &user, "days=366").await.len(), 366);
}

async fn usage_refuses_day_counts_outside_1_to_366(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;

    for query in ["days=0", "days=367", "days=-5"] {
        let response = app.try_usage(user.bearer(), query).await;
        expect_error(response, StatusCode::BAD_REQUEST, "validation_error").await;
    }
}

async fn usage(app: &TestApp, user: &TestUser, query: &str) -> Vec<UsageDay> {
    expect_json(app.try_usage(user.bearer(), query).await, StatusCode::OK).await
}
