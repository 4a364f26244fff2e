//! Signing in through identity providers (`/api/auth/providers`, `/api/auth/oauth/...`) and the
//! providers linked to an account (`/api/me/identities`), against a real OpenID provider (npm
//! `oidc-provider`, driven through its own login and consent pages) and a fake of GitHub's HTTP
//! API.

mod github;
mod refused;
mod succeeds;
