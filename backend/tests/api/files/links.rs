//! Download links with the local store: `GET /api/attachments/{id}/link` hands out
//! `{PUBLIC_URL}/api/attachment-links/{token}`, which downloads the file without credentials
//! (what a browser's navigation needs) for 5 minutes by the server's clock, and nothing else. A
//! token bent in any way, expired, of a deleted file, or an access token in its place is 404; a
//! link's token is no access token (401). Only who may read the organisation's tasks gets one.

use std::time::Duration;

use backend::auth::signing_key::SigningKey;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use jsonwebtoken::{Algorithm, Header};
use reqwest::{Response, StatusCode};
use serde_json::Value;
use shared::dto::{OrgRole, Scope};

use crate::helpers::*;

both_backends!(
    a_link_downloads_the_file_as_the_download_does_without_credentials,
    a_link_expires_after_five_minutes_by_the_servers_clock,
    a_forged_or_altered_token_is_not_found,
    access_tokens_and_links_tokens_are_not_interchangeable,
    a_deleted_files_link_is_not_found_even_when_its_id_comes_back,
    links_are_for_who_may_read_the_organisations_tasks,
);

const LINKS: &str = "/api/attachment-links/";

async fn a_link_downloads_the_file_as_the_download_does_without_credentials(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("PUBLIC_URL", "https://files.example.com")]).await;
    let user = app.new_user().await;
    let task = app.create_task(user.bearer(), "with a photo").await;
    let bytes = png_of(300_000);
    let file = app
        .upload(user.bearer(), task.id, "Photo – été.png", bytes.clone())
        .await;

    let before = chrono::Utc::now();
    let answer = app.try_attachment_link(user.bearer(), file.id).await;
    assert_eq!(expect_header(&answer, "cache-control"), "no-store");
    let link: shared::dto::AttachmentLink = expect_json(answer, StatusCode::OK).await;
    let prefix = format!("https://files.example.com{LINKS}");
    assert!(link.url.starts_with(&prefix), "{}", link.url);
    let lifetime = link.expires_at - before;
    assert!(
        (294..=301).contains(&lifetime.num_seconds()),
        "valid 5 minutes: {lifetime}"
    );

    let by_link = app.open_link(&link.url).await;
    let download = app.try_download(user.bearer(), file.id).await;
    assert_eq!(by_link.status(), StatusCode::OK);
    for name in [
        "content-type",
        "content-disposition",
        "content-length",
        "x-content-type-options",
    ] {
        assert_eq!(
            expect_header(&by_link, name),
            expect_header(&download, name),
            "{name}"
        );
    }
    assert_eq!(expect_header(&by_link, "content-type"), "image/png");
    assert!(
        expect_header(&by_link, "content-disposition")
            .contains("filename*=UTF-8''Photo%20%E2%80%93%20%C3%A9t%C3%A9.png")
    );
    assert_eq!(expect_header(&by_link, "content-length"), "300000");
    assert_eq!(expect_header(&by_link, "cache-control"), "no-store");
    assert_eq!(by_link.bytes().await.expect("the body"), bytes);
    // Until it expires, like a presigned URL, it works again (a download the browser retries).
    let again = app.open_link(&link.url).await;
    assert_eq!(again.bytes().await.expect("the body"), bytes);
}

