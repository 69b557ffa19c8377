//! Human units as the Docker CLI prints them: sizes (`github.com/docker/go-units` v0.5
//! `HumanSizeWithPrecision`), durations (`HumanDuration`, and the CLI's
//! `CreatedSince` = duration + " ago"), and Go's two time layouts Docker shows
//! (`time.Time.String()` for `{{.CreatedAt}}`, RFC 3339 with nanoseconds for `inspect`).
//!
//! Sizes go through Go's `%.*g`, reproduced exactly by [`go_format_g`], including its switch
//! to exponent notation: 999 999 bytes is `999.999kB` before rounding, which `%.3g` rounds to
//! `1e+03`, so Docker prints `1e+03kB`.

use std::fmt::Write as _;
use std::time::Duration;

const DECIMAL_UNITS: [&str; 9] = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];

/// Sizes in `docker image ls` (`SIZE`), `docker history`, `docker system df`:
/// `HumanSizeWithPrecision(size, 3)`. `160MB`, `8.32MB`, `10.1kB`, `389B`, `0B`, `1e+03kB`.
pub fn human_size(bytes: i64) -> String {
    human_size_precision(bytes as f64, 3)
}

/// `HumanSizeWithPrecision(size, precision)`: divides by 1000 while the value is at least 1000
/// (up to `YB`), then `%.*g` and the unit. Pull and push progress (`12.5MB/30.2MB`) use
/// `HumanSize`, which is precision 4.
pub fn human_size_precision(bytes: f64, precision: usize) -> String {
    let (size, unit) = scale(bytes, 1000.0, &DECIMAL_UNITS);
    format!("{}{unit}", go_format_g(size, Some(precision)))
}

/// `HumanSize`: precision 4, as in the pull progress bar (moby `jsonmessage.JSONProgress`).
pub fn human_size4(bytes: f64) -> String {
    human_size_precision(bytes, 4)
}

