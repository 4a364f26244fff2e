//! The log of the real binary: JSON lines, one per request with its id and status, and never a
//! secret (passwords, tokens, refresh cookies, API keys, the JWT secret, the database password,
//! the token of a download link, which is in its path).

use reqwest::{Method, Response, StatusCode};
use serde_json::Value;
use shared::dto::{Balance, CreatedKey, GenerateTextResponse, TokenResponse};

use crate::helpers::*;

const NEW_PASSWORD: &str = "a brand new passphrase";
const WRONG_PASSWORD: &str = "a wrong guess of a password";

both_backends!(
    the_log_has_a_line_per_request_and_no_secret,
    a_download_links_token_is_never_logged
);

async fn the_log_has_a_line_per_request_and_no_secret(backend: Backend) {
    let mut server = ServerProcess::start(backend, &[]).await;
    let mut sent = Sent::default();
    let mut cookies = Vec::new();
    let email = unique_email();

    let response = sent.note(server.try_signup(&email, PASSWORD).await);
    cookies.push(refresh_cookie(&response));
    let signup: TokenResponse = expect_json(response, StatusCode::CREATED).await;
    let response = sent.note(server.try_login(&email, WRONG_PASSWORD).await);
    expect_error(response, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    let response = sent.note(server.try_login(&email, PASSWORD).await);
    cookies.push(refresh_cookie(&response));
    let login: TokenResponse = expect_json(response, StatusCode::OK).await;
    let response = sent.note(server.try_refresh().await);
    cookies.push(refresh_cookie(&response));
    let refreshed: TokenResponse = expect_json(response, StatusCode::OK).await;
    let bearer = Auth::Bearer(&refreshed.access_token);

    let response = sent.note(server.try_buy(bearer, "starter").await);
    expect_json::<Balance>(response, StatusCode::OK).await;
    let response = sent.note(server.try_create_key(bearer, "script").await);
    let key: CreatedKey = expect_json(response, StatusCode::CREATED).await;
    let response = sent.note(server.try_generate(Auth::Key(&key.key), "hello").await);
    expect_json::<GenerateTextResponse>(response, StatusCode::OK).await;

    // An id the caller sends (a proxy's, or one a user quotes in a bug report) leads to the
    // request's log line.
    let quoted_id = format!("support-{}", uuid::Uuid::new_v4().simple());
    let request = server
        .request(Method::GET, "/api/me", Auth::Key(&key.key))
        .header("X-Request-ID", &quoted_id);
    let response = sent.note(request.send().await.expect("sent"));
    expect_json::<Value>(response, StatusCode::OK).await;

    let response = sent.note(
        server
            .try_change_password(bearer, PASSWORD, NEW_PASSWORD)
            .await,
    );
    expect_no_content(response).await;
    let response = sent.note(server.try_login(&email, NEW_PASSWORD).await);
    cookies.push(refresh_cookie(&response));
    let relogin: TokenResponse = expect_json(response, StatusCode::OK).await;

    let output = server.stop().await;

    let mut secrets = vec![
        PASSWORD,
        NEW_PASSWORD,
        WRONG_PASSWORD,
        &signup.access_token,
        &login.access_token,
        &refreshed.access_token,
        &relogin.access_token,
        &key.key,
        // The private key's base64 line.
        server
            .setting("JWT_SIGNING_KEYS")
            .lines()
            .nth(1)
            .unwrap_or("unset"),
    ];
    secrets.extend(cookies.iter().map(String::as_str));
    secrets.extend(database_password(server.setting("DATABASE_URL")));
    for secret in secrets {
        assert!(
            !output.stdout.contains(secret) && !output.stderr.contains(secret),
            "the log shows the secret {secret:?}:\n{output}"
        );
    }

    let log = json_lines(&output.stdout);
    let request_lines: Vec<&Value> = log
        .iter()
        .filter(|line| line.get("status").is_some())
        .collect();
    for (id, status) in &sent.0 {
        let lines: Vec<&&Value> = request_lines
            .iter()
            .filter(|line| request_id(line) == Some(id))
            .collect();
        assert!(
            lines.len() == 1 && lines[0]["status"] == status.as_u16(),
            "request {id} ({status}) should have one request line, got {lines:#?}"
        );
    }
    assert_eq!(
        request_lines.len(),
        sent.0.len(),
        "one request line per request: {request_lines:#?}"
    );
    assert!(
        request_lines
            .iter()
            .any(|line| request_id(line) == Some(&quoted_id)),
        "the inbound X-Request-ID {quoted_id} is not in the log"
    );
}

/// A link's token is its path's last segment: the request line shows the route instead, however
/// the path is spelled and whether or not the token is good.
async fn a_download_links_token_is_never_logged(backend: Backend) {
    let mut server = ServerProcess::start(backend, &[]).await;
    let user = server.new_user().await;
    let task = server.create_task(user.bearer(), "logged").await;
    let file = server
        .upload(user.bearer(), task.id, "a.png", png_of(100))
        .await;
    let link = server.attachment_link(user.bearer(), file.id).await;
    let (_, token) = link
        .url
        .rsplit_once('/')
        .expect("a token at the end of the link");

    assert_eq!(server.open_link(&link.url).await.status(), StatusCode::OK);
    let spelled = server
        .open_path(&format!("/api/attachment%2Dlinks/{token}"))
        .await;
    assert_eq!(spelled.status(), StatusCode::OK, "routed as the link");
    let bent = server
        .open_path(&format!("/api/attachment-links/{token}x"))
        .await;
    expect_error(bent, StatusCode::NOT_FOUND, "not_found").await;

    let output = server.stop().await;
    let (_, signature) = token.rsplit_once('.').expect("a signed token");
    for secret in [token, signature] {
        assert!(
            !output.stdout.contains(secret) && !output.stderr.contains(secret),
            "the log shows the link's token:\n{output}"
        );
    }
    let redacted = json_lines(&output.stdout)
        .iter()
        .filter(|line| line.get("status").is_some())
        .filter(|line| {
            let path = line.get("path").or_else(|| line.get("span")?.get("path"));
            path.and_then(Value::as_str) == Some("/api/attachment-links/{token}")
        })
        .count();
    assert_eq!(
        redacted, 3,
        "a request line for each use of the link:\n{output}"
    );
}

/// The `X-Request-ID` and status of each response, as the client saw them.
#[derive(Default)]
struct Sent(Vec<(String, StatusCode)>);

impl Sent {
    fn note(&mut self, response: Response) -> Response {
        let id = expect_header(&response, "X-Request-ID");
        self.0.push((id, response.status()));
        response
    }
}

fn refresh_cookie(response: &Response) -> String {
    RefreshCookie::of(response)
        .unwrap_or_else(|| panic!("{} sets no refresh cookie", response.url()))
        .value
}

/// Every stdout line, parsed: with `LOG_FORMAT=json` each one is a JSON object.
fn json_lines(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|line| {
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not a JSON line ({e}): {line}"))
        })
        .collect()
}

/// The request id a log line carries, on the line or on its span.
fn request_id(line: &Value) -> Option<&str> {
    line.get("request_id")
        .or_else(|| line.get("span")?.get("request_id"))
        .and_then(Value::as_str)
}

/// The password of a `postgres://user:password@host/db` URL, if it has one.
fn database_password(url: &str) -> Option<&str> {
    let (_, rest) = url.split_once("://")?;
    let (user_info, _) = rest.rsplit_once('@')?;
    let (_, password) = user_info.split_once(':')?;
    (!password.is_empty()).then_some(password)
}
