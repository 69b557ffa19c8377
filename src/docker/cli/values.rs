//! The checks Docker's client makes on a flag's value while parsing it, with Go's wording
//! (`strconv.ParseInt: parsing "x": invalid syntax`, `invalid size: 'x'`, …).

use std::net::IpAddr;

use crate::docker::help::{go_quote, Check, FlagSpec, ValueKind};

/// Checks `value` for `flag`; returns the value to record (booleans normalised to
/// `true`/`false`) or the reason pflag gives after `invalid argument "…" for "…" flag: `.
pub(super) fn check(flag: &FlagSpec, value: String) -> Result<String, String> {
    match flag.kind {
        ValueKind::Bool => return parse_bool(&value).map(|b| b.to_string()),
        ValueKind::Int => {
            parse_int(&value, 64)?;
        }
        ValueKind::Uint16 => {
            parse_uint(&value, 16)?;
        }
        ValueKind::Uint => {
            parse_uint(&value, 64)?;
        }
        // `--memory-swap -1` means unlimited swap.
        ValueKind::Bytes if !(flag.long == "memory-swap" && value == "-1") => check_size(&value)?,
        ValueKind::Duration => parse_duration(&value)?,
        // docker/cli's `FilterOpt.Set` (an empty value is no filter at all).
        ValueKind::Filter if !value.is_empty() && !value.contains('=') => {
            return Err("bad format of filter (expected name=value)".to_owned());
        }
        ValueKind::Decimal if !is_rational(&value) => {
            return Err(format!("failed to parse {value} as a rational number"));
        }
        _ => {}
    }
    match flag.check {
        Check::None => {}
        Check::Env => {
            if value.split('=').next().unwrap_or_default().is_empty() {
                return Err(format!("invalid environment variable: {value}"));
            }
        }
        Check::Label => {
            if value
                .split('=')
                .next()
                .unwrap_or_default()
                .trim()
                .is_empty()
            {
                return Err(format!("invalid label '{value}': empty name"));
            }
        }
        Check::ExtraHost => check_extra_host(&value)?,
        Check::Attach => {
            if !matches!(value.to_lowercase().as_str(), "stdin" | "stdout" | "stderr") {
                return Err("valid streams are STDIN, STDOUT and STDERR".to_string());
            }
        }
        Check::IpAddr => {
            if value.trim().parse::<IpAddr>().is_err() {
                return Err(format!("IP address is not correctly formatted: {value}"));
            }
        }
        Check::Ulimit => check_ulimit(&value)?,
    }
    Ok(value)
}

/// Go's `strconv.ParseBool`.
fn parse_bool(s: &str) -> Result<bool, String> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Ok(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Ok(false),
        _ => Err(format!(
            "strconv.ParseBool: parsing {}: invalid syntax",
            go_quote(s)
        )),
    }
}

/// Splits Go's base prefix (base 0: `0x`, `0o`, `0b`, leading `0` for octal) off `digits`.
fn radix_of(digits: &str) -> (u32, &str, bool) {
    let lower = digits.get(..2).map(str::to_ascii_lowercase);
    match lower.as_deref() {
        Some("0x") => (16, &digits[2..], true),
        Some("0o") => (8, &digits[2..], true),
        Some("0b") => (2, &digits[2..], true),
        _ if digits.len() > 1 && digits.starts_with('0') => (8, &digits[1..], true),
        _ => (10, digits, false),
    }
}

/// The magnitude of an unsigned number in Go's base-0 syntax (underscores allowed only with a
/// base prefix); `None` for invalid syntax, `Some(Magnitude::Huge)` past `u128`.
fn parse_magnitude(digits: &str) -> Option<Magnitude> {
    let (radix, body, prefixed) = radix_of(digits);
    if body.is_empty() && !(radix == 8 && digits.len() > 1 && !digits[1..].is_empty()) {
        return None;
    }
    if body.contains('_') && !prefixed {
        return None;
    }
    if body.starts_with('_') && radix != 8 || body.ends_with('_') || body.contains("__") {
        return None;
    }
    let mut acc: Option<u128> = Some(0);
    for c in body.chars().filter(|c| *c != '_') {
        let d = c.to_digit(radix)?;
        acc = acc
            .and_then(|a| a.checked_mul(u128::from(radix)))
            .and_then(|a| a.checked_add(u128::from(d)));
    }
    Some(acc.map_or(Magnitude::Huge, Magnitude::Fits))
}

enum Magnitude {
    Fits(u128),
    Huge,
}

