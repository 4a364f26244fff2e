//! Login CSRF, tried with a real cross-site page: a page on another site (`localhost` against the
//! app's `127.0.0.1`) submits a form that would sign the visitor in to the attacker's account.
//! The browser marks it cross-site; the server refuses it, so the visitor's browser holds no
//! session of the attacker's when it opens the app.

use std::{
    io::{Read, Write},
    net::TcpListener,
};

use crate::{
    browser::{Browser, Result},
    run,
    server::Server,
};

const ATTACKER: (&str, &str) = ("mallory@example.com", "mallory's password");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cross_site_form_cannot_sign_the_visitor_in() {
    run("cross-site", login_csrf).await;
}

async fn login_csrf(b: &mut Browser, server: &Server) -> Result {
    server.sign_up(ATTACKER.0, ATTACKER.1).await?;

    let evil = serve_elsewhere(&format!(
        r#"<!doctype html><html><body>
<form method="post" action="{action}">
  <input name="username" value="{email}"><input name="password" value="{password}">
</form>
<script>document.forms[0].submit()</script>
</body></html>"#,
        action = server.url("/api/auth/token"),
        email = ATTACKER.0,
        password = ATTACKER.1,
    ))?;
    b.goto(&evil).await?;
    b.wait_for("//*[contains(., 'cross-site requests cannot sign in')]")
        .await?;
    b.screenshot("refused").await?;

    // Opening the app: no session was set, so the dashboard sends the visitor to sign in.
    b.goto(&server.url("/dashboard")).await?;
    b.wait_for_path("/login").await?;
    b.screenshot("not-signed-in").await?;
    Ok(())
}

/// Serves `page` on another site than the app's (`localhost`, not `127.0.0.1`); its URL.
fn serve_elsewhere(page: &str) -> Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("bind: {e}"))?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    let response = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{page}",
        page.len()
    );
    // A few connections: the page, and whatever else the browser asks of that site (a favicon).
    std::thread::spawn(move || {
        for mut stream in listener.incoming().take(4).flatten() {
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            let _ = stream.write_all(response.as_bytes());
        }
    });
    Ok(format!("http://localhost:{port}/"))
}
