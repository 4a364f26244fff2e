//! End to end, as a customer: headless Chromium against the real backend (in this process, on a
//! temporary SQLite database) serving the release SPA from `dist/`.
//!
//! Every step saves a full-page screenshot in `test-artifacts/e2e/<test>/`; a failure saves
//! `failure.png` there too.

use std::path::PathBuf;

use browser::{Browser, Result};
use server::Server;

/// Starts a server and a browser, runs `steps`, and on failure saves a screenshot and panics
/// with the step's message. Skips (loudly) without a browser or a built SPA, except with CI=true.
async fn run<F>(name: &str, steps: F)
where
    F: for<'a> AsyncFnOnce(&'a mut Browser, &'a Server) -> Result,
{
    run_on(name, Server::start, steps).await;
}

/// `run`, with a server that sends its emails to MailDev.
async fn run_with_mail<F>(name: &str, steps: F)
where
    F: for<'a> AsyncFnOnce(&'a mut Browser, &'a Server) -> Result,
{
    run_on(name, Server::start_with_mail, steps).await;
}

async fn run_on<F>(name: &str, start: impl AsyncFnOnce() -> Server, steps: F)
where
    F: for<'a> AsyncFnOnce(&'a mut Browser, &'a Server) -> Result,
{
    if !browser::available() || !server::dist_is_built() {
        return;
    }
    let artifacts = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .join("test-artifacts/e2e")
        .join(name);
    let _ = std::fs::remove_dir_all(&artifacts);
    let server = start().await;
    let mut browser = Browser::launch(artifacts.clone()).await;
    let outcome = steps(&mut browser, &server).await;
    if outcome.is_err() {
        let failure = artifacts.join("failure.png");
        let _ = browser.save(&failure).await;
        eprintln!(
            "failed on page {:?}; screenshot: {}",
            browser.location().await,
            failure.display()
        );
    }
    browser.close().await;
    server.stop().await;
    if let Err(e) = outcome {
        panic!("{e}");
    }
}

/// `assert!` for the steps: a failure becomes the test's message (and its screenshot).
fn check(ok: bool, what: impl Into<String>) -> Result {
    if ok { Ok(()) } else { Err(what.into()) }
}

/// Signs in with the form on /login and waits for the dashboard.
async fn sign_in(b: &Browser, server: &Server, email: &str, password: &str) -> Result {
    b.goto(&server.url("/login")).await?;
    b.fill("Email", email).await?;
    b.fill("Password", password).await?;
    b.press("Sign in").await?;
    b.wait_for_path("/dashboard").await
}

mod accessibility;
mod admin;
mod attachments;
mod browser;
mod cross_site;
mod email;
mod journey;
mod key_limits;
mod key_scopes;
mod ledger;
mod oauth;
mod reauth;
mod server;
mod tasks;
mod team;
