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
    let mut out = String::with_capacity(8);
    write_human_size(&mut out, bytes, precision);
    out
}

/// [`human_size_precision`] appended to `out` (no allocation of its own: `image ls` writes
/// 10,000 of them into one buffer).
pub fn write_human_size(out: &mut String, bytes: f64, precision: usize) {
    let (size, unit) = scale(bytes, 1000.0, &DECIMAL_UNITS);
    write_go_g(out, size, Some(precision));
    out.push_str(unit);
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
    let mut out = String::new();
    write_go_g(&mut out, v, precision);
    out
}

/// [`go_format_g`] appended to `out`.
fn write_go_g(out: &mut String, v: f64, precision: Option<usize>) {
    if v.is_nan() {
        out.push_str("NaN");
        return;
    }
    if v.is_infinite() {
        out.push_str(if v > 0.0 { "+Inf" } else { "-Inf" });
        return;
    }
    let neg = v.is_sign_negative();
    let mut small = [0u8; 20];
    let heap;
    let fast = precision.and_then(|p| rounded_digits(v, p, &mut small));
    let (digits, dp): (&[u8], i64) = if let Some((len, dp)) = fast {
        (&small[..len], dp)
    } else {
        let (d, dp) = decimal_digits(v.abs(), precision);
        heap = d;
        (&heap, dp)
    };
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
    if neg {
        out.push('-');
    }
    if digits.is_empty() {
        // zero: strconv's decimal has no digits and dp 0, so %f with no fraction.
        out.push('0');
        return;
    }
    if exp < -4 || exp >= eprec {
        if prec > nd {
            prec = nd;
        }
        fmt_e(out, digits, dp, prec - 1);
    } else {
        if prec > dp {
            prec = nd;
        }
        fmt_f(out, digits, dp, (prec - dp).max(0));
    }
}

/// [`decimal_digits`] with a precision for the values sizes give (at least 1, below 10^15,
/// at most 6 significant digits) in integer arithmetic, without formatting the float: the
/// double is `m × 2^-s` exactly, so `v × 10^k` rounded half to even (as strconv rounds the
/// exact binary value) is `m × 10^k` shifted right by `s`, looking at the bits shifted out.
/// Writes the digits, trailing zeros removed, into `buf`; `None` outside that range.
fn rounded_digits(v: f64, precision: usize, buf: &mut [u8; 20]) -> Option<(usize, i64)> {
    if !(1.0..1e15).contains(&v) || !(1..=6).contains(&precision) {
        return None;
    }
    let bits = v.to_bits();
    let exponent = i64::try_from((bits >> 52) & 0x7ff).ok()?;
    let m = u128::from(bits & ((1 << 52) - 1) | (1 << 52));
    // v = m × 2^(exponent - 1075); v < 10^15 < 2^50 makes that power negative.
    let shift = u32::try_from(1075 - exponent).ok()?;
    if shift == 0 || shift > 100 {
        return None;
    }
    let int_digits = {
        let mut n = v as u64;
        let mut d = 0i64;
        while n > 0 {
            n /= 10;
            d += 1;
        }
        d
    };
    let k = u32::try_from(precision as i64 - int_digits).ok()?;
    let scaled = m * 10u128.pow(k);
    let mut n = scaled >> shift;
    let rest = scaled & ((1u128 << shift) - 1);
    let half = 1u128 << (shift - 1);
    if rest > half || (rest == half && n % 2 == 1) {
        n += 1;
    }
    // At most 10^6 from here: 64-bit arithmetic (128-bit division is a library call).
    let mut n = u64::try_from(n).ok()?;
    let mut dp = int_digits;
    if n == 10u64.pow(precision as u32) {
        n /= 10;
        dp += 1;
    }
    while n % 10 == 0 {
        n /= 10;
    }
    let mut len = 0;
    let mut rev = [0u8; 20];
    while n > 0 {
        rev[len] = b'0' + (n % 10) as u8;
        n /= 10;
        len += 1;
    }
    for i in 0..len {
        buf[i] = rev[len - 1 - i];
    }
    Some((len, dp))
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
    let mut out = String::with_capacity(20);
    write_human_duration(&mut out, d);
    out
}

/// [`human_duration`] appended to `out`.
pub fn write_human_duration(out: &mut String, d: Duration) {
    let (n, unit) = duration_words(d);
    if let Some(n) = n {
        push_u64(out, n);
    }
    out.push_str(unit);
}