/// go-units `getSizeAndUnit`.
fn scale(mut size: f64, base: f64, units: &[&'static str; 9]) -> (f64, &'static str) {
    let mut i = 0;
    while size >= base && i < units.len() - 1 {
        size /= base;
        i += 1;
    }
    (size, units[i])
}

/// Go's `%g` (`precision: None`, as `%v` prints a float64: shortest representation) or
/// `%.Ng` (`Some(N)`), following `strconv/ftoa.go`: exponent form when the decimal exponent is
/// below -4 or at least the precision (6 for the shortest form), trailing zeros trimmed,
/// at least two exponent digits (`1e+03`).
pub fn go_format_g(v: f64, precision: Option<usize>) -> String {
    if v.is_nan() {
        return "NaN".to_owned();
    }
    if v.is_infinite() {
        return if v > 0.0 { "+Inf" } else { "-Inf" }.to_owned();
    }
    let neg = v.is_sign_negative();
    let (digits, dp) = decimal_digits(v.abs(), precision);
    let nd = digits.len() as i64;
    let shortest = precision.is_none();
    let mut prec = match precision {
        Some(0) => 1,
        Some(p) => p as i64,
        None => nd,
    };
    let mut eprec = prec;
    if eprec > nd && nd >= dp {
        eprec = nd;
    }
    if shortest {
        eprec = 6;
    }
    let exp = dp - 1;
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if digits.is_empty() {
        // zero: strconv's decimal has no digits and dp 0, so %f with no fraction.
        out.push('0');
        return out;
    }
    if exp < -4 || exp >= eprec {
        if prec > nd {
            prec = nd;
        }
        fmt_e(&mut out, &digits, dp, prec - 1);
    } else {
        if prec > dp {
            prec = nd;
        }
        fmt_f(&mut out, &digits, dp, (prec - dp).max(0));
    }
    out
}

/// Significant decimal digits of `v` (positive, finite), trailing zeros removed, and the
/// decimal point position `dp` (value = 0.d1d2… × 10^dp). Rounded to `precision` significant
/// digits, or the shortest round-trip digits when `None`.
fn decimal_digits(v: f64, precision: Option<usize>) -> (Vec<u8>, i64) {
    if v == 0.0 {
        return (Vec::new(), 0);
    }
    // Rust's `{:e}` yields exactly rounded (or shortest round-trip) digits, as strconv does.
    let s = match precision {
        // A double has at most 767 significant decimal digits: asking for more only adds
        // zeros (trimmed below), and Rust's formatter panics past `u16::MAX`.
        Some(p) => format!("{:.*e}", p.clamp(1, 800) - 1, v),
        None => format!("{v:e}"),
    };
    let (mantissa, exponent) = s.split_once('e').unwrap_or((s.as_str(), "0"));
    let exponent: i64 = exponent.parse().unwrap_or(0);
    let mut digits: Vec<u8> = mantissa.bytes().filter(u8::is_ascii_digit).collect();
    while digits.last() == Some(&b'0') {
        digits.pop();
    }
    (digits, exponent + 1)
}

/// strconv `fmtE`: d.ddde±XX with `prec` digits after the point.
fn fmt_e(out: &mut String, digits: &[u8], dp: i64, prec: i64) {
    out.push(char::from(digits.first().copied().unwrap_or(b'0')));
    if prec > 0 {
        out.push('.');
        for i in 1..=prec {
            let d = usize::try_from(i).ok().and_then(|i| digits.get(i)).copied();
            out.push(char::from(d.unwrap_or(b'0')));
        }
    }
    let exp = if digits.is_empty() { 0 } else { dp - 1 };
    out.push('e');
    out.push(if exp < 0 { '-' } else { '+' });
    let _ = write!(out, "{:02}", exp.abs());
}

/// strconv `fmtF`: integer part then `prec` fraction digits.
fn fmt_f(out: &mut String, digits: &[u8], dp: i64, prec: i64) {
    let digit_at = |i: i64| -> char {
        let d = usize::try_from(i).ok().and_then(|i| digits.get(i)).copied();
        char::from(d.unwrap_or(b'0'))
    };
    if dp > 0 {
        for i in 0..dp {
            out.push(digit_at(i));
        }
    } else {
        out.push('0');
    }
    if prec > 0 {
        out.push('.');
        for i in 1..=prec {
            out.push(digit_at(dp + i - 1));
        }
    }
}

/// go-units `HumanDuration`: "Less than a second", "1 second", "N seconds", "About a minute",
/// "N minutes", "About an hour", "N hours", "N days", "N weeks", "N months", "N years".
/// Hours are rounded (`int(d.Hours() + 0.5)`); everything else truncates.
pub fn human_duration(d: Duration) -> String {
    let seconds = d.as_secs();
    if seconds < 1 {
        return "Less than a second".to_owned();
    }
    if seconds == 1 {
        return "1 second".to_owned();
    }
    if seconds < 60 {
        return format!("{seconds} seconds");
    }
    let minutes = seconds / 60;
    if minutes == 1 {
        return "About a minute".to_owned();
    }
    if minutes < 60 {
        return format!("{minutes} minutes");
    }
    let hours_f = d.as_secs_f64() / 3600.0;
    let hours = (hours_f + 0.5) as u64;
    if hours == 1 {
        return "About an hour".to_owned();
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
    format!("{} years", (hours_f as u64) / 24 / 365)
}

/// The CLI's `CreatedSince` (`docker image ls` `CREATED`, `docker ps` `CREATED`):
/// `HumanDuration(now - created) + " ago"`. A creation time in the future is a negative
/// duration, which go-units calls "Less than a second", so Docker prints
/// "Less than a second ago". Go's zero time (0001-01-01T00:00:00Z, what the daemon reports
/// for an image without a creation date) gives the empty string; `docker image ls`'s default
/// format then shows `N/A` through `{{if .CreatedSince }}{{.CreatedSince}}{{else}}N/A{{end}}`.
pub fn created_since(created: jiff::Timestamp, now: jiff::Timestamp) -> String {
    if created.as_second() == GO_ZERO_TIME_UNIX {
        return String::new();
    }
    let elapsed = now.duration_since(created);
    let d = Duration::try_from(elapsed).unwrap_or(Duration::ZERO);
    format!("{} ago", human_duration(d))
}

/// The local time zone as `jiff::tz::TimeZone::system()` finds it, without loading jiff's time
/// zone database, which lists every file under `/usr/share/zoneinfo` (~1 ms, the largest part of
/// `docker history` on a small store): when neither `TZ` nor `ZONEINFO` is set and
/// `/etc/localtime` links into a zoneinfo directory, that one file under that name (what jiff
/// itself would read); otherwise jiff's own answer.
pub fn local_time_zone() -> jiff::tz::TimeZone {
    fn linked() -> Option<jiff::tz::TimeZone> {
        if std::env::var_os("TZ").is_some() || std::env::var_os("ZONEINFO").is_some() {
            return None;
        }
        let target = std::fs::read_link("/etc/localtime").ok()?;
        let text = target.to_str()?;
        let name = &text[text.rfind("zoneinfo/")? + "zoneinfo/".len()..];
        // A relative link is relative to /etc; `join` keeps an absolute one as it is.
        let data = std::fs::read(std::path::Path::new("/etc").join(&target)).ok()?;
        jiff::tz::TimeZone::tzif(name, &data).ok()
    }
    linked().unwrap_or_else(jiff::tz::TimeZone::system)
}

/// Go's zero `time.Time` (January 1, year 1, UTC) in Unix seconds.
pub const GO_ZERO_TIME_UNIX: i64 = -62_135_596_800;

/// Go's `time.Time.String()`: layout `2006-01-02 15:04:05.999999999 -0700 MST`, i.e.
/// `2025-10-07 23:06:46 +0200 CEST`; the fraction loses its trailing zeros (and its dot when
/// zero). `docker image ls --format '{{.CreatedAt}}'` prints this in local time.
pub fn go_time_string(t: &jiff::Zoned) -> String {
    let offset_seconds = t.offset().seconds();
    let mut out = format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    );
    push_fraction(&mut out, t.subsec_nanosecond());
    let sign = if offset_seconds < 0 { '-' } else { '+' };
    let minutes = offset_seconds.unsigned_abs() / 60;
    let numeric = format!("{sign}{:02}{:02}", minutes / 60, minutes % 60);
    let tz = t.time_zone();
    let info = tz.to_offset_info(t.timestamp());
    let abbreviation = info.abbreviation();
    // A bare fixed offset is Go's `FixedZone("", …)`, which has no name: Go prints the -0700
    // form again. Zones from tzdata keep their abbreviation, even a numeric one like `-03`.
    let unnamed = tz.iana_name().is_none() && tz.to_fixed_offset().is_ok() && abbreviation != "UTC";
    let zone = if abbreviation.is_empty() || unnamed {
        numeric.as_str()
    } else {
        abbreviation
    };
    let _ = write!(out, " {numeric} {zone}");
    out
}

/// Go's `time.RFC3339Nano` in UTC, as `docker inspect` shows `Created`:
/// `2025-10-07T21:06:46Z`, `2025-11-27T18:30:01.123456789Z`, `…01.5Z` (trailing zeros trimmed).
pub fn rfc3339_nano(t: jiff::Timestamp) -> String {
    let z = t.to_zoned(jiff::tz::TimeZone::UTC);
    let mut out = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        z.year(),
        z.month(),
        z.day(),
        z.hour(),
        z.minute(),
        z.second()
    );
    push_fraction(&mut out, z.subsec_nanosecond());
    out.push('Z');
    out
}

