//! Credit rules: an operator's grant (its amount and note) and the usage chart's window.

use super::{ValidationError, bounded_text, count_up_to};

/// The largest grant either way, far below where balances could overflow.
pub const GRANT_MAX_ABS: i64 = 1_000_000_000;
pub const GRANT_NOTE_MAX_LEN: usize = 200;
pub const USAGE_DEFAULT_DAYS: i64 = 30;
pub const USAGE_MAX_DAYS: i64 = 366;

/// Credits an operator adds (or, negative, takes back): non-zero, at most 1,000,000,000 either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GrantAmount(i64);

impl GrantAmount {
    pub fn parse(raw: i64) -> Result<Self, ValidationError> {
        if raw == 0 || raw.unsigned_abs() > GRANT_MAX_ABS.unsigned_abs() {
            return Err(Self::refused());
        }
        Ok(Self(raw))
    }

    /// The amount as typed in a form: a whole number within the same bounds.
    pub fn parse_text(raw: &str) -> Result<Self, ValidationError> {
        raw.trim()
            .parse::<i64>()
            .map_err(|_| ValidationError::new("amount", "amount must be a whole number"))
            .and_then(Self::parse)
    }

    fn refused() -> ValidationError {
        ValidationError::new(
            "amount",
            format!("amount must be non-zero and at most {GRANT_MAX_ABS} either way"),
        )
    }

    pub fn get(self) -> i64 {
        self.0
    }
}

/// Why an operator granted credits, shown in the ledger: 1 to 200 characters after trimming.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantNote(String);

impl GrantNote {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        bounded_text(raw, "reason", "reason", GRANT_NOTE_MAX_LEN).map(|n| Self(n.to_owned()))
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// How many days the usage chart covers, today included: 1 to 366, 30 when absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UsageDays(i64);

impl UsageDays {
    pub fn parse(raw: Option<i64>) -> Result<Self, ValidationError> {
        count_up_to(raw, "days", USAGE_DEFAULT_DAYS, USAGE_MAX_DAYS).map(Self)
    }

    pub fn get(self) -> i64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grant_amounts() {
        assert_eq!(GrantAmount::parse(-5).map(GrantAmount::get), Ok(-5));
        assert_eq!(
            GrantAmount::parse_text(" 12 ").map(GrantAmount::get),
            Ok(12)
        );
        for bad in [0, GRANT_MAX_ABS + 1, -GRANT_MAX_ABS - 1, i64::MIN] {
            let err = GrantAmount::parse(bad).unwrap_err();
            assert_eq!(err.field, "amount");
            assert_eq!(
                err.message,
                "amount must be non-zero and at most 1000000000 either way"
            );
        }
        assert_eq!(
            GrantAmount::parse_text("ten").unwrap_err().message,
            "amount must be a whole number"
        );
        assert!(
            GrantAmount::parse(GRANT_MAX_ABS).is_ok() && GrantAmount::parse(-GRANT_MAX_ABS).is_ok()
        );
    }

    #[test]
    fn grant_notes() {
        assert_eq!(
            GrantNote::parse(" goodwill ").unwrap().into_inner(),
            "goodwill"
        );
        assert_eq!(
            GrantNote::parse("  ").unwrap_err().message,
            "reason is required"
        );
        assert_eq!(
            GrantNote::parse(&"r".repeat(201)).unwrap_err().message,
            "reason must be at most 200 characters"
        );
        assert!(GrantNote::parse(&"r".repeat(200)).is_ok());
    }

    #[test]
    fn usage_days() {
        assert_eq!(UsageDays::parse(None).map(UsageDays::get), Ok(30));
        assert_eq!(UsageDays::parse(Some(366)).map(UsageDays::get), Ok(366));
        for bad in [0, 367, -3] {
            assert_eq!(
                UsageDays::parse(Some(bad)).unwrap_err().message,
                "days must be between 1 and 366"
            );
        }
    }
}
