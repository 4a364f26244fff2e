//! The report's Markdown: one writer for every table, and the number formats.

use std::time::Duration;

/// A Markdown table: the header, its rule, then one line per row. A `|` in a cell is escaped; an
/// empty cell stays empty (`| |`).
pub fn table<R: AsRef<[String]>>(
    out: &mut String,
    header: &[&str],
    rows: impl IntoIterator<Item = R>,
) {
    line(out, header.iter().copied());
    out.push_str(&"|---".repeat(header.len()));
    out.push_str("|\n");
    for row in rows {
        line(out, row.as_ref().iter().map(String::as_str));
    }
}

fn line<'a>(out: &mut String, cells: impl Iterator<Item = &'a str>) {
    out.push('|');
    for cell in cells {
        out.push(' ');
        if !cell.is_empty() {
            out.push_str(&cell.replace('|', "\\|"));
            out.push(' ');
        }
        out.push('|');
    }
    out.push('\n');
}

/// Milliseconds: two decimals below 10, one above; `n/a` for NaN (nothing answered).
pub fn ms(v: f64) -> String {
    if v.is_nan() {
        "n/a".to_owned()
    } else if v < 10.0 {
        format!("{v:.2} ms")
    } else {
        format!("{v:.1} ms")
    }
}

/// A whole number with thousands separators: 12,827.
pub fn rate(v: f64) -> String {
    let digits = (v.round() as u64).to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub fn pct(v: f64) -> String {
    format!("{:.0}%", v * 100.0)
}

pub fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

pub fn median_ms(values: &[Duration]) -> f64 {
    let mut v: Vec<f64> = values.iter().copied().map(millis).collect();
    crate::inprocess::median(&mut v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_a_table() {
        let mut out = String::new();
        table(&mut out, &["a", "b"], [["x|y".to_owned(), String::new()]]);
        assert_eq!(out, "| a | b |\n|---|---|\n| x\\|y | |\n");
    }

    #[test]
    fn formats_numbers() {
        assert_eq!(rate(1_234_567.4), "1,234,567");
        assert_eq!(rate(999.0), "999");
        assert_eq!(ms(7.126), "7.13 ms");
        assert_eq!(ms(12.64), "12.6 ms");
        assert_eq!(ms(f64::NAN), "n/a");
        assert_eq!(pct(0.854), "85%");
    }
}
