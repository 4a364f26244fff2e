//! `Config::from_lookup` as a whole: defaults, prod refusals, and errors naming the variable.

use std::{collections::HashMap, path::Path};

use test_support::TEST_SIGNING_KEY;

use super::*;

fn config(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Config::from_lookup(|k| map.get(k).cloned())
}

#[test]
fn dev_defaults_need_no_settings() {
    let c = config(&[]).unwrap();
    assert_eq!(c.mode, Mode::Dev);
    assert!(
        c.tokens.signing_keys.is_none(),
        "dev mode's key, made on first start"
    );
    assert_eq!(c.tokens.issuer, "http://127.0.0.1:8000");
    assert_eq!(c.tokens.audience, "SaaS Starter");
    assert_eq!(c.bind_addr.to_string(), "127.0.0.1:8000");
    assert!(
        matches!(&c.database_url, DatabaseUrl::Sqlite(path) if path == Path::new("./data/app.db"))
    );
    assert_eq!(c.static_dir, Path::new("dist"));
    assert_eq!(c.bcrypt_cost, 12);
    assert_eq!(c.bcrypt_queue, 32);
    assert_eq!(c.credit_packages.len(), 3);
    assert_eq!(c.max_api_keys, 100);
    assert_eq!(c.access_token_ttl, Duration::from_secs(900));
    assert_eq!(c.refresh_token_ttl, Duration::from_secs(30 * 86_400));
    assert_eq!(c.log_format, LogFormat::Pretty);
    assert_eq!(c.db_timeout, Duration::from_millis(5000));
}

#[test]
fn prod_refuses_to_run_without_signing_keys_or_an_issuer() {
    let err = config(&[("APP_MODE", "prod")]).unwrap_err();
    assert_eq!(err.var, "JWT_SIGNING_KEYS");
    let old = config(&[("APP_MODE", "prod"), ("JWT_SECRET", &"s".repeat(32))]).unwrap_err();
    assert!(
        old.to_string().contains("JWT_SECRET"),
        "{old}: says why it is no longer enough"
    );
    let without_issuer = config(&[("APP_MODE", "prod"), ("JWT_SIGNING_KEYS", TEST_SIGNING_KEY)]);
    assert_eq!(without_issuer.unwrap_err().var, "PUBLIC_URL");
    let ok = prod(&[
        ("REQUIRE_VERIFIED_EMAIL", "false"),
        ("JWT_AUDIENCE", "acme-api"),
    ])
    .unwrap();
    assert_eq!(ok.tokens.signing_keys.map(|keys| keys.len()), Some(1));
    assert_eq!(ok.tokens.issuer, "https://app.example.com");
    assert_eq!(ok.tokens.audience, "acme-api");
    assert_eq!(ok.bind_addr.to_string(), "0.0.0.0:8000");
    assert_eq!(ok.log_format, LogFormat::Json);
}

#[test]
fn signing_keys_come_as_pem_text_or_files_and_junk_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.pem"), dir.path().join("b.pem"));
    std::fs::write(&a, TEST_SIGNING_KEY).unwrap();
    std::fs::write(&b, format!("{TEST_SIGNING_KEY}{TEST_SIGNING_KEY}")).unwrap();
    let files = format!("{}, {}", a.display(), b.display());
    let c = config(&[("JWT_SIGNING_KEYS", &files)]).unwrap();
    assert_eq!(c.tokens.signing_keys.map(|keys| keys.len()), Some(3));
    let not_a_key = "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----";
    for junk in [not_a_key, "hunter2-hunter2", "/nowhere/key.pem"] {
        let err = config(&[("JWT_SIGNING_KEYS", junk)]).unwrap_err();
        assert_eq!(err.var, "JWT_SIGNING_KEYS", "{junk}: {err}");
        assert!(!err.to_string().contains("hunter2"), "never echoed: {err}");
    }
}

/// Prod with the signing key and the public URL it needs, and `extra`.
fn prod(extra: &[(&'static str, &'static str)]) -> Result<Config, ConfigError> {
    let mut pairs = vec![
        ("APP_MODE", "prod"),
        ("JWT_SIGNING_KEYS", TEST_SIGNING_KEY),
        ("PUBLIC_URL", "https://app.example.com"),
    ];
    pairs.extend_from_slice(extra);
    config(&pairs)
}

#[test]
fn prod_needs_smtp_while_it_requires_verified_email() {
    assert_eq!(prod(&[]).unwrap_err().var, "SMTP_URL");
    let smtp = [
        ("SMTP_URL", "smtp://user:pass@smtp.example.com:587"),
        ("MAIL_FROM", "Acme <no-reply@example.com>"),
    ];
    let ok = prod(&smtp).unwrap();
    assert!(ok.mail.require_verified_email);
    assert_eq!(ok.mail.link_base, "https://app.example.com");
    assert_eq!(prod(&smtp[..1]).unwrap_err().var, "MAIL_FROM");
}

