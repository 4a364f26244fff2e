//! Configuration is refused with a message naming the variable; production demands a strong
//! JWT secret. (No server or database: `Config::from_lookup` only.)

use std::collections::HashMap;

use backend::Config;

const STRONG_SECRET: &str = "0123456789abcdef0123456789abcdef";

#[test]
fn prod_refuses_a_missing_jwt_secret() {
    assert_refused(&[("APP_MODE", "prod")], "JWT_SECRET");
}

#[test]
fn prod_refuses_a_jwt_secret_under_32_bytes() {
    assert_refused(
        &[("APP_MODE", "prod"), ("JWT_SECRET", &STRONG_SECRET[1..])],
        "JWT_SECRET",
    );
}

#[test]
fn prod_accepts_a_32_byte_jwt_secret() {
    let prod = [
        ("APP_MODE", "prod"),
        ("JWT_SECRET", STRONG_SECRET),
        ("REQUIRE_VERIFIED_EMAIL", "false"),
    ];
    assert!(config(&prod).is_ok());
}

#[test]
fn dev_runs_without_a_jwt_secret() {
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
