//! Sign-in with identity providers (`/api/auth/providers`, `/api/auth/oauth/...`) and the
//! providers linked to an account (`/api/me/identities`).

use serde::{Deserialize, Serialize};

/// An identity provider: one the sign-in page offers ("Continue with {name}"), or, in
/// `GET /api/me/identities`, one the caller is linked to (`email` set) or may link. (Whether the
/// account has a password is `User::has_password`.)
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthProvider {
    /// In the provider's routes: `/api/auth/oauth/{id}/start`.
    pub id: String,
    /// Its display name (the id of a provider linked once and no longer configured).
    pub name: String,
    /// `GET /api/me/identities` only: the address the provider gave at the caller's last sign-in
    /// through it, when the caller is linked to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// Body of `POST /api/me/identities/{provider}`, which starts linking a provider. The password
/// is needed only when the session signed in more than ten minutes ago.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkIdentityRequest {
    #[serde(default)]
    pub password: Option<String>,
}

/// Where to send the browser to link a provider: its consent page.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkStarted {
    pub authorize_url: String,
}

/// Query of `GET /api/auth/oauth/{provider}/start`.
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams, utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct OAuthStartQuery {
    /// The app's page to land on once signed in (a path of this site; default `/dashboard`).
    #[serde(default)]
    pub next: Option<String>,
}

/// Why signing in (or linking) through a provider did not happen. The callback sends the browser
/// to the sign-in page (the account page, when linking) with `?oauth_error={code}`, and the page
/// shows [`OAuthFailure::message`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OAuthFailure {
    /// The user cancelled at the provider, or it refused.
    Denied,
    /// No, a forged, a replayed or an expired `state`: the flow did not start in this browser.
    InvalidState,
    /// The provider's answer did not check out (code, PKCE, ID token, nonce).
    Failed,
    /// The provider could not be reached.
    Unavailable,
    /// The provider does not vouch for the email address.
    EmailUnverified,
    /// An account has the address but has not verified it: no link is made on an unproven address.
    AccountUnverified,
    /// The provider account is linked to another account.
    IdentityTaken,
    /// Linking: the account is linked to another account at this provider already.
    ProviderAlreadyLinked,
    AccountDisabled,
}

impl OAuthFailure {
    pub const ALL: [Self; 9] = [
        Self::Denied,
        Self::InvalidState,
        Self::Failed,
        Self::Unavailable,
        Self::EmailUnverified,
        Self::AccountUnverified,
        Self::IdentityTaken,
        Self::ProviderAlreadyLinked,
        Self::AccountDisabled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Denied => "denied",
            Self::InvalidState => "invalid_state",
            Self::Failed => "failed",
            Self::Unavailable => "unavailable",
            Self::EmailUnverified => "email_unverified",
            Self::AccountUnverified => "account_unverified",
            Self::IdentityTaken => "identity_taken",
            Self::ProviderAlreadyLinked => "provider_already_linked",
            Self::AccountDisabled => "account_disabled",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == code)
    }

    /// What the page says.
    pub fn message(self) -> &'static str {
        match self {
            Self::Denied => "Sign-in was cancelled at the provider.",
            Self::InvalidState => "That sign-in expired or was already used: try again.",
            Self::Failed => "The provider's answer could not be verified: try again.",
            Self::Unavailable => "The provider could not be reached: try again later.",
            Self::EmailUnverified => "The provider has not verified your email address.",
            Self::AccountUnverified => {
                "An account has this email but has not verified it: sign in with your password and \
                 verify it, then link the provider."
            }
            Self::IdentityTaken => "That provider account is linked to another account.",
            Self::ProviderAlreadyLinked => {
                "You are linked to another account at this provider: unlink it first."
            }
            Self::AccountDisabled => "This account is disabled.",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failure_codes_round_trip() {
        for failure in OAuthFailure::ALL {
            assert_eq!(OAuthFailure::parse(failure.as_str()), Some(failure));
        }
        assert_eq!(OAuthFailure::parse("nope"), None);
    }
}