#[test]
fn prod_smtp_without_tls_means_starttls_required() {
    use secrecy::ExposeSecret;
    let ok = prod(&[
        ("SMTP_URL", "smtp://user:pass@smtp.example.com:587"),
        ("MAIL_FROM", "no-reply@example.com"),
    ])
    .unwrap();
    let url = ok.mail.smtp_url.expect("set");
    assert!(url.expose_secret().ends_with("?tls=required"));
    let dev = config(&[("SMTP_URL", "smtp://127.0.0.1:1025")]).unwrap();
    assert_eq!(
        dev.mail.smtp_url.expect("set").expose_secret(),
        "smtp://127.0.0.1:1025"
    );
}

#[test]
fn a_bad_smtp_url_is_refused_without_showing_it() {
    let err = config(&[("SMTP_URL", "http://user:hunter2@example.com")]).unwrap_err();
    assert_eq!(err.var, "SMTP_URL");
    assert!(!err.to_string().contains("hunter2"), "{err}");
    let debug = format!(
        "{:?}",
        config(&[("SMTP_URL", "smtp://user:hunter2@127.0.0.1:1025")]).unwrap()
    );
    assert!(
        !debug.contains("hunter2"),
        "the password never reaches a log"
    );
}

#[test]
fn dev_mail_defaults_log_links_to_make_runs_address() {
    let c = config(&[]).unwrap();
    assert!(c.mail.smtp_url.is_none());
    assert!(!c.mail.require_verified_email);
    assert_eq!(c.mail.link_base, "http://127.0.0.1:8000");
    assert_eq!(c.mail.from.to_string(), "SaaS Starter <no-reply@localhost>");
}

#[test]
fn prod_refuses_weak_bcrypt_cost() {
    let err = prod(&[("BCRYPT_COST", "4")]);
    assert_eq!(err.unwrap_err().var, "BCRYPT_COST");
}

#[test]
fn errors_name_the_variable() {
    for (var, value) in [
        ("APP_MODE", "staging"),
        ("DATABASE_URL", "postgres:x.db"),
        ("DATABASE_URL", "sqlite://:memory:"),
        ("BIND_ADDR", "localhost"),
        ("BCRYPT_COST", "twelve"),
        ("BCRYPT_COST", "32"),
        ("BCRYPT_QUEUE", "-1"),
        ("ACCESS_TOKEN_TTL", "10y"),
        ("RATE_LIMIT_ENABLED", "maybe"),
        ("CREDIT_PACKAGES", "a:1:2"),
        ("CREDIT_PACKAGES", "a:0:2:usd"),
        ("CREDIT_PACKAGES", "a:1:2:usd,a:3:4:usd"),
        ("MAX_API_KEYS", "0"),
        ("MAX_API_KEYS", "many"),
        ("LOG_FORMAT", "xml"),
        ("DB_POOL_SIZE", "0"),
        ("PUBLIC_URL", "app.example.com"),
    ] {
        let err = config(&[(var, value)]).unwrap_err();
        assert_eq!(err.var, var, "{var}={value} gave {err}");
        assert!(err.to_string().starts_with(&format!("{var}: ")), "{err}");
    }
}

#[test]
fn durations_take_units() {
    let c = config(&[("ACCESS_TOKEN_TTL", "15m"), ("REFRESH_TOKEN_TTL", "7d")]).unwrap();
    assert_eq!(c.access_token_ttl, Duration::from_secs(900));
    assert_eq!(c.refresh_token_ttl, Duration::from_secs(7 * 86_400));
}

#[test]
fn secrets_are_not_in_debug_output() {
    let c = config(&[
        ("JWT_SIGNING_KEYS", TEST_SIGNING_KEY),
        ("STRIPE_SECRET_KEY", "sk_test_topsecret"),
        ("STRIPE_WEBHOOK_SECRET", "whsec_topsecret"),
        (
            "DATABASE_URL",
            "postgres://app:pg-topsecret@db.internal/app",
        ),
    ])
    .unwrap();
    let debug = format!("{c:?}");
    assert!(
        !debug.contains(&TEST_SIGNING_KEY[30..60]) && !debug.contains("topsecret"),
        "{debug}"
    );
}

#[test]
fn stripe_needs_both_keys() {
    let c = config(&[
        ("STRIPE_SECRET_KEY", "sk_test_1"),
        ("STRIPE_WEBHOOK_SECRET", "whsec_1"),
    ])
    .unwrap();
    assert_eq!(
        c.stripe.map(|s| s.api_base).as_deref(),
        Some("https://api.stripe.com")
    );
    assert!(config(&[]).unwrap().stripe.is_none());
    // One without the other names the missing one.
    assert_eq!(
        config(&[("STRIPE_SECRET_KEY", "sk_test_1")])
            .unwrap_err()
            .var,
        "STRIPE_WEBHOOK_SECRET"
    );
    assert_eq!(
        config(&[("STRIPE_WEBHOOK_SECRET", "whsec_1")])
            .unwrap_err()
            .var,
        "STRIPE_SECRET_KEY"
    );
}

