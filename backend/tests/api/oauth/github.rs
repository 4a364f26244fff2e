//! GitHub, faked at its HTTP boundary like Stripe: a local server answering its authorize page
//! (the user agrees at once), its token endpoint (checking the client secret, the code and the
//! PKCE verifier against the challenge, as GitHub does) and its REST API's user and emails.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use shared::dto::{AuthProvider, OAuthFailure};
use test_support::ProviderBrowser;

use crate::helpers::*;

const CLIENT_ID: &str = "Iv1.test-client";
const CLIENT_SECRET: &str = "github-test-secret";
const ACCESS_TOKEN: &str = "gho_test_access_token";
/// Exactly what the app must send, registered at GitHub.
const REDIRECT_URI: &str = "https://app.example.com/api/auth/oauth/github/callback";

both_backends!(
    a_github_user_signs_up_with_their_verified_primary_address,
    a_github_user_without_a_verified_primary_address_is_refused,
    a_wrong_pkce_verifier_is_refused_by_github,
);

/// The GitHub account that agrees at the fake's authorize page.
#[derive(Clone)]
struct GitHubUser {
    id: u64,
    /// (address, primary, verified)
    emails: Vec<(String, bool, bool)>,
}

struct FakeGitHub {
    url: String,
    handle: actix_web::dev::ServerHandle,
}

#[derive(Deserialize)]
struct Authorize {
    client_id: String,
    redirect_uri: String,
    state: String,
    code_challenge: String,
    code_challenge_method: String,
}

#[derive(Deserialize)]
struct TokenRequest {
    code: String,
    code_verifier: String,
}

impl FakeGitHub {
    async fn start(user: GitHubUser) -> Self {
        // Issued codes and the challenge each must be redeemed with.
        let codes: Arc<Mutex<HashMap<String, String>>> = Arc::default();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        let port = listener.local_addr().expect("bound").port();
        let server = HttpServer::new(move || {
            let (codes, user) = (codes.clone(), user.clone());
            App::new()
                .app_data(web::Data::new((codes, user)))
                .route("/login/oauth/authorize", web::get().to(authorize))
                .route("/login/oauth/access_token", web::post().to(token))
                .route("/user", web::get().to(user_route))
                .route("/user/emails", web::get().to(emails_route))
        })
        .workers(1)
        .listen(listener)
        .expect("listening")
        .run();
        let handle = server.handle();
        tokio::spawn(server);
        Self {
            url: format!("http://127.0.0.1:{port}"),
            handle,
        }
    }

    fn settings(&self) -> Vec<(&'static str, String)> {
        vec![
            ("GITHUB_CLIENT_ID", CLIENT_ID.to_owned()),
            ("GITHUB_CLIENT_SECRET", CLIENT_SECRET.to_owned()),
            ("GITHUB_URL", self.url.clone()),
            ("GITHUB_API_URL", self.url.clone()),
            ("PUBLIC_URL", PUBLIC_URL.to_owned()),
        ]
    }
}

impl Drop for FakeGitHub {
    fn drop(&mut self) {
        drop(self.handle.stop(false));
    }
}

type Shared = web::Data<(Arc<Mutex<HashMap<String, String>>>, GitHubUser)>;

async fn authorize(data: Shared, query: web::Query<Authorize>) -> HttpResponse {
    let q = query.into_inner();
    if q.client_id != CLIENT_ID
        || q.redirect_uri != REDIRECT_URI
        || q.code_challenge_method != "S256"
    {
        return HttpResponse::BadRequest().body("unknown client, redirect URI or PKCE method");
    }
    let code = format!("code-{}", uuid::Uuid::new_v4().simple());
    data.0
        .lock()
        .expect("not poisoned")
        .insert(code.clone(), q.code_challenge);
    HttpResponse::Found()
        .insert_header((
            "Location",
            format!("{REDIRECT_URI}?code={code}&state={}", q.state),
        ))
        .finish()
}

async fn token(data: Shared, req: HttpRequest, form: web::Form<TokenRequest>) -> HttpResponse {
    let basic = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"))
    );
    let authorized = req
        .headers()
        .get("authorization")
        .is_some_and(|v| v.as_bytes() == basic.as_bytes());
    let challenge = data.0.lock().expect("not poisoned").remove(&form.code);
    let verified = challenge.is_some_and(|c| {
        c == URL_SAFE_NO_PAD.encode(Sha256::digest(form.code_verifier.as_bytes()))
    });
    if !(authorized && verified) {
        // As GitHub does: 200 with an error in the body.
        return HttpResponse::Ok().json(json!({ "error": "bad_verification_code" }));
    }
    HttpResponse::Ok().json(json!({
        "access_token": ACCESS_TOKEN, "token_type": "bearer", "scope": "user:email"
    }))
}

