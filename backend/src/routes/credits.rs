use actix_web::web;
use chrono::{TimeDelta, Utc};
use shared::dto::{
    Balance, CreditPackage, LEDGER_DEFAULT_LIMIT, LEDGER_MAX_LIMIT, LedgerEntry, LedgerQuery,
    PurchaseRequest, PurchaseResponse, USAGE_DEFAULT_DAYS, USAGE_MAX_DAYS, UsageDay, UsageQuery,
};

use crate::{
    auth::{BrowserSession, Caller},
    error::ApiError,
    models::LedgerRow,
    payments::Provider,
    state::State,
};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/credits").get(balance))
        .service(web::resource("/credits/ledger").get(ledger))
        .service(web::resource("/credits/usage").get(usage))
        .service(web::resource("/credits/packages").get(packages))
        .service(web::resource("/credits/purchase").post(purchase));
}

async fn balance(caller: Caller) -> web::Json<Balance> {
    web::Json(Balance {
        credits: caller.user.credits,
    })
}

async fn ledger(
    state: State,
    caller: Caller,
    query: web::Query<LedgerQuery>,
) -> Result<web::Json<Vec<LedgerEntry>>, ApiError> {
    let limit = query.limit.unwrap_or(LEDGER_DEFAULT_LIMIT);
    if !(1..=LEDGER_MAX_LIMIT).contains(&limit) {
        return Err(ApiError::validation(
            "limit",
            format!("limit must be between 1 and {LEDGER_MAX_LIMIT}"),
        ));
    }
    let (user_id, before) = (caller.user.id, query.before);
    let rows = state
        .db
        .read(move |conn| Ok(LedgerRow::page(conn, user_id, limit, before)?))
        .await?;
    Ok(web::Json(rows.iter().map(LedgerRow::to_dto).collect()))
}

/// Spent and bought per UTC day over the last `days` days, oldest first, today last.
async fn usage(
    state: State,
    caller: Caller,
    query: web::Query<UsageQuery>,
) -> Result<web::Json<Vec<UsageDay>>, ApiError> {
    let days = query.days.unwrap_or(USAGE_DEFAULT_DAYS);
    if !(1..=USAGE_MAX_DAYS).contains(&days) {
        return Err(ApiError::validation(
            "days",
            format!("days must be between 1 and {USAGE_MAX_DAYS}"),
        ));
    }
    let today = Utc::now().date_naive();
    let first = today - TimeDelta::days(days - 1);
    let user_id = caller.user.id;
    Ok(web::Json(
        state
            .db
            .read(move |conn| Ok(LedgerRow::usage(conn, user_id, first, today)?))
            .await?,
    ))
}

async fn packages(state: State) -> web::Json<Vec<CreditPackage>> {
    web::Json(state.config.credit_packages.clone())
}

/// Buying needs a browser session: a leaked API key must not spend the owner's money.
async fn purchase(
    state: State,
    session: BrowserSession,
    body: web::Json<PurchaseRequest>,
) -> Result<web::Json<PurchaseResponse>, ApiError> {
    let package = state
        .config
        .package(&body.package_id)
        .ok_or(ApiError::NotFound("credit package"))?;
    let provider = Provider::for_config(&state.config);
    Ok(web::Json(
        provider
            .purchase(&state.db, session.caller.user.id, package)
            .await?,
    ))
}