async fn a_link_expires_after_five_minutes_by_the_servers_clock(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;
    let task = app.create_task(user.bearer(), "soon gone").await;
    let file = app
        .upload(user.bearer(), task.id, "a.png", png_of(100))
        .await;
    let link = app.attachment_link(user.bearer(), file.id).await;

    app.advance_clock(Duration::from_secs(290));
    assert_eq!(app.open_link(&link.url).await.status(), StatusCode::OK);
    app.advance_clock(Duration::from_secs(11));
    expect_error(
        app.open_link(&link.url).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // A new link works again.
    let fresh = app.attachment_link(user.bearer(), file.id).await;
    assert_eq!(app.open_link(&fresh.url).await.status(), StatusCode::OK);
}

async fn a_forged_or_altered_token_is_not_found(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;
    let task = app.create_task(user.bearer(), "guarded").await;
    let file = app
        .upload(user.bearer(), task.id, "a.png", png_of(100))
        .await;
    let other = app
        .upload(user.bearer(), task.id, "b.png", png_of(100))
        .await;
    let victim = app.new_browser().new_user().await;
    let victims_task = app.create_task(victim.bearer(), "theirs").await;
    let victims = app
        .upload(victim.bearer(), victims_task.id, "c.png", png_of(100))
        .await;

    let link = app.attachment_link(user.bearer(), file.id).await;
    let token = token_of(&link.url);
    let (header, payload, signature) = segments(&token);
    let claims: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("base64url"))
            .expect("JSON claims");
    let server = SigningKey::from_pem(app.setting("JWT_SIGNING_KEYS")).expect("the server's key");
    let sign = |key: &SigningKey, typ: Option<&str>, claims: &Value| {
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(server.kid.clone());
        header.typ = typ.map(str::to_owned);
        jsonwebtoken::encode(&header, claims, &key.encoding).expect("a token")
    };
    let with = |name: &str, value: Value| {
        let mut claims = claims.clone();
        claims[name] = value;
        claims
    };
    let typ = Some("attachment-link+jwt");
    // Signed as the server signs: accepted, so each refusal below is about its forgery.
    let resigned = sign(&server, typ, &claims);
    assert_eq!(
        app.open_path(&format!("{LINKS}{resigned}")).await.status(),
        StatusCode::OK
    );

    let payload_of = |claims: &Value| URL_SAFE_NO_PAD.encode(claims.to_string());
    let mut flipped = signature.to_owned().into_bytes();
    flipped[10] = if flipped[10] == b'A' { b'B' } else { b'A' };
    let flipped = String::from_utf8(flipped).expect("ASCII");
    let unpublished = SigningKey::generate().expect("a key").0;
    let access_audience = {
        let (_, payload, _) = segments(&user.token);
        let claims: Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("base64url"))
                .expect("JSON claims");
        claims["aud"].clone()
    };
    let none_header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"attachment-link+jwt"}"#);
    let forgeries = [
        ("a made-up token", "1".to_owned()),
        (
            "the signature altered",
            format!("{header}.{payload}.{flipped}"),
        ),
        ("no signature", format!("{header}.{payload}.")),
        (
            "another of the organisation's files, the signature kept",
            format!(
                "{header}.{}.{signature}",
                payload_of(&with("att", other.id.into()))
            ),
        ),
        (
            "another organisation's file, the signature kept",
            format!(
                "{header}.{}.{signature}",
                payload_of(&with("att", victims.id.into()))
            ),
        ),
        (
            "a later expiry, the signature kept",
            format!(
                "{header}.{}.{signature}",
                payload_of(&with("exp", (i64::MAX / 2).into()))
            ),
        ),
        ("alg none", format!("{none_header}.{payload}.")),
        (
            "an unpublished key under the server's kid",
            sign(&unpublished, typ, &claims),
        ),
        (
            "the server's key, an access token's typ",
            sign(&server, Some("JWT"), &claims),
        ),
        ("the server's key, no typ", sign(&server, None, &claims)),
        (
            "the server's key, the access tokens' audience",
            sign(&server, typ, &with("aud", access_audience)),
        ),
        (
            "the server's key, another issuer",
            sign(&server, typ, &with("iss", "https://evil.example".into())),
        ),
        (
            "the server's key, no expiry",
            sign(&server, typ, &{
                let mut claims = claims.clone();
                claims.as_object_mut().expect("an object").remove("exp");
                claims
            }),
        ),
        (
            "the server's key, expired",
            sign(
                &server,
                typ,
                &with("exp", (chrono::Utc::now().timestamp() - 1).into()),
            ),
        ),
        (
            "the server's key, the file of another object",
            sign(&server, typ, &with("obj", "00".repeat(16).into())),
        ),
    ];
    for (case, token) in forgeries {
        let response = app.open_path(&format!("{LINKS}{token}")).await;
        expect_error_for(case, response, StatusCode::NOT_FOUND, "not_found").await;
    }
    // The genuine link still works; nothing was deleted.
    assert_eq!(app.open_link(&link.url).await.status(), StatusCode::OK);
    assert_eq!(
        app.attachments(victim.bearer(), victims_task.id).await,
        [victims]
    );
}

