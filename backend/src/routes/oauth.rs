//! Sign-in with an identity provider: the providers on offer, the start (a redirect to the
//! provider) and the callback (back from it: sign in, or link to the signed-in account, and on to
//! the app's page). The callback answers with redirects only: the browser is on its way back from
//! the provider, and a failure lands on the sign-in page with `?oauth_error=`, which says why.

use actix_web::{HttpRequest, HttpResponse, get, http::header, web};
use serde::Deserialize;
use shared::{
    dto::{AuthProvider, ErrorBody, OAuthFailure, OAuthStartQuery},
    validate::NextPath,
};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::{
    auth::cookie,
    error::{ApiError, ErrorChain},
    models::{
        IdentityRow, OAuthFlow, SessionRow,
        identity::{Link, SignIn},
    },
    oauth::{Begun, state_cookie},
    state::{AppState, State},
};

/// Where a sign-in lands without `next`, and where its failures are told.
const DEFAULT_NEXT: &str = "/dashboard";
const SIGN_IN_PAGE: &str = "/login";

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_providers)
        .service(oauth_start)
        .service(oauth_callback);
}

/// The identity providers this server is configured with, for the sign-in page's buttons.
#[utoipa::path(
    get,
    tag = "auth",
    responses((status = 200, description = "The configured providers (none by default)", body = [AuthProvider]))
)]
#[get("/auth/providers")]
async fn list_providers(state: State) -> web::Json<Vec<AuthProvider>> {
    web::Json(state.oauth.list())
}

/// Begins signing in at `provider`: a redirect to its sign-in page (authorization code flow with
/// PKCE, `state` and, for OpenID Connect, `nonce`), and a cookie that ties the flow to this
/// browser for ten minutes.
#[utoipa::path(
    get,
    tag = "auth",
    params(("provider" = String, Path, description = "A provider's id, from /api/auth/providers"), OAuthStartQuery),
    responses(
        (status = 302, description = "To the provider; or, when it cannot be reached, to /login?oauth_error=unavailable"),
        (status = 400, description = "validation_error: `next` is not a path of this site", body = ErrorBody),
        (status = 404, description = "not_found: no such provider is configured", body = ErrorBody),
    )
)]
#[get("/auth/oauth/{provider}/start")]
async fn oauth_start(
    state: State,
    provider: web::Path<String>,
    query: web::Query<OAuthStartQuery>,
) -> Result<HttpResponse, ApiError> {
    let provider = provider.into_inner();
    if !state.oauth.is_configured(&provider) {
        return Err(ApiError::NotFound("provider"));
    }
    let next = NextPath::parse(query.next.as_deref().unwrap_or(DEFAULT_NEXT))?;
    Ok(match begin(&state, &provider, next, None).await? {
        Ok(begun) => HttpResponse::Found()
            .insert_header((header::LOCATION, begun.authorize_url))
            .cookie(state_cookie::issue(&state.config, begun.state))
            .finish(),
        Err(failure) => failed(&state, SIGN_IN_PAGE, failure),
    })
}

/// Begins a flow at `provider` and records it: a sign-in, or a link to `link_user_id`. A
/// provider that cannot be reached is the inner error.
pub(super) async fn begin(
    state: &AppState,
    provider: &str,
    next: NextPath,
    link_user_id: Option<i64>,
) -> Result<Result<Begun, OAuthFailure>, ApiError> {
    let begun = match state.oauth.begin(provider).await {
        Ok(begun) => begun,
        Err(e) => {
            tracing::warn!(provider, error = %ErrorChain(&e), "could not begin at the identity provider");
            return Ok(Err(e.failure()));
        }
    };
    let flow = OAuthFlow {
        provider: provider.to_owned(),
        pkce_verifier: begun.pkce_verifier.clone(),
        nonce: begun.nonce.clone(),
        next_path: next.into_inner(),
        link_user_id,
    };
    let key = begun.state.clone();
    state.db.write(move |conn| flow.save(conn, &key)).await?;
    Ok(Ok(begun))
}

/// What the provider sends back: a code and our `state`, or an error.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    /// The provider's error code (`access_denied` when the user cancelled).
    error: Option<String>,
}