/// `HumanDuration` as a number (if any) and the words after it.
fn duration_words(d: Duration) -> (Option<u64>, &'static str) {
    let seconds = d.as_secs();
    if seconds < 1 {
        return (None, "Less than a second");
    }
    if seconds == 1 {
        return (None, "1 second");
    }
    if seconds < 60 {
        return (Some(seconds), " seconds");
    }
    let minutes = seconds / 60;
    if minutes == 1 {
        return (None, "About a minute");
    }
    if minutes < 60 {
        return (Some(minutes), " minutes");
    }
    let hours_f = d.as_secs_f64() / 3600.0;
    let hours = (hours_f + 0.5) as u64;
    if hours == 1 {
        return (None, "About an hour");
    }
    if hours < 48 {
        return (Some(hours), " hours");
    }
    if hours < 24 * 7 * 2 {
        return (Some(hours / 24), " days");
    }
    if hours < 24 * 30 * 2 {
        return (Some(hours / 24 / 7), " weeks");
    }
    if hours < 24 * 365 * 2 {
        return (Some(hours / 24 / 30), " months");
    }
    (Some((hours_f as u64) / 24 / 365), " years")
}

/// Decimal digits of `n`, without `fmt`'s machinery.
pub fn push_u64(out: &mut String, n: u64) {
    out.push_str(crate::decimal::digits(n, &mut [0; 20]));
}

/// The CLI's `CreatedSince` (`docker image ls` `CREATED`, `docker ps` `CREATED`):
/// `HumanDuration(now - created) + " ago"`. A creation time in the future is a negative
/// duration, which go-units calls "Less than a second", so Docker prints
/// "Less than a second ago". Go's zero time (0001-01-01T00:00:00Z, what the daemon reports
/// for an image without a creation date) gives the empty string; `docker image ls`'s default
/// format then shows `N/A` through `{{if .CreatedSince }}{{.CreatedSince}}{{else}}N/A{{end}}`.
pub fn created_since(created: jiff::Timestamp, now: jiff::Timestamp) -> String {
    let mut out = String::new();
    write_created_since(&mut out, created, now);
    out
}

/// [`created_since`] appended to `out` (nothing for Go's zero time).
pub fn write_created_since(out: &mut String, created: jiff::Timestamp, now: jiff::Timestamp) {
    if created.as_second() == GO_ZERO_TIME_UNIX {
        return;
    }
    write_human_duration(out, elapsed(created, now));
    out.push_str(" ago");
}

/// `now - since` as a `Duration`, zero when negative, in 64-bit integers (jiff's fractions
/// carry the sign of their timestamp, so the difference of two is within ±2 s).
fn elapsed(since: jiff::Timestamp, now: jiff::Timestamp) -> Duration {
    let mut seconds = now.as_second() - since.as_second();
    let mut nanos = now.subsec_nanosecond() - since.subsec_nanosecond();
    while nanos < 0 {
        nanos += 1_000_000_000;
        seconds -= 1;
    }
    while nanos >= 1_000_000_000 {
        nanos -= 1_000_000_000;
        seconds += 1;
    }
    match (u64::try_from(seconds), u32::try_from(nanos)) {
        (Ok(s), Ok(n)) => Duration::new(s, n),
        _ => Duration::ZERO,
    }
}

/// An RFC 3339 timestamp as `str::parse::<jiff::Timestamp>` reads it, with a fast path for the
/// form the store and Docker write (`2025-10-07T21:06:46.123Z`, `…+02:00`): `image ls` reads
/// one per image, and jiff's general parser was a tenth of it at 10,000 images. Anything else
/// (lower-case letters, leap seconds, odd offsets, invalid text) goes to jiff.
pub fn parse_rfc3339(s: &str) -> Option<jiff::Timestamp> {
    parse_rfc3339_fast(s.as_bytes()).or_else(|| s.parse().ok())
}

fn parse_rfc3339_fast(text: &[u8]) -> Option<jiff::Timestamp> {
    fn num(text: &[u8]) -> Option<i64> {
        text.iter().try_fold(0i64, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0'))
        })
    }
    if text.len() < 20
        || text[4] != b'-'
        || text[7] != b'-'
        || text[10] != b'T'
        || text[13] != b':'
        || text[16] != b':'
    {
        return None;
    }
    let (year, month, day) = (num(&text[0..4])?, num(&text[5..7])?, num(&text[8..10])?);
    let (hour, minute, second) = (
        num(&text[11..13])?,
        num(&text[14..16])?,
        num(&text[17..19])?,
    );
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => return None,
    };
    if year < 1 || day < 1 || day > month_days || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let mut pos = 19;
    let mut nanos = 0i64;
    if text[pos] == b'.' {
        let digits = text[pos + 1..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if !(1..=9).contains(&digits) {
            return None;
        }
        nanos = num(&text[pos + 1..pos + 1 + digits])? * 10i64.pow(9 - digits as u32);
        pos += 1 + digits;
    }
    let offset = match &text[pos..] {
        b"Z" => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let (h, m) = (num(&[*h1, *h2])?, num(&[*m1, *m2])?);
            if h > 23 || m > 59 {
                return None;
            }
            let o = h * 3600 + m * 60;
            if *sign == b'-' {
                -o
            } else {
                o
            }
        }
        _ => return None,
    };
    // Days from 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset;
    jiff::Timestamp::new(seconds, i32::try_from(nanos).ok()?).ok()
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

