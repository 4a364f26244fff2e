//! Ending sessions: refresh-token reuse, logout of one session, logout everywhere.

use std::{
    sync::atomic::{AtomicBool, Ordering},
    time::Duration,
};

use backend::{
    db::{AnyConnection, write_transaction},
    models::{SessionRow, session::Rotation},
    tasks::purge_sessions,
};
use futures::future::join_all;
use reqwest::StatusCode;
use shared::dto::LogoutAllRequest;

use crate::helpers::*;

both_backends!(
    reusing_a_rotated_refresh_token_revokes_the_whole_family,
    two_refreshes_of_one_token_at_once_count_as_reuse,
    logout_leaves_other_sessions_alone,
    logout_ends_the_sessions_access_tokens_at_once,
    a_reused_refresh_token_ends_the_familys_access_tokens_at_once,
    logout_all_ends_every_session_and_every_token,
    logout_all_revokes_every_api_key_when_asked,
    logout_all_takes_effect_at_once_while_the_server_is_busy,
    refreshing_never_keeps_a_session_past_its_maximum_age,
    expired_sessions_are_purged,
);

async fn reusing_a_rotated_refresh_token_revokes_the_whole_family(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let stolen = RefreshCookie::of(&app.try_signup(&unique_email(), PASSWORD).await)
        .expect("signup sets the refresh cookie");
    app.refresh().await; // the browser rotates; `stolen` is now an old token

    let replay = app.try_refresh_with_cookie(&stolen.value).await;
    expect_error(replay, StatusCode::UNAUTHORIZED, "unauthorized").await;

    // The reuse revoked the family: the browser's newest token fails too.
    expect_error(
        app.try_refresh().await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
}

/// The loser of two simultaneous refreshes presented a spent token, as a thief racing the owner
/// would: the family goes, on both databases. Made simultaneous in the database itself: the
/// second rotation starts while the first one's transaction is still open (PostgreSQL used to
/// answer that loser with a plain 401 and keep the winner's session).
async fn two_refreshes_of_one_token_at_once_count_as_reuse(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let cookie = RefreshCookie::of(&app.try_signup(&unique_email(), PASSWORD).await)
        .expect("signup sets the refresh cookie");
    let (mut first, mut second) = (app.connect_to_database(), app.connect_to_database());

    let (winner, loser) = tokio::task::spawn_blocking(move || {
        let rotate = move |conn: &mut AnyConnection, token: &str| {
            write_transaction(conn, |c| {
                SessionRow::rotate(c, token, Duration::from_secs(60))
            })
        };
        let token = cookie.value.clone();
        let mut loser = None;
        let winner = write_transaction(&mut first, |c| {
            let won = SessionRow::rotate(c, &token, Duration::from_secs(60))?;
            // The second rotation begins before this transaction commits.
            let racer = std::thread::spawn(move || rotate(&mut second, &token));
            std::thread::sleep(Duration::from_millis(300));
            loser = Some(racer);
            Ok::<_, diesel::result::Error>(won)
        })
        .expect("the first rotation");
        let loser = loser.expect("the racer").join().expect("the racer thread");
        (winner, loser.expect("the second rotation"))
    })
    .await
    .expect("the database thread");

    let Rotation::Rotated(session) = winner else {
        panic!("the first refresh wins");
    };
    assert!(matches!(loser, Rotation::Reused), "the second is a reuse");
    let after = app.try_refresh_with_cookie(&session.refresh_token).await;
    expect_error(after, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

async fn logout_leaves_other_sessions_alone(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;
    let (laptop, _) = app.sign_in_elsewhere(&user).await;

    expect_no_content(app.try_logout().await).await;

    let tokens = laptop.refresh().await;
    assert_eq!(tokens.user.id, user.id);
}

/// An access token dies with its session: signing out does not leave it working until it
/// expires. A token minted before a refresh still works (the session goes on), and the
/// user's other sessions are untouched.
async fn logout_ends_the_sessions_access_tokens_at_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;
    let refreshed = app.refresh().await.access_token;
    let (_laptop, laptop_token) = app.sign_in_elsewhere(&user).await;
    app.me(user.bearer()).await;

    expect_no_content(app.try_logout().await).await;

    for token in [&user.token, &refreshed] {
        let response = app.try_me(Auth::Bearer(token)).await;
        expect_error(response, StatusCode::UNAUTHORIZED, "unauthorized").await;
    }
    app.me(Auth::Bearer(&laptop_token)).await;
}

/// A replayed refresh token revokes its family, and with it the access tokens the thief (or the
/// owner) already holds.
async fn a_reused_refresh_token_ends_the_familys_access_tokens_at_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let stolen = RefreshCookie::of(&app.try_signup(&unique_email(), PASSWORD).await)
        .expect("signup sets the refresh cookie");
    let owners = app.refresh().await.access_token;
    app.me(Auth::Bearer(&owners)).await;

    let replay = app.try_refresh_with_cookie(&stolen.value).await;
    expect_error(replay, StatusCode::UNAUTHORIZED, "unauthorized").await;

    let response = app.try_me(Auth::Bearer(&owners)).await;
    expect_error(response, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

async fn logout_all_ends_every_session_and_every_token(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;
    let (laptop, laptop_token) = app.sign_in_elsewhere(&user).await;

    expect_no_content(app.try_logout_all(user.bearer()).await).await;

    for token in [&user.token, &laptop_token] {
        let response = app.try_me(Auth::Bearer(token)).await;
        expect_error(response, StatusCode::UNAUTHORIZED, "unauthorized").await;
    }
    for browser in [&app, &laptop] {
        expect_error(
            browser.try_refresh().await,
            StatusCode::UNAUTHORIZED,
            "unauthorized",
        )
        .await;
    }

    // Signing in again works, and the new token is good.
    let tokens = app.login(&user.email, PASSWORD).await;
    app.me(Auth::Bearer(&tokens.access_token)).await;
}

/// Keys survive signing out everywhere unless the user asks (after a suspected leak, a key the
/// thief made is what lasts).
async fn logout_all_revokes_every_api_key_when_asked(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;
    let kept = app.create_key(user.bearer(), "kept").await;
    expect_no_content(app.try_logout_all(user.bearer()).await).await;
    app.me(Auth::Key(&kept.key)).await;

    let user = app.sign_in_as(&user.email).await;
    let body = LogoutAllRequest {
        revoke_api_keys: true,
    };
    expect_no_content(app.try_logout_all_with(user.bearer(), &body).await).await;
    let response = app.try_me(Auth::Key(&kept.key)).await;
    expect_error(response, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

/// User lookups are batched: a lookup must not be answered by a query that began before it was
/// asked (one still reading the old token version). Other users keep the reader busy meanwhile.
async fn logout_all_takes_effect_at_once_while_the_server_is_busy(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;
    let others = join_all((0..8).map(|_| app.new_user())).await;
    let done = AtomicBool::new(false);
    let busy = join_all(others.iter().map(|other| async {
        while !done.load(Ordering::Relaxed) {
            app.me(other.bearer()).await;
        }
    }));
    let check = async {
        for _round in 0..10 {
            let tokens = app.login(&user.email, PASSWORD).await;
            let token = Auth::Bearer(&tokens.access_token);
            app.me(token).await;
            expect_no_content(app.try_logout_all(token).await).await;
            expect_error(
                app.try_me(token).await,
                StatusCode::UNAUTHORIZED,
                "unauthorized",
            )
            .await;
        }
        done.store(true, Ordering::Relaxed);
    };
    futures::join!(busy, check);
}

/// Refreshing slides a session's idle expiry, never its absolute end (`SESSION_MAX_AGE`).
async fn refreshing_never_keeps_a_session_past_its_maximum_age(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("SESSION_MAX_AGE", "2s")]).await;
    app.new_user().await;
    app.refresh().await;

    tokio::time::sleep(Duration::from_millis(2100)).await;

    // REFRESH_TOKEN_TTL is a day: only the maximum age ends it.
    expect_error(
        app.try_refresh().await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
}

/// Expired sessions (revoked ones included) are deleted, live ones kept, by the task a server
/// also runs every hour; running it twice (two replicas) is harmless.
async fn expired_sessions_are_purged(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("REFRESH_TOKEN_TTL", "1s")]).await;
    app.new_user().await;
    app.refresh().await; // one rotated (revoked) session, one live
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let live = app.new_browser();
    live.new_user().await;

    let purged = app.run_task(|config| purge_sessions(&config)).await;
    assert_eq!(purged.expect("the purge"), 2);
    let again = app.run_task(|config| purge_sessions(&config)).await;
    assert_eq!(again.expect("the second purge"), 0);
    live.refresh().await;
}
