//! Daily usage: one entry per UTC day, oldest first, today last.

use backend::{
    db::schema::credit_ledger,
    models::{LedgerRow, ledger::Actor},
};
use chrono::{Days, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use diesel::prelude::*;
use reqwest::StatusCode;
use shared::dto::{LedgerKind, UsageDay};

use crate::helpers::*;

both_backends!(
    usage_has_one_entry_per_day_oldest_first_ending_today,
    usage_sums_each_day_by_kind_across_days,
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

/// Movements of every kind spread over a week, moved back in time in the database (the API only
/// writes "now"): each day sums its own, at its first and its last microsecond, and nothing from
/// before the window.
async fn usage_sums_each_day_by_kind_across_days(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;
    app.buy(user.bearer(), "starter").await;
    app.buy(user.bearer(), "starter").await;
    app.spend(user.bearer(), 2).await;
    app.grant_by_task(&user.email, 10).await;
    app.grant_by_task(&user.email, -4).await;
    app.spend(user.bearer(), 3).await;
    let mut oldest_first = app.ledger(user.bearer()).await;
    oldest_first.reverse();
    let ids: Vec<i64> = oldest_first.iter().map(|entry| entry.id).collect();
    // A refund, which no API call writes any more (refused input is never charged).
    let refund = LedgerKind::Refund {
        refunded_entry_id: ids[8],
        route: "POST /api/generate-text".to_owned(),
    };
    LedgerRow::post(
        &mut app.connect_to_database(),
        user.org_id,
        Actor::user(user.id),
        1,
        &refund,
        Some("refund:test"),
    )
    .expect("a refund row");

    let today = Utc::now().date_naive();
    let at = |days_back: u64, time: &str| {
        let time = NaiveTime::parse_from_str(time, "%H:%M:%S%.f").expect("a time");
        (today - Days::new(days_back)).and_time(time)
    };
    move_entries(
        &app,
        &[
            (ids[0], at(7, "23:59:59.999999")), // before the window
            (ids[1], at(3, "00:00:00")),
            (ids[2], at(3, "12:00:00")),
            (ids[3], at(3, "23:59:59.999999")),
            (ids[4], at(6, "00:00:00")), // the window's first microsecond
            (ids[5], at(1, "23:59:59.999999")),
        ],
    );

    let usage = usage(&app, &user, "days=7").await;

    let sums: Vec<(i64, i64)> = usage.iter().map(|day| (day.spent, day.purchased)).collect();
    assert_eq!(
        sums,
        [
            (0, 10),
            (0, 0),
            (0, 0),
            (2, 100),
            (0, 0),
            (4, 0),
            (3 - 1, 0)
        ],
        "(spent, purchased) from 6 days ago to today: {usage:?}"
    );
    assert_eq!(usage[6].date, today);
}

/// Sets the `created_at` of ledger entries.
fn move_entries(app: &TestApp, moves: &[(i64, NaiveDateTime)]) {
    let mut conn = app.connect_to_database();
    for (id, at) in moves {
        diesel::update(credit_ledger::table.find(id))
            .set(credit_ledger::created_at.eq(at))
            .execute(&mut conn)
            .expect("the entry moves");
    }
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
