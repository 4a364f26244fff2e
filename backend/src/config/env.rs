//! The environment reader: typed getters over a key lookup, each failing with a [`ConfigError`]
//! that names the variable. Values are trimmed, and a blank value counts as unset.

use std::{borrow::Cow, fmt::Display, net::SocketAddr, str::FromStr, time::Duration};

use secrecy::SecretString;

/// A setting that cannot be used; shown as `VAR: message`, the one line start-up prints.
#[derive(Debug, thiserror::Error)]
#[error("{var}: {message}")]
pub struct ConfigError {
    /// The variable's name: most are fixed, a provider's (`OIDC_GOOGLE_ISSUER`) is made.
    pub var: Cow<'static, str>,
    pub message: String,
}

impl ConfigError {
    pub fn new(var: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        Self {
            var: var.into(),
            message: message.into(),
        }
    }
}

/// A setting's raw value by name: the process environment, or a map in tests.
type Lookup<'a> = dyn Fn(&str) -> Option<String> + 'a;

/// Settings read through a lookup, one typed getter per kind of value.
pub struct Env<'a> {
    lookup: Box<Lookup<'a>>,
}

impl<'a> Env<'a> {
    pub fn new(lookup: impl Fn(&str) -> Option<String> + 'a) -> Self {
        Self {
            lookup: Box::new(lookup),
        }
    }

    /// The trimmed value, or `None` when unset or blank.
    pub fn string(&self, var: &str) -> Option<String> {
        (self.lookup)(var)
            .map(|value| value.trim().to_owned())
            .filter(|value| !value.is_empty())
    }

    /// A value that must never reach a log: its `Debug` shows `[REDACTED]`.
    pub fn secret(&self, var: &str) -> Option<SecretString> {
        self.string(var).map(SecretString::from)
    }

    /// Comma-separated values, blanks skipped; empty when unset.
    pub fn list(&self, var: &str) -> Vec<String> {
        self.string(var)
            .map(|value| {
                value
                    .split(',')
                    .map(|item| item.trim().to_owned())
                    .filter(|item| !item.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The value turned into a `T` by `convert`, whose error message is reported for `var`.
    pub fn parse_with<T>(
        &self,
        var: &str,
        convert: impl FnOnce(&str) -> Result<T, String>,
    ) -> Result<Option<T>, ConfigError> {
        self.string(var)
            .map(|raw| convert(&raw).map_err(|message| ConfigError::new(var.to_owned(), message)))
            .transpose()
    }

    /// The value parsed by `T`'s `FromStr`, whose error is the message.
    pub fn parse<T>(&self, var: &str) -> Result<Option<T>, ConfigError>
    where
        T: FromStr,
        T::Err: Display,
    {
        self.parse_with(var, |raw| raw.parse().map_err(|e: T::Err| e.to_string()))
    }

    /// Like [`Env::parse`], parsing `default` (written as the variable would be) when unset.
    pub fn parse_or<T>(&self, var: &str, default: &str) -> Result<T, ConfigError>
    where
        T: FromStr,
        T::Err: Display,
    {
        let raw = self.string(var);
        raw.as_deref()
            .unwrap_or(default)
            .parse()
            .map_err(|e: T::Err| ConfigError::new(var.to_owned(), e.to_string()))
    }

    /// `host:port`, e.g. `127.0.0.1:8000`.
    pub fn socket_addr(&self, var: &str) -> Result<Option<SocketAddr>, ConfigError> {
        self.parse_with(var, |raw| {
            raw.parse()
                .map_err(|_| "expected host:port, e.g. 127.0.0.1:8000".to_owned())
        })
    }

    /// A whole number (`u32`, `u64`...), or `default` when unset.
    pub fn number<T: FromStr>(&self, var: &str, default: T) -> Result<T, ConfigError> {
        let number = self.parse_with(var, |raw| {
            raw.parse()
                .map_err(|_| format!("expected a non-negative whole number, got {raw:?}"))
        })?;
        Ok(number.unwrap_or(default))
    }

    /// `true`/`1`/`yes`/`on` or `false`/`0`/`no`/`off` in any case, or `default` when unset.
    pub fn bool(&self, var: &str, default: bool) -> Result<bool, ConfigError> {
        Ok(self.parse_with(var, parse_bool)?.unwrap_or(default))
    }

    /// Seconds, or a number with a unit (`900`, `15m`, `12h`, `30d`), or `default` when unset.
    pub fn duration(&self, var: &str, default: Duration) -> Result<Duration, ConfigError> {
        Ok(self.parse_with(var, parse_duration)?.unwrap_or(default))
    }
}

fn parse_bool(raw: &str) -> Result<bool, String> {
    match raw.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" => Ok(false),
        other => Err(format!("expected true or false, got {other:?}")),
    }
}

fn parse_duration(raw: &str) -> Result<Duration, String> {
    let (digits, unit) = match raw.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => raw.split_at(i),
        None => (raw, "s"),
    };
    let seconds_per_unit = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => {
            return Err(format!(
                "expected seconds or a number with s/m/h/d, got {raw:?}"
            ));
        }
    };
    match digits.parse::<u64>() {
        Ok(n) if n > 0 => Ok(Duration::from_secs(n.saturating_mul(seconds_per_unit))),
        _ => Err(format!("expected a positive duration, got {raw:?}")),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn env(pairs: &[(&'static str, &'static str)]) -> Env<'static> {
        let map: HashMap<&str, &str> = pairs.iter().copied().collect();
        Env::new(move |var| map.get(var).map(|value| value.to_string()))
    }

    #[test]
    fn blank_values_count_as_unset() {
        let env = env(&[("A", "  "), ("B", " b ")]);
        assert_eq!(env.string("A"), None);
        assert_eq!(env.string("B").as_deref(), Some("b"));
        assert!(env.bool("A", true).unwrap());
    }

    #[test]
    fn durations_take_units() {
        let env = env(&[("SHORT", "15m"), ("LONG", "7d"), ("PLAIN", "90")]);
        let default = Duration::from_secs(1);
        assert_eq!(env.duration("SHORT", default).unwrap().as_secs(), 900);
        assert_eq!(env.duration("LONG", default).unwrap().as_secs(), 7 * 86_400);
        assert_eq!(env.duration("PLAIN", default).unwrap().as_secs(), 90);
        assert_eq!(env.duration("UNSET", default).unwrap(), default);
    }

    #[test]
    fn errors_name_the_variable_and_the_value() {
        let env = env(&[("TTL", "0s"), ("FLAG", "Maybe"), ("COUNT", "-1")]);
        assert_eq!(
            env.duration("TTL", Duration::ZERO).unwrap_err().to_string(),
            "TTL: expected a positive duration, got \"0s\""
        );
        assert_eq!(
            env.bool("FLAG", false).unwrap_err().to_string(),
            "FLAG: expected true or false, got \"maybe\""
        );
        assert_eq!(
            env.number("COUNT", 1u32).unwrap_err().to_string(),
            "COUNT: expected a non-negative whole number, got \"-1\""
        );
    }

    #[test]
    fn lists_skip_blanks() {
        let env = env(&[("ORIGINS", " https://a.example , ,https://b.example,")]);
        assert_eq!(
            env.list("ORIGINS"),
            ["https://a.example", "https://b.example"]
        );
        assert!(env.list("UNSET").is_empty());
    }
}