fn bearer_ok(req: &HttpRequest) -> bool {
    req.headers()
        .get("authorization")
        .is_some_and(|v| v.as_bytes() == format!("Bearer {ACCESS_TOKEN}").as_bytes())
        && req.headers().contains_key("user-agent")
}

async fn user_route(data: Shared, req: HttpRequest) -> HttpResponse {
    if !bearer_ok(&req) {
        return HttpResponse::Unauthorized().finish();
    }
    HttpResponse::Ok().json(json!({ "id": data.1.id, "login": "octocat" }))
}

async fn emails_route(data: Shared, req: HttpRequest) -> HttpResponse {
    if !bearer_ok(&req) {
        return HttpResponse::Unauthorized().finish();
    }
    let emails: Vec<_> = data
        .1
        .emails
        .iter()
        .map(|(email, primary, verified)| {
            json!({ "email": email, "primary": primary, "verified": verified, "visibility": null })
        })
        .collect();
    HttpResponse::Ok().json(emails)
}

async fn spawn_with_github(backend: Backend, github: &FakeGitHub) -> TestApp {
    let settings = github.settings();
    let overrides: Vec<(&str, &str)> = settings.iter().map(|(k, v)| (*k, v.as_str())).collect();
    TestApp::spawn_with(backend, &overrides).await
}

async fn sign_in_with_github(app: &TestApp) -> reqwest::Response {
    let authorize = app.oauth_start("github", None).await;
    let sent_back = ProviderBrowser::default()
        .sign_in(&authorize, "unused")
        .await;
    app.oauth_callback(&sent_back).await
}

async fn a_github_user_signs_up_with_their_verified_primary_address(backend: Backend) {
    let email = unique_email();
    let github = FakeGitHub::start(GitHubUser {
        id: 583_231,
        emails: vec![
            ("other@example.com".to_owned(), false, true),
            (email.clone(), true, true),
        ],
    })
    .await;
    let app = spawn_with_github(backend, &github).await;
    let listed: Vec<AuthProvider> = expect_json(
        app.get("/api/auth/providers", Auth::None).await,
        reqwest::StatusCode::OK,
    )
    .await;
    assert_eq!(
        listed,
        vec![AuthProvider {
            id: "github".into(),
            name: "GitHub".into(),
            email: None,
        }]
    );

    assert_eq!(location(&sign_in_with_github(&app).await), "/dashboard");
    let tokens = app.refresh().await;
    assert_eq!(tokens.user.email, email, "the primary address");
    assert!(tokens.user.email_verified);
    let user = TestUser::new(&email, tokens);
    let linked = app.linked(&user).await;
    assert_eq!(linked[0].id, "github");
    assert_eq!(linked[0].name, "GitHub");
    assert_eq!(linked[0].email.as_deref(), Some(email.as_str()));

    // Again, from another browser: the same account, by GitHub's user id.
    let again = app.new_browser();
    assert_eq!(location(&sign_in_with_github(&again).await), "/dashboard");
    assert_eq!(again.refresh().await.user.id, user.id);
}

async fn a_github_user_without_a_verified_primary_address_is_refused(backend: Backend) {
    let github = FakeGitHub::start(GitHubUser {
        id: 42,
        emails: vec![(unique_email(), true, false), (unique_email(), false, true)],
    })
    .await;
    let app = spawn_with_github(backend, &github).await;
    let response = sign_in_with_github(&app).await;
    assert_failed(&response, "/login", OAuthFailure::EmailUnverified);
    assert_eq!(app.count("users").await, 0);
}

async fn a_wrong_pkce_verifier_is_refused_by_github(backend: Backend) {
    let github = FakeGitHub::start(GitHubUser {
        id: 7,
        emails: vec![(unique_email(), true, true)],
    })
    .await;
    let app = spawn_with_github(backend, &github).await;
    let authorize = app.oauth_start("github", None).await;
    let sent_back = ProviderBrowser::default()
        .sign_in(&authorize, "unused")
        .await;
    app.execute_sql(
        "UPDATE oauth_flows SET pkce_verifier = 'not-the-verifier-of-the-challenge-sent-0000000'",
    )
    .await;
    assert_failed(
        &app.oauth_callback(&sent_back).await,
        "/login",
        OAuthFailure::Failed,
    );
    assert_eq!(app.count("users").await, 0);
}
