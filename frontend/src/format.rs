//! How numbers, prices and dates read on screen.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use shared::dto::{ActiveOrganization, LedgerKind};
use wasm_bindgen::JsValue;

/// 12345 -> "12,345".
pub fn int(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A signed change: "+100", "-1".
pub fn delta(n: i64) -> String {
    if n > 0 {
        format!("+{}", int(n))
    } else {
        int(n)
    }
}

/// What moved credits, as a person reads it: "Purchase · starter pack", "Admin grant · goodwill",
/// "Refund · POST /api/x"; a spend is its paid route ("POST /api/generate-text").
pub fn movement(kind: &LedgerKind) -> String {
    match kind {
        LedgerKind::Purchase { package_id } => format!("Purchase · {package_id} pack"),
        LedgerKind::Grant { note } => format!("Admin grant · {note}"),
        LedgerKind::Spend { route } => route.clone(),
        LedgerKind::Refund { route, .. } => format!("Refund · {route}"),
    }
}

/// The organisation a page's data belongs to, with the user's role in it: "Acme · owner".
pub fn organization(org: &ActiveOrganization) -> String {
    match org.role {
        Some(role) => format!("{} · {}", org.name, role.as_str()),
        None => org.name.clone(),
    }
}

/// 500, "usd" -> "$5.00"; unknown currencies as "5.00 XYZ".
pub fn price(cents: i64, currency: &str) -> String {
    let amount = format!("{}.{:02}", int(cents / 100), (cents % 100).abs());
    match currency.to_ascii_lowercase().as_str() {
        "usd" => format!("${amount}"),
        "eur" => format!("€{amount}"),
        "gbp" => format!("£{amount}"),
        other => format!("{amount} {}", other.to_ascii_uppercase()),
    }
}

/// Price of one credit in the package, e.g. "$0.05 per credit"; below a cent, "$0.003 per credit".
/// Integer arithmetic: float formatting would add ~10 KB to the wasm.
pub fn unit_price(cents: i64, credits: i64, currency: &str) -> String {
    if credits <= 0 || cents < 0 {
        return String::new();
    }
    // In thousandths of a cent, rounded.
    let milli = (cents * 1000 + credits / 2) / credits;
    let amount = if milli >= 1000 {
        // A cent or more: to the cent, rounded.
        let cents = (milli + 500) / 1000;
        format!("{}.{:02}", cents / 100, cents % 100)
    } else {
        // Below a cent: as many decimals as it takes.
        let digits = format!("{milli:05}");
        format!("0.{}", digits.trim_end_matches('0'))
    };
    match currency.to_ascii_lowercase().as_str() {
        "usd" => format!("${amount} per credit"),
        "eur" => format!("€{amount} per credit"),
        "gbp" => format!("£{amount} per credit"),
        other => format!("{amount} {} per credit", other.to_ascii_uppercase()),
    }
}

/// A file's size: "512 bytes", "1.5 KB", "26.2 MB" (1 KB = 1000 bytes, one decimal, rounded), in
/// integer arithmetic like `unit_price`.
pub fn bytes(n: i64) -> String {
    if n < 1000 {
        return format!("{n} {}", if n == 1 { "byte" } else { "bytes" });
    }
    const UNITS: [&str; 3] = ["KB", "MB", "GB"];
    // Bytes per tenth of the unit; 999.95 KB and up reads as the next unit.
    let (mut tenth, mut unit) = (100, 0);
    while unit < UNITS.len() - 1 && n + tenth / 2 >= 10_000 * tenth {
        tenth *= 1000;
        unit += 1;
    }
    let tenths = (n + tenth / 2) / tenth;
    format!("{}.{} {}", tenths / 10, tenths % 10, UNITS[unit])
}

/// A moment in the reader's own time zone and locale, e.g. "Nov 23, 2026, 10:58 AM".
pub fn datetime(at: &DateTime<Utc>) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(at.timestamp_millis() as f64));
    let options = js_sys::Object::new();
    for (key, value) in [
        ("year", "numeric"),
        ("month", "short"),
        ("day", "numeric"),
        ("hour", "numeric"),
        ("minute", "2-digit"),
    ] {
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    }
    date.to_locale_string("default", &options).into()
}

/// A moment as a date only, e.g. "Nov 23, 2026".
pub fn date(at: &DateTime<Utc>) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(at.timestamp_millis() as f64));
    let options = js_sys::Object::new();
    for (key, value) in [("year", "numeric"), ("month", "short"), ("day", "numeric")] {
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    }
    date.to_locale_date_string("default", &options).into()
}

/// A UTC calendar day (the usage chart's unit), e.g. "Nov 3".
pub fn day(d: &NaiveDate) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!("{} {}", MONTHS[d.month0() as usize], d.day())
}

/// A calendar date with its year (a due date), e.g. "Nov 3, 2026".
pub fn day_of_year(d: &NaiveDate) -> String {
    format!("{}, {}", day(d), d.year())
}

/// A calendar date as a date input holds it, e.g. "2026-11-03" (without chrono's formatter).
pub fn iso_date(d: &NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}