/// `.999999999`: nanoseconds without trailing zeros, nothing when zero.
fn push_fraction(out: &mut String, nanos: i32) {
    if nanos > 0 {
        let frac = format!("{nanos:09}");
        out.push('.');
        out.push_str(frac.trim_end_matches('0'));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_sizes() {
        let cases: &[(i64, &str)] = &[
            (0, "0B"),
            (1, "1B"),
            (389, "389B"),
            (999, "999B"),
            (1000, "1kB"),
            (1001, "1kB"),
            (1005, "1kB"),
            (1006, "1.01kB"),
            (10_072, "10.1kB"),
            (13_256, "13.3kB"),
            (99_999, "100kB"),
            (999_499, "999kB"),
            (999_500, "1e+03kB"),
            (999_999, "1e+03kB"),
            (1_000_000, "1MB"),
            (8_320_000, "8.32MB"),
            (152_000_000, "152MB"),
            (159_958_529, "160MB"),
            (192_525_589, "193MB"),
            (238_954_322, "239MB"),
            (999_999_999, "1e+03MB"),
            (1_000_000_000, "1GB"),
            (1_234_567_890_123, "1.23TB"),
            (i64::MAX, "9.22EB"),
            (-5, "-5B"),
        ];
        for &(bytes, want) in cases {
            assert_eq!(human_size(bytes), want, "{bytes}");
        }
    }

    #[test]
    fn other_precisions() {
        assert_eq!(human_size4(31_400_000.0), "31.4MB");
        assert_eq!(human_size4(12_345_678.0), "12.35MB");
        // 9.9995 is 9.99949999… in binary: Go rounds the exact value down.
        assert_eq!(human_size4(9_999_500.0), "9.999MB");
        assert_eq!(human_size4(9_999_600.0), "10MB");
        assert_eq!(human_size4(999_950.0), "1000kB");
        assert_eq!(human_size4(999_950_000.0), "1000MB");
        assert_eq!(human_size4(999_999_999.0), "1000MB");
        assert_eq!(human_size4(9_999_999_999.0), "10GB");
    }

    /// Expected values are Go's `fmt.Sprintf` output.
    #[test]
    fn go_g_formatting() {
        let cases: &[(f64, Option<usize>, &str)] = &[
            (100.0, Some(3), "100"),
            (1000.0, Some(3), "1e+03"),
            (0.000_123_4, Some(3), "0.000123"),
            (0.000_012_34, Some(3), "1.23e-05"),
            (1.5, Some(0), "2"),
            (2.5, Some(1), "2"),
            (123_456.0, None, "123456"),
            (1_234_567.0, None, "1.234567e+06"),
            (1e6, None, "1e+06"),
            (0.1, None, "0.1"),
            (1e-5, None, "1e-05"),
            (1e21, None, "1e+21"),
            (3.0, None, "3"),
            (-2.5, None, "-2.5"),
            (0.0, None, "0"),
            (f64::NAN, None, "NaN"),
            (f64::INFINITY, Some(3), "+Inf"),
        ];
        for &(v, p, want) in cases {
            assert_eq!(go_format_g(v, p), want, "{v} {p:?}");
        }
    }

    #[test]
    fn human_durations() {
        let cases: &[(u64, &str)] = &[
            (0, "Less than a second"),
            (1, "1 second"),
            (59, "59 seconds"),
            (60, "About a minute"),
            (119, "About a minute"),
            (120, "2 minutes"),
            (3599, "59 minutes"),
            (3600, "About an hour"),
            (5399, "About an hour"),
            (5400, "2 hours"),
            (47 * 3600, "47 hours"),
            (47 * 3600 + 1800, "2 days"),
            (13 * 86400, "13 days"),
            (14 * 86400, "2 weeks"),
            (59 * 86400, "8 weeks"),
            (60 * 86400, "2 months"),
            (729 * 86400, "24 months"),
            (730 * 86400, "2 years"),
            (3 * 365 * 86400, "3 years"),
        ];
        for &(secs, want) in cases {
            assert_eq!(human_duration(Duration::from_secs(secs)), want, "{secs}");
        }
        assert_eq!(
            human_duration(Duration::from_millis(999)),
            "Less than a second"
        );
    }

    #[test]
    fn created_since_past_and_future() {
        let created: jiff::Timestamp = "2025-10-07T21:06:46Z".parse().expect("valid");
        let now: jiff::Timestamp = "2025-10-09T21:06:46Z".parse().expect("valid");
        assert_eq!(created_since(created, now), "2 days ago");
        assert_eq!(created_since(now, created), "Less than a second ago");
        let zero = jiff::Timestamp::from_second(GO_ZERO_TIME_UNIX).expect("in range");
        assert_eq!(created_since(zero, now), "");
        // `docker image ls --format '{{.CreatedAt}}'` for such an image, seen on the real engine:
        let utc = zero.to_zoned(jiff::tz::TimeZone::UTC);
        assert_eq!(go_time_string(&utc), "0001-01-01 00:00:00 +0000 UTC");
        assert_eq!(rfc3339_nano(zero), "0001-01-01T00:00:00Z");
    }

    #[test]
    fn go_time_strings() {
        let ts: jiff::Timestamp = "2025-10-07T21:06:46Z".parse().expect("valid");
        let paris = jiff::tz::TimeZone::get("Europe/Paris");
        if let Ok(tz) = jiff::tz::TimeZone::get("America/Sao_Paulo") {
            assert_eq!(
                go_time_string(&ts.to_zoned(tz)),
                "2025-10-07 18:06:46 -0300 -03"
            );
        }
        if let Ok(tz) = paris {
            assert_eq!(
                go_time_string(&ts.to_zoned(tz)),
                "2025-10-07 23:06:46 +0200 CEST"
            );
        }
        let utc = ts.to_zoned(jiff::tz::TimeZone::UTC);
        assert_eq!(go_time_string(&utc), "2025-10-07 21:06:46 +0000 UTC");
        let fixed = ts.to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(-3)));
        assert_eq!(go_time_string(&fixed), "2025-10-07 18:06:46 -0300 -0300");
        let frac: jiff::Timestamp = "2025-10-07T21:06:46.120Z".parse().expect("valid");
        assert_eq!(
            go_time_string(&frac.to_zoned(jiff::tz::TimeZone::UTC)),
            "2025-10-07 21:06:46.12 +0000 UTC"
        );
    }

    #[test]
    fn rfc3339_nanos() {
        let cases = [
            ("2025-10-07T21:06:46Z", "2025-10-07T21:06:46Z"),
            (
                "2025-11-27T18:30:01.123456789Z",
                "2025-11-27T18:30:01.123456789Z",
            ),
            ("2025-11-27T18:30:01.500Z", "2025-11-27T18:30:01.5Z"),
            ("2025-11-27T20:30:01+02:00", "2025-11-27T18:30:01Z"),
        ];
        for (input, want) in cases {
            let t: jiff::Timestamp = input.parse().expect("valid");
            assert_eq!(rfc3339_nano(t), want);
        }
    }
}