async fn access_tokens_and_links_tokens_are_not_interchangeable(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;
    let task = app.create_task(user.bearer(), "mine").await;
    let file = app
        .upload(user.bearer(), task.id, "a.png", png_of(100))
        .await;

    // An access token is no link, though the same key signed it.
    let response = app.open_path(&format!("{LINKS}{}", user.token)).await;
    expect_error(response, StatusCode::NOT_FOUND, "not_found").await;

    // A link's token is no access token: not for the file, not for anything.
    let link = app.attachment_link(user.bearer(), file.id).await;
    let token = token_of(&link.url);
    for response in [
        app.try_me(Auth::Bearer(&token)).await,
        app.try_download(Auth::Bearer(&token), file.id).await,
        app.try_attachment_link(Auth::Bearer(&token), file.id).await,
        app.try_attachments(Auth::Bearer(&token), task.id).await,
    ] {
        expect_error(response, StatusCode::UNAUTHORIZED, "unauthorized").await;
    }
    let as_key = app.try_download(Auth::Key(&token), file.id).await;
    expect_error(as_key, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

async fn a_deleted_files_link_is_not_found_even_when_its_id_comes_back(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;
    let task = app.create_task(user.bearer(), "changing").await;
    let file = app
        .upload(user.bearer(), task.id, "a.png", png_of(100))
        .await;
    let link = app.attachment_link(user.bearer(), file.id).await;

    expect_no_content(app.try_delete_attachment(user.bearer(), file.id).await).await;
    expect_error(
        app.open_link(&link.url).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // SQLite gives the last id again to the next row: the link names the object, not the id.
    let next = app
        .upload(user.bearer(), task.id, "b.png", png_of(200))
        .await;
    expect_error(
        app.open_link(&link.url).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let fresh = app.attachment_link(user.bearer(), next.id).await;
    let download = app.open_link(&fresh.url).await;
    assert_eq!(download.bytes().await.expect("the body"), png_of(200));
}

async fn links_are_for_who_may_read_the_organisations_tasks(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend, &[]).await;
    let owner = app.new_user().await;
    let team = app.create_org(owner.bearer(), "Team").await.organization;
    let owner = app.switch_org(&owner, team.id).await;
    let task = app.create_task(owner.bearer(), "the team's").await;
    let file = app
        .upload(owner.bearer(), task.id, "plan.png", png_of(500))
        .await;

    let (billing_app, billing) = app.new_member(&owner, team.id, OrgRole::Billing).await;
    let link = billing_app.attachment_link(billing.bearer(), file.id).await;
    assert_downloads(billing_app.open_link(&link.url).await, png_of(500)).await;

    let reader = app
        .create_scoped_key(owner.bearer(), &[Scope::TasksRead])
        .await;
    let link = app.attachment_link(Auth::Key(&reader.key), file.id).await;
    assert_downloads(app.open_link(&link.url).await, png_of(500)).await;
    let writer = app
        .create_scoped_key(
            owner.bearer(),
            &[Scope::TasksWrite, Scope::CreditsRead, Scope::PaidCall],
        )
        .await;
    let refused = app
        .try_attachment_link(Auth::Key(&writer.key), file.id)
        .await;
    let error = expect_error(refused, StatusCode::FORBIDDEN, "insufficient_scope").await;
    assert!(error.message.contains("tasks:read"), "{}", error.message);

    // Another organisation's file is not found, whoever asks.
    let outsider_app = app.new_browser();
    let outsider = outsider_app.new_user().await;
    let theirs = outsider_app.create_task(outsider.bearer(), "mine").await;
    outsider_app
        .upload(outsider.bearer(), theirs.id, "mine.png", png_of(100))
        .await;
    let refused = outsider_app
        .try_attachment_link(outsider.bearer(), file.id)
        .await;
    expect_error(refused, StatusCode::NOT_FOUND, "not_found").await;
}

async fn assert_downloads(response: Response, bytes: Vec<u8>) {
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.bytes().await.expect("the body"), bytes);
}

/// The token at the end of a link.
fn token_of(url: &str) -> String {
    url.rsplit_once(LINKS)
        .map(|(_, token)| token.to_owned())
        .unwrap_or_else(|| panic!("{url} is no link of this server's"))
}

fn segments(token: &str) -> (&str, &str, &str) {
    let mut parts = token.splitn(3, '.');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(header), Some(payload), Some(signature)) => (header, payload, signature),
        _ => panic!("a JWT has three segments: {token}"),
    }
}
