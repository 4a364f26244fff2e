//! `DATABASE_URL`: which database, chosen by the URL's scheme (never guessed by trial).

use std::{fmt, path::PathBuf, str::FromStr};

use secrecy::{ExposeSecret, SecretString};

/// Where the data lives. A PostgreSQL URL may carry a password, so it is kept as a secret:
/// `Debug` redacts it and `Display` shows the URL without its user and password.
#[derive(Debug, Clone)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
    Postgres(SecretString),
}

impl DatabaseUrl {
    pub const DEFAULT_SQLITE: &'static str = "./data/app.db";
}

impl Default for DatabaseUrl {
    fn default() -> Self {
        Self::Sqlite(PathBuf::from(Self::DEFAULT_SQLITE))
    }
}

impl FromStr for DatabaseUrl {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(Self::default());
        }
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            return Ok(Self::Postgres(raw.into()));
        }
        let path = raw
            .strip_prefix("sqlite://")
            .or_else(|| raw.strip_prefix("sqlite:"));
        match path {
            Some("") => Err("sqlite URL has no file path (e.g. sqlite://data/app.db)".to_owned()),
            Some(p) if p.contains(":memory:") || p.starts_with("file:") => Err(
                "in-memory SQLite is not supported (each pooled connection would see its own empty database); use a file path"
                    .to_owned(),
            ),
            Some(p) => Ok(Self::Sqlite(PathBuf::from(p))),
            None => Err(
                "expected sqlite://<path>, postgres://... or postgresql://..., or leave it empty for ./data/app.db"
                    .to_owned(),
            ),
        }
    }
}

/// Shows the database without its password, for logs and the start-up line.
impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sqlite(path) => write!(f, "SQLite {}", path.display()),
            Self::Postgres(url) => {
                let url = url.expose_secret();
                let (scheme, rest) = url.split_once("://").unwrap_or(("postgres", url));
                let host = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
                write!(f, "PostgreSQL {scheme}://{host}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn schemes() {
        let parse = |raw: &str| raw.parse::<DatabaseUrl>().unwrap();
        let is_sqlite = |url, expected: &str| matches!(url, DatabaseUrl::Sqlite(path) if path == Path::new(expected));
        assert!(is_sqlite(parse("sqlite://x/y.db"), "x/y.db"));
        assert!(is_sqlite(parse("sqlite:y.db"), "y.db"));
        assert!(is_sqlite(parse(""), DatabaseUrl::DEFAULT_SQLITE));
        assert!(matches!(
            parse("postgresql://u@h/db"),
            DatabaseUrl::Postgres(_)
        ));
    }

    #[test]
    fn refuses_memory_and_unknown_schemes() {
        for raw in [
            "sqlite://:memory:",
            "sqlite:file:x.db",
            "sqlite://",
            "mysql://h/db",
        ] {
            assert!(raw.parse::<DatabaseUrl>().is_err(), "{raw} was accepted");
        }
    }

    #[test]
    fn display_and_debug_hide_the_password() {
        let url: DatabaseUrl = "postgres://app:s3cret@db.internal:5432/app"
            .parse()
            .unwrap();
        assert_eq!(
            url.to_string(),
            "PostgreSQL postgres://db.internal:5432/app"
        );
        assert!(!format!("{url:?}").contains("s3cret"));
    }
}
