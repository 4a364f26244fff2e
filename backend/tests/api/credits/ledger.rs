//! The ledger: newest first, keyset pages by id, bounded page sizes.

use reqwest::StatusCode;
use shared::dto::{LedgerEntry, LedgerKind};

use crate::helpers::*;

both_backends!(
    ledger_is_newest_first_and_pages_by_id,
    ledger_pages_default_to_50_and_allow_200,
    ledger_refuses_page_sizes_outside_1_to_200,
);

async fn ledger_is_newest_first_and_pages_by_id(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;
    app.buy(user.bearer(), "starter").await;
    app.spend(user.bearer(), 4).await;

    let all = app.ledger(user.bearer()).await;
    assert_eq!(all.len(), 5);
    assert!(
        all.windows(2).all(|w| w[0].id > w[1].id),
        "newest first: {all:#?}"
    );
    for pair in all.windows(2) {
        assert_eq!(
            pair[0].balance_after,
            pair[1].balance_after + pair[0].delta,
            "{all:#?}"
        );
    }
    let oldest = all.last().expect("the purchase");
    assert_eq!(
        oldest.kind,
        LedgerKind::Purchase {
            package_id: "starter".to_owned()
        }
    );
    // The first release's one-line reason is still served beside the typed kind.
    assert_eq!(oldest.reason, "purchase:starter");

    let mut paged: Vec<LedgerEntry> = Vec::new();
    let mut query = "limit=2".to_owned();
    loop {
        let page: Vec<LedgerEntry> = expect_json(
            app.try_ledger_page(user.bearer(), &query).await,
            StatusCode::OK,
        )
        .await;
        assert!(page.len() <= 2);
        let Some(last) = page.last() else { break };
        query = format!("limit=2&before={}", last.id);
        paged.extend(page);
    }
    assert_eq!(paged, all, "the pages together are the whole ledger");
}

async fn ledger_pages_default_to_50_and_allow_200(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user_with_credits(60).await;
    app.spend(user.bearer(), 51).await;

    let default: Vec<LedgerEntry> =
        expect_json(app.try_ledger_page(user.bearer(), "").await, StatusCode::OK).await;
    let max: Vec<LedgerEntry> = expect_json(
        app.try_ledger_page(user.bearer(), "limit=200").await,
        StatusCode::OK,
    )
    .await;

    assert_eq!(default.len(), 50);
    assert_eq!(max.len(), 52, "51 spends and the grant");
    assert_eq!(default[..], max[..50]);
}

async fn ledger_refuses_page_sizes_outside_1_to_200(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;

    for query in ["limit=0", "limit=201", "limit=-1"] {
        let response = app.try_ledger_page(user.bearer(), query).await;
        expect_error(response, StatusCode::BAD_REQUEST, "validation_error").await;
    }
}
