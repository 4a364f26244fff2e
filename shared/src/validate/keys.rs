//! API key rules.

use std::time::Duration;

use super::{ValidationError, count_up_to, name_text};
use crate::dto::Scope;

pub const KEY_NAME_MAX_LEN: usize = 64;
/// The longest a key may be given to live, in days.
pub const KEY_LIFETIME_MAX_DAYS: i64 = 365;

/// An API key's label: 1 to 64 characters after trimming, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyName(String);

impl KeyName {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        name_text(raw, "name", "key name", KEY_NAME_MAX_LEN).map(|name| Self(name.to_owned()))
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// The largest spend limit a key may be given, in credits.
pub const KEY_SPEND_LIMIT_MAX: i64 = 1_000_000_000_000;

/// A key's spend limit for one window (`field`: `spend_limit_daily`, `spend_limit_monthly`): 1
/// to 10^12 credits, or none.
pub fn spend_limit(
    limit: Option<i64>,
    field: &'static str,
) -> Result<Option<i64>, ValidationError> {
    limit
        .map(|credits| count_up_to(Some(credits), field, credits, KEY_SPEND_LIMIT_MAX))
        .transpose()
}

/// The highest per-key rate limit, in requests per minute.
pub const KEY_RATE_LIMIT_MAX: i64 = 1_000_000;

/// A key's own rate limit: 1 to 1,000,000 requests per minute, or none (the API's per-user
/// limit alone applies).
pub fn rate_limit(per_minute: Option<i64>) -> Result<Option<i64>, ValidationError> {
    per_minute
        .map(|n| count_up_to(Some(n), "rate_limit_per_minute", n, KEY_RATE_LIMIT_MAX))
        .transpose()
}

/// How long a new key lives: 1 to 365 days, or for ever (`None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyLifetime(Option<i64>);

impl KeyLifetime {
    pub fn parse(days: Option<i64>) -> Result<Self, ValidationError> {
        days.map(|days| count_up_to(Some(days), "expires_in_days", days, KEY_LIFETIME_MAX_DAYS))
            .transpose()
            .map(Self)
    }

    pub fn days(self) -> Option<i64> {
        self.0
    }

    pub fn duration(self) -> Option<Duration> {
        self.0
            .map(|days| Duration::from_secs(days.unsigned_abs() * 86_400))
    }
}

/// The longest a rotated key's old secret may keep working, in seconds (7 days).
pub const KEY_GRACE_MAX_SECONDS: i64 = 7 * 86_400;

/// How long the old secret of a rotated key keeps working: 0 to 7 days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyGrace(Duration);

impl KeyGrace {
    pub fn parse(seconds: i64) -> Result<Self, ValidationError> {
        if (0..=KEY_GRACE_MAX_SECONDS).contains(&seconds) {
            Ok(Self(Duration::from_secs(seconds.unsigned_abs())))
        } else {
            Err(ValidationError::new(
                "grace_seconds",
                format!("grace_seconds must be between 0 and {KEY_GRACE_MAX_SECONDS}"),
            ))
        }
    }

    pub fn get(self) -> Duration {
        self.0
    }
}

/// A new key's scopes: at least one, each once, in `Scope::ALL` order; omitted, all of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyScopes(Vec<Scope>);

impl KeyScopes {
    pub fn parse(asked: Option<&[Scope]>) -> Result<Self, ValidationError> {
        let Some(asked) = asked else {
            return Ok(Self(Scope::ALL.to_vec()));
        };
        if asked.is_empty() {
            return Err(ValidationError::new(
                "scopes",
                "a key needs at least one scope",
            ));
        }
        Ok(Self(
            Scope::ALL
                .into_iter()
                .filter(|scope| asked.contains(scope))
                .collect(),
        ))
    }

    pub fn into_inner(self) -> Vec<Scope> {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_name_rules() {
        assert_eq!(KeyName::parse("  ci  ").unwrap().into_inner(), "ci");
        assert_eq!(
            KeyName::parse("   ").unwrap_err().message,
            "key name is required"
        );
        assert_eq!(
            KeyName::parse(&"k".repeat(65)).unwrap_err().message,
            "key name must be at most 64 characters"
        );
        assert!(KeyName::parse("bad\nname").is_err());
        assert!(KeyName::parse(&"k".repeat(64)).is_ok());
    }

    #[test]
    fn key_lifetime_rules() {
        assert_eq!(KeyLifetime::parse(None).unwrap().days(), None);
        assert_eq!(KeyLifetime::parse(Some(1)).unwrap().days(), Some(1));
        assert_eq!(KeyLifetime::parse(Some(365)).unwrap().days(), Some(365));
        for days in [0, -1, 366] {
            let e = KeyLifetime::parse(Some(days)).unwrap_err();
            assert_eq!(
                (e.field, e.message.as_str()),
                (
                    "expires_in_days",
                    "expires_in_days must be between 1 and 365"
                )
            );
        }
    }

    #[test]
    fn spend_limit_rules() {
        assert_eq!(spend_limit(None, "spend_limit_daily"), Ok(None));
        assert_eq!(spend_limit(Some(30), "spend_limit_daily"), Ok(Some(30)));
        for credits in [0, -5, KEY_SPEND_LIMIT_MAX + 1] {
            let e = spend_limit(Some(credits), "spend_limit_monthly").unwrap_err();
            assert_eq!(e.field, "spend_limit_monthly");
        }
    }

    #[test]
    fn rate_limit_rules() {
        assert_eq!(rate_limit(None), Ok(None));
        assert_eq!(rate_limit(Some(1)), Ok(Some(1)));
        assert_eq!(
            rate_limit(Some(KEY_RATE_LIMIT_MAX)),
            Ok(Some(KEY_RATE_LIMIT_MAX))
        );
        for n in [0, -1, KEY_RATE_LIMIT_MAX + 1] {
            let e = rate_limit(Some(n)).unwrap_err();
            assert_eq!(
                (e.field, e.message.as_str()),
                (
                    "rate_limit_per_minute",
                    "rate_limit_per_minute must be between 1 and 1000000"
                )
            );
        }
    }

    #[test]
    fn key_grace_rules() {
        assert_eq!(KeyGrace::parse(0).unwrap().get(), Duration::ZERO);
        let week = KeyGrace::parse(604_800).unwrap().get();
        assert_eq!(week, Duration::from_secs(604_800));
        for seconds in [-1, 604_801] {
            let e = KeyGrace::parse(seconds).unwrap_err();
            assert_eq!(
                (e.field, e.message.as_str()),
                (
                    "grace_seconds",
                    "grace_seconds must be between 0 and 604800"
                )
            );
        }
    }

    #[test]
    fn key_scope_rules() {
        let all = Scope::ALL.to_vec();
        assert_eq!(KeyScopes::parse(None).unwrap().into_inner(), all);
        // Each once, in `Scope::ALL` order.
        let asked = [Scope::CreditsRead, Scope::PaidCall, Scope::CreditsRead];
        assert_eq!(
            KeyScopes::parse(Some(&asked)).unwrap().into_inner(),
            [Scope::PaidCall, Scope::CreditsRead]
        );
        assert_eq!(
            KeyScopes::parse(Some(&[Scope::CreditsRead]))
                .unwrap()
                .into_inner(),
            [Scope::CreditsRead]
        );
        assert_eq!(KeyScopes::parse(Some(&[])).unwrap_err().field, "scopes");
    }
}