#[test]
fn public_url_loses_its_trailing_slash() {
    let c = config(&[("PUBLIC_URL", "https://app.example.com/")]).unwrap();
    assert_eq!(c.public_url.as_deref(), Some("https://app.example.com"));
}

#[test]
fn dev_mode_listens_publicly_only_when_allowed() {
    let public = ("BIND_ADDR", "0.0.0.0:8000");
    assert_eq!(config(&[public]).unwrap_err().var, "BIND_ADDR");
    assert_eq!(
        config(&[("BIND_ADDR", "[::1]:8000")])
            .unwrap()
            .bind_addr
            .to_string(),
        "[::1]:8000"
    );
    let allowed = config(&[public, ("ALLOW_DEV_MODE_PUBLIC", "true")]).unwrap();
    assert_eq!(allowed.bind_addr.to_string(), "0.0.0.0:8000");
}

#[test]
fn identity_providers_are_read_with_their_redirect_uris() {
    assert!(
        config(&[]).unwrap().oauth_providers.is_empty(),
        "none by default"
    );
    let c = config(&[
        ("PUBLIC_URL", "https://app.example.com/"),
        ("OIDC_PROVIDERS", "google, my-idp"),
        ("OIDC_GOOGLE_ISSUER", "https://accounts.google.com/"),
        ("OIDC_GOOGLE_CLIENT_ID", "g-id"),
        ("OIDC_GOOGLE_CLIENT_SECRET", "g-secret"),
        ("OIDC_MY_IDP_ISSUER", "http://127.0.0.1:9999"),
        ("OIDC_MY_IDP_CLIENT_ID", "m-id"),
        ("OIDC_MY_IDP_CLIENT_SECRET", "m-secret"),
        ("OIDC_MY_IDP_NAME", "Acme SSO"),
        ("GITHUB_CLIENT_ID", "gh-id"),
        ("GITHUB_CLIENT_SECRET", "gh-secret"),
    ])
    .unwrap();
    let ids: Vec<(&str, &str)> = c
        .oauth_providers
        .iter()
        .map(|p| (p.id.as_str(), p.name.as_str()))
        .collect();
    assert_eq!(
        ids,
        [
            ("google", "Google"),
            ("my-idp", "Acme SSO"),
            ("github", "GitHub")
        ]
    );
    let google = &c.oauth_providers[0];
    assert_eq!(
        google.redirect_uri,
        "https://app.example.com/api/auth/oauth/google/callback"
    );
    assert_eq!(
        google.kind,
        ProviderKind::OpenIdConnect {
            issuer: "https://accounts.google.com".into()
        }
    );
    assert!(
        !format!("{c:?}").contains("g-secret") && !format!("{c:?}").contains("gh-secret"),
        "client secrets stay out of Debug"
    );
}

#[test]
fn identity_provider_mistakes_name_the_variable() {
    let google = |extra: &[(&'static str, &'static str)]| {
        let mut pairs = vec![
            ("OIDC_PROVIDERS", "google"),
            ("OIDC_GOOGLE_ISSUER", "https://accounts.google.com"),
            ("OIDC_GOOGLE_CLIENT_ID", "g-id"),
            ("OIDC_GOOGLE_CLIENT_SECRET", "g-secret"),
        ];
        pairs.retain(|(k, _)| !extra.iter().any(|(e, _)| e == k));
        pairs.extend(extra.iter().filter(|(_, v)| !v.is_empty()));
        config(&pairs).map(|_| ()).map_err(|e| e.var.into_owned())
    };
    assert_eq!(google(&[]), Ok(()));
    assert_eq!(
        google(&[("OIDC_GOOGLE_CLIENT_SECRET", "")]).unwrap_err(),
        "OIDC_GOOGLE_CLIENT_SECRET"
    );
    assert_eq!(
        google(&[("OIDC_GOOGLE_ISSUER", "accounts.google.com")]).unwrap_err(),
        "OIDC_GOOGLE_ISSUER"
    );
    for bad in ["Google", "github", "google,google", "a b"] {
        assert_eq!(
            google(&[("OIDC_PROVIDERS", bad)]).unwrap_err(),
            "OIDC_PROVIDERS",
            "{bad}"
        );
    }
    // An issuer over plain http only in dev mode.
    let err = prod(&[
        ("REQUIRE_VERIFIED_EMAIL", "false"),
        ("OIDC_PROVIDERS", "corp"),
        ("OIDC_CORP_ISSUER", "http://idp.internal"),
        ("OIDC_CORP_CLIENT_ID", "id"),
        ("OIDC_CORP_CLIENT_SECRET", "secret"),
    ])
    .unwrap_err();
    assert_eq!(err.var, "OIDC_CORP_ISSUER");
    assert_eq!(
        config(&[("GITHUB_CLIENT_ID", "id")]).unwrap_err().var,
        "GITHUB_CLIENT_SECRET"
    );
}
