//! The binary's start-up: one line saying where it listens and on which database; a bad setting
//! stops it with one line naming the variable.

use reqwest::StatusCode;

use crate::helpers::*;

both_backends!(start_up_line_names_the_url_and_the_database);

async fn start_up_line_names_the_url_and_the_database(backend: Backend) {
    let mut server = ServerProcess::start(backend, &[]).await;

    // The harness found the server through that line: it leads to the server.
    expect_json::<serde_json::Value>(server.get("/healthz", Auth::None).await, StatusCode::OK)
        .await;
    let output = server.stop().await;
    let listening = format!("listening on {}", server.address);
    let line = output
        .stdout
        .lines()
        .find(|line| line.contains(&listening))
        .unwrap_or_else(|| panic!("no line says {listening:?}:\n{output}"));
    let database = match backend {
        Backend::Sqlite => "SQLite",
        Backend::Postgres => "PostgreSQL",
    };
    assert!(line.contains(database), "{line} does not say {database}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_settings_stop_start_up_with_one_line_naming_the_variable() {
    let cases: [(&str, &[(&str, &str)]); 5] = [
        ("BCRYPT_COST", &[("BCRYPT_COST", "abc")]),
        // Dev mode gives credits away: not on a public address unless said so.
        (
            "BIND_ADDR",
            &[("APP_MODE", "dev"), ("BIND_ADDR", "0.0.0.0:0")],
        ),
        (
            "JWT_SIGNING_KEYS",
            &[
                ("APP_MODE", "prod"),
                ("BCRYPT_COST", "10"),
                ("PUBLIC_URL", "https://app.example.com"),
                ("JWT_SIGNING_KEYS", ""),
            ],
        ),
        // Prod requires verified addresses by default: no one could verify without SMTP.
        (
            "SMTP_URL",
            &[
                ("APP_MODE", "prod"),
                ("BCRYPT_COST", "10"),
                ("PUBLIC_URL", "https://app.example.com"),
            ],
        ),
        // The tokens' issuer, and the base of links in emails (never a request's Host).
        (
            "PUBLIC_URL",
            &[
                ("APP_MODE", "prod"),
                ("BCRYPT_COST", "10"),
                ("SMTP_URL", "smtp://127.0.0.1:25"),
                ("MAIL_FROM", "no-reply@example.com"),
            ],
        ),
    ];
    for (variable, settings) in cases {
        ServerProcess::assert_start_refused(settings, variable).await;
    }
}
