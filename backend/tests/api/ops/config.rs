//! Configuration is refused with a message naming the variable; production demands an Ed25519
//! signing key and a public URL (the tokens' issuer). (No server or database:
//! `Config::from_lookup` only.)

use std::collections::HashMap;

use backend::Config;
use test_support::TEST_SIGNING_KEY;

const PUBLIC_URL: (&str, &str) = ("PUBLIC_URL", "https://app.example.com");

#[test]
fn prod_refuses_missing_signing_keys() {
    assert_refused(&[("APP_MODE", "prod"), PUBLIC_URL], "JWT_SIGNING_KEYS");
}

#[test]
fn prod_refuses_a_malformed_signing_key() {
    let truncated = &TEST_SIGNING_KEY[..40];
    assert_refused(
        &[
            ("APP_MODE", "prod"),
            PUBLIC_URL,
            ("JWT_SIGNING_KEYS", truncated),
        ],
        "JWT_SIGNING_KEYS",
    );
}

#[test]
fn prod_refuses_to_run_without_a_public_url() {
    assert_refused(
        &[("APP_MODE", "prod"), ("JWT_SIGNING_KEYS", TEST_SIGNING_KEY)],
        "PUBLIC_URL",
    );
}

#[test]
fn prod_accepts_an_ed25519_key_and_a_public_url() {
    let prod = [
        ("APP_MODE", "prod"),
        PUBLIC_URL,
        ("JWT_SIGNING_KEYS", TEST_SIGNING_KEY),
        ("REQUIRE_VERIFIED_EMAIL", "false"),
    ];
    assert!(config(&prod).is_ok());
}

#[test]
fn dev_runs_without_signing_keys() {
    assert!(config(&[("APP_MODE", "dev")]).is_ok());
}

#[test]
fn bad_settings_name_their_variable() {
    for (name, value) in [
        ("APP_MODE", "staging"),
        ("BCRYPT_COST", "lots"),
        ("BIND_ADDR", "not an address"),
        ("CREDIT_PACKAGES", "starter:lots:500:usd"),
        ("RATE_LIMIT_ENABLED", "maybe"),
        ("ACCESS_TOKEN_TTL", "soon"),
    ] {
        assert_refused(&[("APP_MODE", "dev"), (name, value)], name);
    }
}

fn config(settings: &[(&str, &str)]) -> Result<Config, backend::config::ConfigError> {
    let mut all: HashMap<&str, &str> = HashMap::from([("DATABASE_URL", "sqlite://unused.db")]);
    all.extend(settings.iter().copied());
    Config::from_lookup(|name| all.get(name).map(|v| v.to_string()))
}

fn assert_refused(settings: &[(&str, &str)], variable: &str) {
    match config(settings) {
        Ok(_) => panic!("{settings:?} was accepted"),
        Err(error) => {
            let message = error.to_string();
            assert!(
                message.contains(variable),
                "{message:?} does not name {variable}"
            );
        }
    }
}