/// Go's `strconv.ParseInt(s, 0, bits)`, errors only.
fn parse_int(s: &str, bits: u32) -> Result<(), String> {
    let err = |why: &str| format!("strconv.ParseInt: parsing {}: {why}", go_quote(s));
    let (negative, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let Some(magnitude) = parse_magnitude(digits) else {
        return Err(err("invalid syntax"));
    };
    let limit = 1u128 << (bits - 1);
    match magnitude {
        Magnitude::Fits(m) if (negative && m <= limit) || (!negative && m < limit) => Ok(()),
        _ => Err(err("value out of range")),
    }
}

/// Go's `strconv.ParseUint(s, 0, bits)`, errors only.
fn parse_uint(s: &str, bits: u32) -> Result<(), String> {
    let err = |why: &str| format!("strconv.ParseUint: parsing {}: {why}", go_quote(s));
    let Some(magnitude) = parse_magnitude(s) else {
        return Err(err("invalid syntax"));
    };
    match magnitude {
        Magnitude::Fits(m) if m < (1u128 << bits) => Ok(()),
        _ => Err(err("value out of range")),
    }
}

/// go-units `RAMInBytes`: `^(\d+(\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$`, then a float.
fn check_size(s: &str) -> Result<(), String> {
    let number_end = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    if !matches_size(s) {
        return Err(format!("invalid size: '{s}'"));
    }
    let number = &s[..number_end];
    if number.matches('.').count() > 1 {
        return Err(format!(
            "strconv.ParseFloat: parsing {}: invalid syntax",
            go_quote(number)
        ));
    }
    Ok(())
}

fn matches_size(s: &str) -> bool {
    let number_end = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (number, mut unit) = s.split_at(number_end);
    let well_formed = !number.is_empty()
        && number
            .split('.')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()));
    if !well_formed {
        return false;
    }
    unit = unit.strip_prefix(' ').unwrap_or(unit);
    let mut chars = unit.chars().peekable();
    if chars.peek().is_some_and(|c| "kKmMgGtTpP".contains(*c)) {
        chars.next();
    }
    if chars.peek().is_some_and(|c| *c == 'i' || *c == 'I') {
        chars.next();
    }
    if chars.peek().is_some_and(|c| *c == 'b' || *c == 'B') {
        chars.next();
    }
    chars.next().is_none()
}

/// Go's `time.ParseDuration`, errors only.
fn parse_duration(s: &str) -> Result<(), String> {
    let invalid = || format!("time: invalid duration {}", go_quote(s));
    let mut rest = s.strip_prefix(['-', '+']).unwrap_or(s);
    if rest == "0" {
        return Ok(());
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    while !rest.is_empty() {
        let int_end = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        let (int, after) = rest.split_at(int_end);
        let (frac, after) = match after.strip_prefix('.') {
            Some(a) => {
                let end = a.find(|c: char| !c.is_ascii_digit()).unwrap_or(a.len());
                (&a[..end], &a[end..])
            }
            None => ("", after),
        };
        if int.is_empty() && frac.is_empty() {
            return Err(invalid());
        }
        let unit_end = after
            .find(|c: char| c == '.' || c.is_ascii_digit())
            .unwrap_or(after.len());
        let (unit, next) = after.split_at(unit_end);
        if unit.is_empty() {
            return Err(format!("time: missing unit in duration {}", go_quote(s)));
        }
        if !matches!(
            unit,
            "ns" | "us" | "\u{b5}s" | "\u{3bc}s" | "ms" | "s" | "m" | "h"
        ) {
            return Err(format!(
                "time: unknown unit {} in duration {}",
                go_quote(unit),
                go_quote(s)
            ));
        }
        rest = next;
    }
    Ok(())
}

/// What Go's `big.Rat.SetString` accepts: `a/b`, or a decimal number with an optional exponent.
fn is_rational(s: &str) -> bool {
    if let Some((a, b)) = s.split_once('/') {
        let int = |x: &str| {
            let x = x.strip_prefix(['-', '+']).unwrap_or(x);
            !x.is_empty() && x.bytes().all(|c| c.is_ascii_digit())
        };
        return int(a) && !b.starts_with(['-', '+']) && int(b) && b.bytes().any(|c| c != b'0');
    }
    !s.is_empty()
        && s.bytes()
            .all(|c| c.is_ascii_digit() || b".eE+-".contains(&c))
        && s.bytes().any(|c| c.is_ascii_digit())
        && s.parse::<f64>().is_ok()
}

/// docker/cli `ValidateExtraHost`: `host:ip` or `host=ip`, ip an address or `host-gateway`.
fn check_extra_host(value: &str) -> Result<(), String> {
    let split = value.split_once('=').or_else(|| value.split_once(':'));
    let Some((host, ip)) = split.filter(|(host, _)| !host.is_empty()) else {
        return Err(format!("bad format for add-host: {}", go_quote(value)));
    };
    let _ = host;
    let bare = ip
        .strip_prefix('[')
        .and_then(|i| i.strip_suffix(']'))
        .unwrap_or(ip);
    if ip != "host-gateway" && bare.parse::<IpAddr>().is_err() {
        return Err(format!("invalid IP address in add-host: {}", go_quote(ip)));
    }
    Ok(())
}

/// go-units `ParseUlimit`: `name=soft[:hard]` with a known name and integer limits.
fn check_ulimit(value: &str) -> Result<(), String> {
    const NAMES: &[&str] = &[
        "core",
        "cpu",
        "data",
        "fsize",
        "locks",
        "memlock",
        "msgqueue",
        "nice",
        "nofile",
        "nproc",
        "rss",
        "rtprio",
        "rttime",
        "sigpending",
        "stack",
    ];
    let Some((name, limits)) = value.split_once('=') else {
        return Err(format!("invalid ulimit argument: {value}"));
    };
    if !NAMES.contains(&name) {
        return Err(format!("invalid ulimit type: {name}"));
    }
    let (soft, hard) = limits.split_once(':').unwrap_or((limits, limits));
    for limit in [soft, hard] {
        if parse_int(limit, 64).is_err() {
            return Err(format!("invalid ulimit argument: {value}"));
        }
    }
    Ok(())
}
