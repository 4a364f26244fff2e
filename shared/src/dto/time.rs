//! Timestamps and calendar dates of answers, read by hand in the one format the API writes them
//! in: chrono's general parser (behind its `Deserialize`) costs the SPA ~6 KB of its first-load
//! budget. The fields use `#[serde(deserialize_with = "...")]`; request fields keep chrono's.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeDelta, Utc};
use serde::{Deserialize, Deserializer, de::Error};

const TIMESTAMP: &str = "an RFC 3339 timestamp";
const DATE: &str = "a date (YYYY-MM-DD)";

/// `2026-11-23`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    ymd(text.as_bytes())
}

/// RFC 3339 as chrono writes it: `2026-11-23T10:00:00Z`, with a fraction of a second (up to 9
/// digits) when there is one; an offset (`+01:00`) instead of `Z` is read too.
pub fn parse_timestamp(text: &str) -> Option<DateTime<Utc>> {
    let b = text.as_bytes();
    if b.len() < 20 || !matches!(b[10], b'T' | b't' | b' ') || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let date = ymd(&b[..10])?;
    let (hour, minute, second) = (
        number(&b[11..13])?,
        number(&b[14..16])?,
        number(&b[17..19])?,
    );
    let mut rest = &b[19..];
    let mut nanos = 0;
    if let [b'.', fraction @ ..] = rest {
        let digits = fraction.iter().take_while(|d| d.is_ascii_digit()).count();
        if !(1..=9).contains(&digits) {
            return None;
        }
        nanos = number(&fraction[..digits])? * 10u32.pow(9 - digits as u32);
        rest = &fraction[digits..];
    }
    let offset = match rest {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let seconds = i64::from(number(&[*h1, *h2])? * 3600 + number(&[*m1, *m2])? * 60);
            if *sign == b'-' { -seconds } else { seconds }
        }
        _ => return None,
    };
    let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?;
    Some(date.and_time(time).and_utc() - TimeDelta::try_seconds(offset)?)
}

fn ymd(b: &[u8]) -> Option<NaiveDate> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = i32::try_from(number(&b[..4])?).ok()?;
    NaiveDate::from_ymd_opt(year, number(&b[5..7])?, number(&b[8..])?)
}

/// Decimal digits, nothing else (no sign, no space).
fn number(digits: &[u8]) -> Option<u32> {
    digits.iter().try_fold(0u32, |n, &d| {
        d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
    })
}

/// The string `parse` reads, or `None` for `null`.
fn read<'de, D: Deserializer<'de>, T>(
    deserializer: D,
    parse: fn(&str) -> Option<T>,
    expected: &str,
) -> Result<Option<T>, D::Error> {
    match Option::<String>::deserialize(deserializer)? {
        Some(text) => parse(&text)
            .map(Some)
            .ok_or_else(|| D::Error::custom(format_args!("expected {expected}"))),
        None => Ok(None),
    }
}

pub fn timestamp<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime<Utc>, D::Error> {
    read(deserializer, parse_timestamp, TIMESTAMP)?
        .ok_or_else(|| D::Error::custom(format_args!("expected {TIMESTAMP}, not null")))
}

pub fn optional_timestamp<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<DateTime<Utc>>, D::Error> {
    read(deserializer, parse_timestamp, TIMESTAMP)
}

pub fn date<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
    read(deserializer, parse_date, DATE)?
        .ok_or_else(|| D::Error::custom(format_args!("expected {DATE}, not null")))
}

pub fn optional_date<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<NaiveDate>, D::Error> {
    read(deserializer, parse_date, DATE)
}

#[cfg(test)]
mod tests {
    use chrono::{FixedOffset, TimeZone};

    use super::*;

    /// Whatever chrono writes (whole seconds, milli-, micro- or nanoseconds) reads back as is.
    #[test]
    fn what_chrono_writes_reads_back() {
        let at = Utc.with_ymd_and_hms(2026, 11, 23, 10, 4, 5).unwrap();
        for nanos in [0, 123_000_000, 123_456_000, 123_456_789, 1] {
            let moment = at + TimeDelta::nanoseconds(nanos);
            let json = serde_json::to_string(&moment).unwrap();
            let text: String = serde_json::from_str(&json).unwrap();
            assert_eq!(parse_timestamp(&text), Some(moment), "{text}");
        }
        let date = NaiveDate::from_ymd_opt(2026, 2, 28).unwrap();
        let text: String = serde_json::from_value(serde_json::to_value(date).unwrap()).unwrap();
        assert_eq!(parse_date(&text), Some(date));
    }

    #[test]
    fn an_offset_is_turned_into_utc() {
        let local = FixedOffset::east_opt(-(5 * 3600 + 30 * 60))
            .unwrap()
            .with_ymd_and_hms(2026, 11, 23, 22, 0, 0)
            .unwrap();
        assert_eq!(
            parse_timestamp(&local.to_rfc3339()),
            Some(local.with_timezone(&Utc))
        );
    }

    #[test]
    fn anything_else_is_refused() {
        for bad in [
            "",
            "2026-11-23",
            "2026-11-23T10:00:00",
            "2026-11-23T10:00:00.Z",
            "2026-11-23T10:00:00.1234567891Z",
            "2026-11-23T10:00:00+0100",
            "2026-11-23T25:00:00Z",
            "2026-02-30T10:00:00Z",
            "2026-11-23T10:00:0éZ",
            "+2026-11-23T10:00:00Z",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad:?}");
        }
        for bad in [
            "2026-1-05",
            "2026-13-01",
            " 2026-01-05",
            "2026/01/05",
            "2026-01-05Z",
        ] {
            assert_eq!(parse_date(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn fields_read_strings_and_null() {
        #[derive(Deserialize)]
        struct Answer {
            #[serde(deserialize_with = "timestamp")]
            at: DateTime<Utc>,
            #[serde(deserialize_with = "optional_timestamp")]
            until: Option<DateTime<Utc>>,
            #[serde(deserialize_with = "optional_date")]
            due: Option<NaiveDate>,
        }
        let answer: Answer = serde_json::from_str(
            r#"{"at": "2026-11-23T10:00:00Z", "until": null, "due": "2026-12-31"}"#,
        )
        .unwrap();
        assert_eq!(
            answer.at,
            Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap()
        );
        assert_eq!(answer.until, None);
        assert_eq!(answer.due, NaiveDate::from_ymd_opt(2026, 12, 31));
        let refused =
            serde_json::from_str::<Answer>(r#"{"at": "yesterday", "until": null, "due": null}"#);
        assert!(refused.is_err());
    }
}
