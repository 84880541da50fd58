//! Humanized sizes and durations, printed exactly as Docker's `github.com/docker/go-units` does.
//!
//! Pure functions on numbers; no clock reads here (callers pass `now`).

use std::time::Duration;

use chrono::{DateTime, Utc};

const DECIMAL_ABBRS: [&str; 9] = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];

/// Formats `bytes` like go-units `HumanSize`: base 1000, `%.4g`, so `4261000` is `4.261MB`.
pub fn human_size(bytes: u64) -> String {
    human_size_precision(bytes, 4)
}

/// go-units `HumanSizeWithPrecision`: Docker's image and history tables use 3 digits
/// (`4.26MB`), `HumanSize` (4 digits) elsewhere.
pub fn human_size_precision(bytes: u64, precision: usize) -> String {
    // go-units getSizeAndUnit: divide while size >= base, capped at the last unit.
    let mut size = bytes as f64;
    let mut unit = 0;
    while size >= 1000.0 && unit < DECIMAL_ABBRS.len() - 1 {
        size /= 1000.0;
        unit += 1;
    }
    format!("{}{}", format_g(size, precision), DECIMAL_ABBRS[unit])
}

/// Formats `bytes` like go-units `BytesSize`: base 1024, `%.4g`, so `1572864` is `1.5MiB`
/// (`stats`' memory column).
pub fn bytes_size(bytes: u64) -> String {
    const ABBRS: [&str; 9] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"];
    let mut size = bytes as f64;
    let mut unit = 0;
    while size >= 1024.0 && unit < ABBRS.len() - 1 {
        size /= 1024.0;
        unit += 1;
    }
    format!("{}{}", format_g(size, 4), ABBRS[unit])
}

/// Go's `%.*g` for the range `human_size` produces (0 <= v < 10^4 before rounding): `prec`
/// significant digits, fixed notation, trailing zeros dropped.
fn format_g(v: f64, prec: usize) -> String {
    let sci = format!("{:.*e}", prec.saturating_sub(1), v);
    let exp: i64 = sci
        .rsplit_once('e')
        .and_then(|(_, e)| e.parse().ok())
        .unwrap_or(0);
    if exp < -4 || exp >= prec as i64 {
        // Go's %e form: mantissa without trailing zeros, exponent with sign and two digits.
        let (mant, _) = sci.split_once('e').unwrap_or((&sci, ""));
        let mant = trim_fraction(mant);
        let sign = if exp < 0 { '-' } else { '+' };
        return format!("{mant}e{sign}{:02}", exp.abs());
    }
    let decimals = (prec as i64 - 1 - exp).max(0) as usize;
    trim_fraction(&format!("{v:.decimals$}")).to_string()
}

/// Drops trailing zeros after a decimal point, and the point itself when nothing is left.
fn trim_fraction(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

/// Formats `d` like go-units `HumanDuration` ("Less than a second", "About a minute", "3 weeks").
pub fn human_duration(d: Duration) -> String {
    let seconds = d.as_secs();
    if seconds < 1 {
        return "Less than a second".to_string();
    }
    if seconds == 1 {
        return "1 second".to_string();
    }
    if seconds < 60 {
        return format!("{seconds} seconds");
    }
    let minutes = seconds / 60;
    if minutes == 1 {
        return "About a minute".to_string();
    }
    if minutes < 60 {
        return format!("{minutes} minutes");
    }
    // go-units rounds hours: int(d.Hours() + 0.5).
    let hours = (d.as_secs_f64() / 3600.0 + 0.5) as u64;
    if hours == 1 {
        return "About an hour".to_string();
    }
    if hours < 48 {
        return format!("{hours} hours");
    }
    if hours < 24 * 7 * 2 {
        return format!("{} days", hours / 24);
    }
    if hours < 24 * 30 * 2 {
        return format!("{} weeks", hours / 24 / 7);
    }
    if hours < 24 * 365 * 2 {
        return format!("{} months", hours / 24 / 30);
    }
    // The years branch truncates instead: int(d.Hours())/24/365.
    format!("{} years", seconds / 3600 / 24 / 365)
}

/// Docker's `CreatedSince`: `human_duration(now - created) + " ago"`; a time in the future
/// counts as "Less than a second ago", as a negative Go duration does.
pub fn since(created: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let d = (now - created).to_std().unwrap_or(Duration::ZERO);
    format!("{} ago", human_duration(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        let cases: &[(u64, &str)] = &[
            (0, "0B"),
            (1, "1B"),
            (999, "999B"),
            (1000, "1kB"),
            (1024, "1.024kB"),
            (4_200_000, "4.2MB"),
            (4_260_000, "4.26MB"),
            (4_261_000, "4.261MB"),
            (4_261_499, "4.261MB"),
            // 4.2615 is 4.26149999... as a double, so Go rounds it down too.
            (4_261_500, "4.261MB"),
            (4_262_500, "4.263MB"),
            (999_949, "999.9kB"),
            (999_950, "1000kB"),
            (999_999, "1000kB"),
            (1_000_000, "1MB"),
            (10_000_000, "10MB"),
            (123_456_789, "123.5MB"),
            (1_234_567_890, "1.235GB"),
            (1_000_000_000_000, "1TB"),
            (u64::MAX, "18.45EB"),
        ];
        for (n, want) in cases {
            assert_eq!(human_size(*n), *want, "human_size({n})");
        }
    }

    #[test]
    fn format_g_exponent_form() {
        // An exact tie rounds half to even, as Go's strconv does.
        assert_eq!(format_g(12345.0, 4), "1.234e+04");
        assert_eq!(format_g(12355.0, 4), "1.236e+04");
        assert_eq!(format_g(0.00001, 4), "1e-05");
    }

    #[test]
    fn durations() {
        let s = Duration::from_secs;
        let cases: &[(Duration, &str)] = &[
            (Duration::ZERO, "Less than a second"),
            (Duration::from_millis(999), "Less than a second"),
            (s(1), "1 second"),
            (Duration::from_millis(1999), "1 second"),
            (s(2), "2 seconds"),
            (s(59), "59 seconds"),
            (s(60), "About a minute"),
            (s(119), "About a minute"),
            (s(120), "2 minutes"),
            (s(3599), "59 minutes"),
            (s(3600), "About an hour"),
            (s(3600 + 1799), "About an hour"),
            (s(3600 + 1800), "2 hours"),
            (s(47 * 3600), "47 hours"),
            (s(47 * 3600 + 1799), "47 hours"),
            (s(47 * 3600 + 1800), "2 days"),
            (s(13 * 86400), "13 days"),
            (s(14 * 86400 - 1801), "13 days"),
            (s(14 * 86400), "2 weeks"),
            (s(59 * 86400), "8 weeks"),
            (s(60 * 86400), "2 months"),
            (s(364 * 86400), "12 months"),
            (s(729 * 86400), "24 months"),
            (s(730 * 86400), "2 years"),
            (s(3 * 365 * 86400 + 100), "3 years"),
        ];
        for (d, want) in cases {
            assert_eq!(human_duration(*d), *want, "human_duration({d:?})");
        }
    }

    #[test]
    fn since_past_and_future() {
        let now = DateTime::parse_from_rfc3339("2024-05-01T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let created = now - chrono::Duration::days(61);
        assert_eq!(since(created, now), "2 months ago");
        let future = now + chrono::Duration::hours(3);
        assert_eq!(since(future, now), "Less than a second ago");
        assert_eq!(since(now, now), "Less than a second ago");
    }
}