/// Back from the provider: signs in (a known identity; an account with the address, both sides
/// verified; or a new account) or links the provider to the account that asked, then redirects
/// to the flow's `next` page. Every failure redirects too, with `?oauth_error=` naming it.
#[utoipa::path(
    get,
    tag = "auth",
    params(("provider" = String, Path, description = "The provider's id"), CallbackQuery),
    responses(
        (status = 302, description = "Signed in (the refresh cookie is set; the app refreshes to get its access token) or linked: to the flow's `next` page. Refused: to /login (or, when linking, the `next` page) with `?oauth_error=` (denied, invalid_state, failed, unavailable, email_unverified, account_unverified, identity_taken, provider_already_linked, account_disabled)"),
    )
)]
#[get("/auth/oauth/{provider}/callback")]
async fn oauth_callback(
    state: State,
    req: HttpRequest,
    provider: web::Path<String>,
    query: web::Query<CallbackQuery>,
) -> Result<HttpResponse, ApiError> {
    let provider = provider.into_inner();
    let CallbackQuery {
        code,
        state: sent,
        error,
    } = query.into_inner();
    // The flow must have begun in this browser, and works once. A state that is not this
    // browser's leaves its cookie alone: a forged callback must not end a sign-in in progress.
    let Some(sent) = sent.filter(|sent| state_cookie::read(&req).as_ref() == Some(sent)) else {
        return Ok(redirect(&failure_page(
            SIGN_IN_PAGE,
            OAuthFailure::InvalidState,
        )));
    };
    let flow = state
        .db
        .write(move |conn| OAuthFlow::take(conn, &sent))
        .await?;
    let Some(flow) = flow.filter(|flow| flow.provider == provider) else {
        return Ok(failed(&state, SIGN_IN_PAGE, OAuthFailure::InvalidState));
    };
    // A link's failures are told on the page it began from.
    let told_on = match flow.link_user_id {
        Some(_) => flow.next_path.clone(),
        None => SIGN_IN_PAGE.to_owned(),
    };
    if let Some(error) = error {
        tracing::info!(provider, error, "the identity provider refused");
        return Ok(failed(&state, &told_on, OAuthFailure::Denied));
    }
    let Some(code) = code else {
        return Ok(failed(&state, &told_on, OAuthFailure::Failed));
    };
    let account = match state
        .oauth
        .finish(&provider, code, flow.pkce_verifier, flow.nonce)
        .await
    {
        Ok(account) => account,
        Err(e) => {
            tracing::warn!(provider, error = %ErrorChain(&e), "the identity provider's answer was refused");
            return Ok(failed(&state, &told_on, e.failure()));
        }
    };
    let next = flow.next_path;
    if let Some(user_id) = flow.link_user_id {
        let linked = state
            .db
            .write({
                let provider = provider.clone();
                move |conn| IdentityRow::link(conn, user_id, &provider, &account)
            })
            .await?;
        return Ok(match linked {
            Link::Linked => {
                tracing::info!(user_id, provider, "identity provider linked");
                landed(&state, &next)
            }
            Link::TakenByAnother => failed(&state, &told_on, OAuthFailure::IdentityTaken),
            Link::ProviderAlreadyLinked => {
                failed(&state, &told_on, OAuthFailure::ProviderAlreadyLinked)
            }
        });
    }
    let lifetime = state.config.session_lifetime();
    let signed_in = state
        .db
        .write({
            let provider = provider.clone();
            move |conn| {
                Ok::<_, diesel::result::Error>(
                    match IdentityRow::sign_in(conn, &provider, &account)? {
                        SignIn::Account(user) => {
                            Ok((user.id, SessionRow::start(conn, user.id, lifetime)?))
                        }
                        SignIn::EmailUnverified => Err(OAuthFailure::EmailUnverified),
                        SignIn::AccountUnverified => Err(OAuthFailure::AccountUnverified),
                        SignIn::AccountDisabled => Err(OAuthFailure::AccountDisabled),
                    },
                )
            }
        })
        .await?;
    Ok(match signed_in {
        Ok((user_id, session)) => {
            tracing::info!(user_id, provider, "signed in through an identity provider");
            let mut response = landed(&state, &next);
            response
                .add_cookie(&cookie::issue(&state.config, session.refresh_token))
                .map_err(ApiError::internal)?;
            response
        }
        Err(failure) => failed(&state, &told_on, failure),
    })
}

/// To the app's `page`, the flow's cookie cleared.
fn landed(state: &AppState, page: &str) -> HttpResponse {
    let mut response = redirect(page);
    // Adding a cookie fails only for an invalid value; this one is built from constants.
    let _ = response.add_cookie(&state_cookie::clear(&state.config));
    response
}

/// To `page` with `?oauth_error={code}`, which the page shows as the failure's message; the
/// flow's cookie cleared.
fn failed(state: &AppState, page: &str, failure: OAuthFailure) -> HttpResponse {
    landed(state, &failure_page(page, failure))
}

fn failure_page(page: &str, failure: OAuthFailure) -> String {
    let separator = if page.contains('?') { '&' } else { '?' };
    format!("{page}{separator}oauth_error={}", failure.as_str())
}

fn redirect(page: &str) -> HttpResponse {
    HttpResponse::Found()
        .insert_header((header::LOCATION, page.to_owned()))
        .finish()
}
