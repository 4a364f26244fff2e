//! A real OpenID Connect provider for the tests: npm `oidc-provider` (pinned in package.json) run
//! by `tests/oidc/provider.mjs` with one confidential client. Its own login page takes any email
//! as the login (verified unless it starts with "unverified"); `sign_in` drives that page and the
//! consent page as a browser would, over HTTP, and returns where the provider sends the browser
//! back.

use std::{
    io,
    process::Child,
    sync::{Mutex, OnceLock},
};

use reqwest::{StatusCode, Url, header::LOCATION, redirect::Policy};

use crate::{
    free_port,
    process::{spawn_guarded, wait_for_ports},
};

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/oidc/provider.mjs");
pub const CLIENT_ID: &str = "saas-starter-tests";
pub const CLIENT_SECRET: &str = "a-client-secret-for-the-tests-only";

pub struct OidcProvider {
    issuer: String,
    /// The shell that runs the provider and stops it when this process exits (its stdin closes).
    _guard: Mutex<Child>,
}

/// What the provider did with the browser at the end of its pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentBack(pub Url);

impl OidcProvider {
    /// The test process's provider, whose client may redirect to
    /// `https://app.example.com/api/auth/oauth/{id}/callback` (the `PUBLIC_URL` of the API tests)
    /// for `id` in `ids`, started on first use.
    pub fn shared(ids: &[&str]) -> &'static Self {
        static SHARED: OnceLock<OidcProvider> = OnceLock::new();
        SHARED.get_or_init(|| {
            let uris: Vec<String> = ids
                .iter()
                .map(|id| format!("https://app.example.com/api/auth/oauth/{id}/callback"))
                .collect();
            Self::start(&uris).unwrap_or_else(|e| {
                panic!(
                    "cannot start the OpenID provider ({SCRIPT}): {e}; run `make tools` (npm ci)"
                )
            })
        })
    }

    /// A provider of its own whose client may redirect to exactly `redirect_uris`.
    pub fn start(redirect_uris: &[String]) -> io::Result<Self> {
        let port = free_port()?;
        let guard = spawn_guarded(
            &["node", SCRIPT],
            &[
                ("PORT", port.to_string()),
                ("OIDC_CLIENT_ID", CLIENT_ID.to_owned()),
                ("OIDC_CLIENT_SECRET", CLIENT_SECRET.to_owned()),
                ("OIDC_REDIRECT_URIS", redirect_uris.join(",")),
            ],
        )?;
        wait_for_ports(&[port], "the OpenID provider")?;
        Ok(Self {
            issuer: format!("http://127.0.0.1:{port}"),
            _guard: Mutex::new(guard),
        })
    }

    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// The settings that configure a server with this provider as `id`, shown as `name`.
    pub fn settings(&self, id: &str, name: &str) -> Vec<(String, String)> {
        let var = |setting: &str| format!("OIDC_{}_{setting}", id.to_uppercase());
        vec![
            ("OIDC_PROVIDERS".to_owned(), id.to_owned()),
            (var("ISSUER"), self.issuer.clone()),
            (var("CLIENT_ID"), CLIENT_ID.to_owned()),
            (var("CLIENT_SECRET"), CLIENT_SECRET.to_owned()),
            (var("NAME"), name.to_owned()),
        ]
    }
}

/// A browser at the provider: its own cookies, redirects followed until one leaves the provider.
pub struct ProviderBrowser {
    http: reqwest::Client,
}

impl Default for ProviderBrowser {
    fn default() -> Self {
        Self {
            http: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(Policy::none())
                .build()
                .expect("an HTTP client"),
        }
    }
}

impl ProviderBrowser {
    /// Opens `authorize_url`, signs in as `login` on the login page, agrees on the consent page,
    /// and returns the URL the provider sends the browser back to.
    pub async fn sign_in(&self, authorize_url: &str, login: &str) -> SentBack {
        self.walk(authorize_url, Some(login)).await
    }

    /// Opens `authorize_url` and cancels on the provider's login page.
    pub async fn cancel(&self, authorize_url: &str) -> SentBack {
        self.walk(authorize_url, None).await
    }

    async fn walk(&self, authorize_url: &str, login: Option<&str>) -> SentBack {
        let mut url = Url::parse(authorize_url).expect("an authorize URL");
        let provider_origin = url.origin();
        for _ in 0..12 {
            let response = self
                .http
                .get(url.clone())
                .send()
                .await
                .expect("GET at the provider");
            let (status, page_url) = (response.status(), response.url().clone());
            if status.is_redirection() {
                url = next_url(&page_url, &response);
                if url.origin() != provider_origin {
                    return SentBack(url);
                }
                continue;
            }
            let page = response.text().await.expect("the provider's page");
            assert_eq!(
                status,
                StatusCode::OK,
                "the provider's page at {page_url}: {page}"
            );
            let form = match login {
                None => {
                    url = page_url
                        .join(&attribute(&page, "<a href=\""))
                        .expect("the cancel link");
                    continue;
                }
                Some(login) if page.contains("name=\"login\"") => vec![
                    ("prompt", "login"),
                    ("login", login),
                    ("password", "any password"),
                ],
                Some(_) => vec![("prompt", "consent")],
            };
            let action = page_url
                .join(&attribute(&page, "action=\""))
                .expect("a form action");
            let response = self
                .http
                .post(action)
                .form(&form)
                .send()
                .await
                .expect("a form post");
            assert!(response.status().is_redirection(), "{}", response.status());
            url = next_url(response.url(), &response);
            if url.origin() != provider_origin {
                return SentBack(url);
            }
        }
        panic!("the provider did not send the browser back after 12 pages");
    }
}

fn next_url(from: &Url, response: &reqwest::Response) -> Url {
    let location = response
        .headers()
        .get(LOCATION)
        .and_then(|l| l.to_str().ok())
        .expect("a Location");
    from.join(location).expect("a valid Location")
}

/// The value of the first attribute that `prefix` ends (`action="`), HTML entities decoded.
fn attribute(page: &str, prefix: &str) -> String {
    let start = page
        .find(prefix)
        .unwrap_or_else(|| panic!("no {prefix} in {page}"))
        + prefix.len();
    let end = page[start..].find('"').expect("a closing quote") + start;
    page[start..end].replace("&amp;", "&")
}

impl SentBack {
    /// The query parameter `name` of the URL sent back to.
    pub fn param(&self, name: &str) -> Option<String> {
        self.0
            .query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    }

    /// The path and query, to call on the server under test (whose address the provider does not
    /// know).
    pub fn path_and_query(&self) -> String {
        match self.0.query() {
            Some(query) => format!("{}?{query}", self.0.path()),
            None => self.0.path().to_owned(),
        }
    }
}
