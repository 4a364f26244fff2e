//! The identity providers linked to the caller's account: list, link another, unlink one (never
//! the last way to sign in). A browser session only: a key never changes how its owner signs in.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use shared::{
    dto::{AuthProvider, ErrorBody, LinkIdentityRequest, LinkStarted},
    validate::NextPath,
};
use utoipa_actix_web::service_config::ServiceConfig;

use super::oauth::begin;
use crate::{
    auth::{BrowserSession, password::Passwords},
    error::ApiError,
    http::json::JsonOrEmpty,
    models::{IdentityRow, identity::Unlink},
    oauth::state_cookie,
    state::State,
};

/// Where a link lands, and where its failures are told (`?oauth_error=`).
const ACCOUNT_PAGE: &str = "/account";

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_identities)
        .service(link_identity)
        .service(unlink_identity);
}

#[utoipa::path(
    get,
    tag = "account",
    responses(
        (status = 200, description = "The providers the caller is linked to (with the address each gave, oldest link first), then the configured ones they may link (whether the account has a password: `User.has_password`)", body = [AuthProvider]),
        BrowserSession,
    )
)]
#[get("/me/identities")]
async fn list_identities(
    state: State,
    session: BrowserSession,
) -> Result<web::Json<Vec<AuthProvider>>, ApiError> {
    let user_id = session.caller.user.id;
    let linked = state
        .db
        .read(move |conn| IdentityRow::list(conn, user_id))
        .await?;
    let mut providers: Vec<AuthProvider> = linked
        .into_iter()
        .map(|row| AuthProvider {
            name: state
                .oauth
                .name(&row.provider)
                .unwrap_or(&row.provider)
                .to_owned(),
            id: row.provider,
            email: Some(row.email),
        })
        .collect();
    let linkable: Vec<AuthProvider> = state
        .oauth
        .list()
        .into_iter()
        .filter(|p| !providers.iter().any(|linked| linked.id == p.id))
        .collect();
    providers.extend(linkable);
    Ok(web::Json(providers))
}

/// Begins linking `provider`: the browser goes to `authorize_url`, and the provider sends it back
/// to the callback, which links the account it signed in and lands on /account. Another way to
/// sign in widens access: a session older than ten minutes sends the password.
#[utoipa::path(
    post,
    tag = "account",
    params(("provider" = String, Path, description = "A provider's id, from /api/auth/providers")),
    request_body = Option<LinkIdentityRequest>,
    responses(
        (status = 200, description = "Go to `authorize_url`; the cookie that ties the flow to this browser is set", body = LinkStarted),
        BrowserSession,
        (status = 403, description = "reauthentication_required: the session signed in over ten minutes ago; send `password`", body = ErrorBody),
        (status = 404, description = "not_found: no such provider is configured", body = ErrorBody),
        (status = 503, description = "provider_unavailable: the provider cannot be reached", body = ErrorBody),
        Passwords,
    )
)]
#[post("/me/identities/{provider}")]
async fn link_identity(
    state: State,
    req: HttpRequest,
    session: BrowserSession,
    provider: web::Path<String>,
    body: JsonOrEmpty<LinkIdentityRequest>,
) -> Result<HttpResponse, ApiError> {
    let provider = provider.into_inner();
    if !state.oauth.is_configured(&provider) {
        return Err(ApiError::NotFound("provider"));
    }
    let LinkIdentityRequest { password } = body.into_inner();
    session.confirm_identity(&state, &req, password).await?;
    let next = NextPath::parse(ACCOUNT_PAGE)?;
    let begun = begin(&state, &provider, next, Some(session.caller.user.id))
        .await?
        .map_err(|_| ApiError::ProviderUnavailable)?;
    Ok(HttpResponse::Ok()
        .cookie(state_cookie::issue(&state.config, begun.state))
        .json(LinkStarted {
            authorize_url: begun.authorize_url,
        }))
}

#[utoipa::path(
    delete,
    tag = "account",
    params(("provider" = String, Path, description = "The linked provider's id")),
    responses(
        (status = 204, description = "Unlinked: the provider no longer signs in to this account"),
        BrowserSession,
        (status = 404, description = "not_found: the account is not linked to this provider", body = ErrorBody),
        (status = 409, description = "conflict: it is the account's last way to sign in (set a password first)", body = ErrorBody),
    )
)]
#[delete("/me/identities/{provider}")]
async fn unlink_identity(
    state: State,
    session: BrowserSession,
    provider: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (provider, user_id) = (provider.into_inner(), session.caller.user.id);
    let unlinked = state
        .db
        .write({
            let provider = provider.clone();
            move |conn| IdentityRow::unlink(conn, user_id, &provider)
        })
        .await?;
    match unlinked {
        Unlink::Unlinked => {
            tracing::info!(user_id, provider, "identity provider unlinked");
            Ok(HttpResponse::NoContent().finish())
        }
        Unlink::NotLinked => Err(ApiError::NotFound("linked provider")),
        Unlink::LastMethod => Err(ApiError::Conflict(
            "this is the account's last way to sign in: set a password or link another provider first",
        )),
    }
}
