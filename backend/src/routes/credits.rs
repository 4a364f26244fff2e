//! Credits of the organisation the caller acts in: the balance, the ledger, usage per day, the
//! packages on sale and buying them.

use actix_web::{HttpRequest, get, post, web};
use chrono::{TimeDelta, Utc};
use shared::{
    dto::{
        Balance, CreditPackage, ErrorBody, LedgerEntry, PageQuery, PurchaseRequest,
        PurchaseResponse, UsageDay, UsageQuery,
    },
    validate::{PageLimit, UsageDays},
};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::{
    auth::{Caller, Permitted, VerifiedSession, need},
    error::ApiError,
    http::json::Json,
    models::{ApiKeyRow, LedgerRow},
    payments::Purchase,
    state::State,
};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(balance)
        .service(ledger)
        .service(usage)
        .service(packages)
        .service(purchase);
}

#[utoipa::path(
    get,
    tag = "credits",
    responses(
        (status = 200, description = "The organisation's balance", body = Balance),
        Permitted<need::ReadCredits, Caller>,
    )
)]
#[get("/credits")]
async fn balance(Permitted(caller, _): Permitted<need::ReadCredits, Caller>) -> web::Json<Balance> {
    web::Json(Balance {
        credits: caller.org.credits,
    })
}

#[utoipa::path(
    get,
    tag = "credits",
    params(PageQuery),
    responses(
        (status = 200, description = "The organisation's ledger entries, newest first; pass the last id as `before` for the next page", body = Vec<LedgerEntry>),
        Permitted<need::ReadCredits, Caller>,
    )
)]
#[get("/credits/ledger")]
async fn ledger(
    state: State,
    Permitted(caller, _): Permitted<need::ReadCredits, Caller>,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Vec<LedgerEntry>>, ApiError> {
    let limit = PageLimit::parse(query.limit)?.get();
    let (org_id, before) = (caller.org.id, query.before);
    let entries = state
        .db
        .read(move |conn| LedgerRow::page(conn, org_id, limit, before))
        .await?;
    Ok(web::Json(entries))
}

/// Spent and bought per UTC day over the last `days` days, oldest first, today last; all of the
/// organisation's, or one API key's (revoked and rotated keys included).
#[utoipa::path(
    get,
    tag = "credits",
    params(UsageQuery),
    responses(
        (status = 200, description = "Credits spent and bought per UTC day, oldest first, empty days included; with `key_id`, what that key spent", body = Vec<UsageDay>),
        Permitted<need::ReadCredits, Caller>,
        (status = 404, description = "not_found: `key_id` is no key of the organisation's", body = ErrorBody),
    )
)]
#[get("/credits/usage")]
async fn usage(
    state: State,
    Permitted(caller, _): Permitted<need::ReadCredits, Caller>,
    query: web::Query<UsageQuery>,
) -> Result<web::Json<Vec<UsageDay>>, ApiError> {
    let days = UsageDays::parse(query.days)?.get();
    let today = Utc::now().date_naive();
    let first = today - TimeDelta::days(days - 1);
    let (org_id, key_id) = (caller.org.id, query.key_id);
    let usage = state
        .db
        .read(move |conn| {
            if let Some(id) = key_id
                && !ApiKeyRow::is_of(conn, org_id, id)?
            {
                return Ok(None);
            }
            LedgerRow::usage(conn, org_id, key_id, first, today).map(Some)
        })
        .await?;
    usage.map(web::Json).ok_or(ApiError::NotFound("API key"))
}

#[utoipa::path(
    get,
    tag = "credits",
    responses(
        (status = 200, description = "The credit packages on sale", body = Vec<CreditPackage>),
    )
)]
#[get("/credits/packages")]
async fn packages(state: State) -> web::Json<Vec<CreditPackage>> {
    web::Json(state.config.credit_packages.clone())
}

/// Buying needs a browser session (a leaked API key must not spend the owner's money) whose role
/// may buy; the credits go to the organisation it acts in.
#[utoipa::path(
    post,
    tag = "credits",
    request_body = PurchaseRequest,
    responses(
        (status = 200, description = "Dev payments: `{credits}` at once; a payment provider: `{checkout_url}`", body = PurchaseResponse),
        Permitted<need::Purchase, VerifiedSession>,
        (status = 404, description = "not_found: no such package", body = ErrorBody),
        (status = 503, description = "payments_unavailable", body = ErrorBody),
    )
)]
#[post("/credits/purchase")]
async fn purchase(
    state: State,
    Permitted(VerifiedSession(session), _): Permitted<need::Purchase, VerifiedSession>,
    req: HttpRequest,
    body: Json<PurchaseRequest>,
) -> Result<web::Json<PurchaseResponse>, ApiError> {
    let package = state
        .config
        .package(&body.package_id)
        .ok_or(ApiError::NotFound("credit package"))?;
    let return_base = state.config.public_url.clone().unwrap_or_else(|| {
        let info = req.connection_info();
        format!("{}://{}", info.scheme(), info.host())
    });
    let caller = &session.caller;
    let purchase = Purchase {
        organization_id: caller.org.id,
        user_id: caller.user.id,
        email: &caller.user.email,
        package,
        return_base: &return_base,
    };
    Ok(web::Json(
        state.payments.purchase(&state.db, purchase).await?,
    ))
}