/// [`go_time_string`] of `t` in `tz`, appended to `out`: one offset lookup and integer
/// arithmetic instead of a `Zoned` and `format!` (`image ls --format` writes one per row).
pub fn write_go_time(out: &mut String, t: jiff::Timestamp, tz: &jiff::tz::TimeZone) {
    let info = tz.to_offset_info(t);
    let offset_seconds = info.offset().seconds();
    // jiff gives a time before 1970 a negative fraction: borrow a second for it.
    let (mut second, mut nanos) = (t.as_second(), t.subsec_nanosecond());
    if nanos < 0 {
        second -= 1;
        nanos += 1_000_000_000;
    }
    let local = second + i64::from(offset_seconds);
    let (days, secs) = (local.div_euclid(86_400), local.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    if !(0..=9999).contains(&year) {
        out.push_str(&go_time_string(&t.to_zoned(tz.clone())));
        return;
    }
    let two = |out: &mut String, n: i64| {
        out.push(char::from(b'0' + (n / 10) as u8));
        out.push(char::from(b'0' + (n % 10) as u8));
    };
    two(out, year / 100);
    two(out, year % 100);
    out.push('-');
    two(out, month);
    out.push('-');
    two(out, day);
    out.push(' ');
    two(out, secs / 3600);
    out.push(':');
    two(out, secs / 60 % 60);
    out.push(':');
    two(out, secs % 60);
    push_fraction(out, nanos);
    let numeric_start = out.len() + 1;
    out.push(' ');
    out.push(if offset_seconds < 0 { '-' } else { '+' });
    let minutes = i64::from(offset_seconds.unsigned_abs() / 60);
    two(out, minutes / 60);
    two(out, minutes % 60);
    let numeric_end = out.len();
    let abbreviation = info.abbreviation();
    let unnamed = tz.iana_name().is_none() && tz.to_fixed_offset().is_ok() && abbreviation != "UTC";
    out.push(' ');
    if abbreviation.is_empty() || unnamed {
        out.extend_from_within(numeric_start..numeric_end);
    } else {
        out.push_str(abbreviation);
    }
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
        let mut digits = [b'0'; 9];
        let mut n = nanos.unsigned_abs();
        for d in digits.iter_mut().rev() {
            *d = b'0' + (n % 10) as u8;
            n /= 10;
        }
        let len = 9 - digits.iter().rev().take_while(|&&d| d == b'0').count();
        out.push('.');
        out.push_str(std::str::from_utf8(&digits[..len]).unwrap_or_default());
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

    /// The integer fast path of `%.Ng` against the formatter's exact digits.
    #[test]
    fn rounded_digits_agree_with_the_formatter() {
        let mut values: Vec<f64> = Vec::new();
        for bytes in (0..3_000_000u64).step_by(7).chain(999_000..1_001_000) {
            values.push(bytes as f64);
            values.push(bytes as f64 / 1000.0);
            values.push(bytes as f64 / 1000.0 / 1000.0);
        }
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            values.push((x >> (x % 60)) as f64);
            values.push(f64::from_bits(x >> 2));
        }
        values.extend([1.125, 1.0045, 9.9995, 999.5, 999.95, 1e15 - 1.0, 1.0]);
        let mut checked = 0;
        for v in values {
            for p in 1..=6 {
                let mut buf = [0u8; 20];
                if let Some((len, dp)) = rounded_digits(v, p, &mut buf) {
                    let (want, want_dp) = decimal_digits(v, Some(p));
                    assert_eq!((&buf[..len], dp), (&want[..], want_dp), "{v:e} {p}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 3_000_000, "{checked}");
    }

    #[test]
    fn elapsed_matches_jiff() {
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for _ in 0..20_000 {
            let a = (next() % 4_000_000_000) as i64 - 2_000_000_000;
            let b = a + (next() % 200) as i64 - 100;
            let (na, nb) = (
                (next() % 1_000_000_000) as i32,
                (next() % 1_000_000_000) as i32,
            );
            // jiff wants the fraction's sign to be the timestamp's.
            let t = |s: i64, n: i32| {
                jiff::Timestamp::new(s, if s < 0 { -n } else { n }).expect("in range")
            };
            let (since, now) = (t(a, na), t(b, nb));
            let want = Duration::try_from(now.duration_since(since)).unwrap_or(Duration::ZERO);
            assert_eq!(elapsed(since, now), want, "{since} {now}");
        }
    }

    #[test]
    fn rfc3339_fast_path_reads_as_jiff_does() {
        let cases = [
            "2025-10-07T21:06:46Z",
            "2025-10-07T21:06:46.1Z",
            "2025-10-07T21:06:46.123456789Z",
            "2025-10-07T21:06:46.1234567891Z",
            "2025-10-07T21:06:46.Z",
            "2025-10-07T21:06:46+02:00",
            "2025-10-07T21:06:46-09:30",
            "2025-10-07T21:06:46-00:00",
            "2025-10-07T21:06:46+24:00",
            "2025-10-07T21:06:46+2:00",
            "2025-10-07T21:06:46z",
            "2025-10-07t21:06:46Z",
            "2025-10-07 21:06:46Z",
            "2025-10-07T21:06:60Z",
            "2025-10-07T24:00:00Z",
            "2024-02-29T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "1900-02-29T00:00:00Z",
            "2000-02-29T12:00:00Z",
            "2025-13-01T00:00:00Z",
            "2025-00-01T00:00:00Z",
            "2025-04-31T00:00:00Z",
            "2025-12-31T23:59:59.999999999Z",
            "0001-01-01T00:00:00Z",
            "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59Z",
            "1970-01-01T00:00:00Z",
            "1969-12-31T23:59:59.5Z",
            "2025-10-07T21:06:46",
            "2025-10-07T21:06:46Z ",
            "2025-10-07",
            "",
            "+2025-10-07T21:06:46Z",
            "2025-1a-07T21:06:46Z",
        ];
        for s in cases {
            assert_eq!(parse_rfc3339(s), s.parse::<jiff::Timestamp>().ok(), "{s:?}");
        }
        // Every day of a few years, at a few times and offsets.
        let mut t: jiff::Timestamp = "1999-12-25T00:00:00Z".parse().expect("valid");
        for _ in 0..(366 * 3) {
            for suffix in ["Z", "+05:45", "-11:00"] {
                let z = t.to_zoned(jiff::tz::TimeZone::UTC);
                let s = format!("{}{suffix}", z.strftime("%Y-%m-%dT%H:%M:%S%.f"));
                assert_eq!(
                    parse_rfc3339(&s),
                    s.parse::<jiff::Timestamp>().ok(),
                    "{s:?}"
                );
            }
            t = t
                .checked_add(jiff::SignedDuration::new(86_400 + 3_671, 120_000_000))
                .expect("in range");
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
    fn go_time_written_directly_matches_go_time_string() {
        let mut zones = vec![
            jiff::tz::TimeZone::UTC,
            jiff::tz::TimeZone::fixed(jiff::tz::offset(-3)),
            jiff::tz::TimeZone::fixed(jiff::tz::Offset::from_seconds(19_800).expect("valid")),
            local_time_zone(),
        ];
        for name in [
            "Europe/Paris",
            "America/Sao_Paulo",
            "Asia/Kolkata",
            "Pacific/Chatham",
        ] {
            if let Ok(tz) = jiff::tz::TimeZone::get(name) {
                zones.push(tz);
            }
        }
        let mut t = jiff::Timestamp::from_second(GO_ZERO_TIME_UNIX).expect("in range");
        let mut times = vec![t];
        for _ in 0..3_000 {
            t = t
                .checked_add(jiff::SignedDuration::new(23 * 86_400 + 3_917, 120_000_007))
                .expect("in range");
            times.push(t);
        }
        times.push("2025-03-30T01:00:00Z".parse().expect("valid"));
        times.push("2025-10-26T00:59:59.999Z".parse().expect("valid"));
        times.push("1969-12-31T23:59:59.5Z".parse().expect("valid"));
        for tz in &zones {
            for &t in &times {
                let mut out = String::from("x");
                write_go_time(&mut out, t, tz);
                assert_eq!(out[1..], go_time_string(&t.to_zoned(tz.clone())), "{t}");
            }
        }
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
