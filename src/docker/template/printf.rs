//! `fmt.Sprintf` as the template's `printf` runs it, with Go's own bound on widths and
//! precisions: `fmt`'s `parsenum` gives up on a number once it passes 10^6 ("crazy long
//! number"), skips the rest of the format and writes `%!(NOVERB)`, so no verb is ever padded
//! past ~10^7 columns (golang/go `src/fmt/print.go`, `tooLarge` and `parsenum`). What Go can
//! still produce is bounded here by [`super::budget::MAX_STRING`]: a longer result is an
//! error, where Go would allocate it.

use super::budget::{too_long, MAX_STRING};
use super::gofmt::fmt_value;
use super::Value;
use std::fmt::Write as _;

/// Go's `tooLarge`: the magnitude past which a width or precision is not read any further.
const GO_NUM_LIMIT: usize = 1_000_000;

/// A double's exact decimal expansion has at most 1074 fraction digits and 767 significant
/// digits: past these, Go's `strconv` writes zeros, so formatting that many and padding with
/// zeros is exact (and keeps Rust's formatter under its own precision limit of `u16::MAX`).
const EXACT_FRACTION_DIGITS: usize = 1100;
const EXACT_SIGNIFICANT_DIGITS: usize = 800;

/// Go's `parsenum` over the digits at the front of `chars`: `Ok(None)` when there is no
/// number, `Err(())` when it overflows (Go then jumps to the end of the format).
fn parse_num(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Result<Option<usize>, ()> {
    let mut num: Option<usize> = None;
    while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
        let n = num.unwrap_or(0);
        if n > GO_NUM_LIMIT {
            return Err(());
        }
        num = Some(n * 10 + d as usize);
        chars.next();
    }
    Ok(num)
}

/// `%f` with `prec` fraction digits, for any `prec` Go accepts.
pub(super) fn go_fixed(f: f64, prec: usize) -> String {
    let exact = prec.min(EXACT_FRACTION_DIGITS);
    let mut s = format!("{f:.exact$}");
    if prec > exact && f.is_finite() {
        s.push_str(&"0".repeat(prec - exact));
    }
    s
}

/// `%e` with `prec` digits: `1.500000e+00`.
pub(super) fn go_exp(f: f64, prec: usize) -> String {
    let exact = prec.min(EXACT_SIGNIFICANT_DIGITS);
    let s = format!("{f:.exact$e}");
    match s.split_once('e') {
        Some((m, e)) => {
            let exp: i32 = e.parse().unwrap_or(0);
            let zeros = "0".repeat(prec - exact);
            format!(
                "{m}{zeros}e{}{:02}",
                if exp < 0 { '-' } else { '+' },
                exp.abs()
            )
        }
        None => s,
    }
}

/// A small `fmt.Sprintf`: flags `-`, `+`, `0`, space, `#`; width; precision; verbs
/// `v s q d t x X c f F e g %`; Go's `%!v(MISSING)`, `%!(NOVERB)` and `%!(EXTRA …)` markers.
/// `Err` is the message after `error calling printf: ` when the result would pass
/// [`MAX_STRING`].
pub(super) fn go_sprintf(format: &str, args: &[Value]) -> Result<String, String> {
    let mut out = String::new();
    let mut chars = format.chars().peekable();
    let mut next_arg = 0;
    let check = |out: &String, more: usize| {
        if out.len().saturating_add(more) > MAX_STRING {
            Err(too_long(out.len().saturating_add(more)))
        } else {
            Ok(())
        }
    };
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let (mut minus, mut zero, mut plus) = (false, false, false);
        while let Some(&f) = chars.peek() {
            match f {
                '-' => minus = true,
                '0' => zero = true,
                '+' => plus = true,
                ' ' | '#' => {}
                _ => break,
            }
            chars.next();
        }
        let Ok(width) = parse_num(&mut chars) else {
            out.push_str("%!(NOVERB)");
            break;
        };
        let mut precision: Option<usize> = None;
        // Go reads a precision only when something follows the dot: `%.` ends with verb '.'.
        let mut ahead = chars.clone();
        if ahead.next() == Some('.') && ahead.next().is_some() {
            chars.next();
            let Ok(p) = parse_num(&mut chars) else {
                out.push_str("%!(NOVERB)");
                break;
            };
            precision = Some(p.unwrap_or(0));
        }
        let Some(verb) = chars.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        let Some(arg) = args.get(next_arg) else {
            let _ = write!(out, "%!{verb}(MISSING)");
            continue;
        };
        next_arg += 1;
        let mut text = match (arg, verb, precision) {
            (Value::Float(f), 'f' | 'F', p) => go_fixed(*f, p.unwrap_or(6)),
            (Value::Float(f), 'e', p) => go_exp(*f, p.unwrap_or(6)),
            (Value::Float(f), 'g', p) => crate::docker::units::go_format_g(*f, p),
            (Value::String(s), 's' | 'v', Some(p)) => s.chars().take(p).collect(),
            _ => fmt_value(arg, verb),
        };
        if plus && matches!(arg, Value::Int(_) | Value::Float(_)) && !text.starts_with('-') {
            text.insert(0, '+');
        }
        let width = width.unwrap_or(0);
        let len = text.chars().count();
        check(&out, text.len().saturating_add(width.saturating_sub(len)))?;
        if len < width {
            let pad = width - len;
            if minus {
                text.push_str(&" ".repeat(pad));
            } else if zero && matches!(arg, Value::Int(_) | Value::Uint(_) | Value::Float(_)) {
                let sign = if text.starts_with(['-', '+']) {
                    text.remove(0).to_string()
                } else {
                    String::new()
                };
                text = format!("{sign}{}{text}", "0".repeat(pad));
            } else {
                text = format!("{}{text}", " ".repeat(pad));
            }
        }
        out.push_str(&text);
    }
    if next_arg < args.len() {
        out.push_str("%!(EXTRA ");
        let extra: Vec<String> = args[next_arg..]
            .iter()
            .map(|a| format!("{}={}", a.type_name(), fmt_value(a, 'v')))
            .collect();
        out.push_str(&extra.join(", "));
        out.push(')');
    }
    check(&out, 0)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sprintf(format: &str, args: &[Value]) -> Result<String, String> {
        go_sprintf(format, args)
    }

    #[test]
    fn widths_and_precisions_follow_go_parsenum() {
        let one = [Value::Int(1)];
        let cases: &[(&str, &[Value], &str)] = &[
            ("%5d", &one, "    1"),
            ("%-3d|", &one, "1  |"),
            ("%03d", &one, "001"),
            // Past 10^6 Go stops reading the number and skips the rest of the format.
            ("%999999999d", &one, "%!(NOVERB)%!(EXTRA int=1)"),
            (
                "%.999999999f",
                &[Value::Float(1.0)],
                "%!(NOVERB)%!(EXTRA float64=1)",
            ),
            (
                "a%99999999999999999999999dz",
                &one,
                "a%!(NOVERB)%!(EXTRA int=1)",
            ),
            // A dot with nothing after it is the verb.
            ("%.", &one, "%!.(int=1)"),
            ("%.2f", &[Value::Float(1.0)], "1.00"),
            ("%.3e", &[Value::Float(1500.0)], "1.500e+03"),
            ("%.2s", &[Value::String("abc".into())], "ab"),
        ];
        for (format, args, want) in cases {
            assert_eq!(sprintf(format, args).as_deref(), Ok(*want), "{format}");
        }
    }

    #[test]
    fn large_precisions_are_exact_and_never_panic() {
        let s = sprintf("%.70000f", &[Value::Float(1.0)]).expect("within the limit");
        assert_eq!(s.len(), 70_002);
        assert!(s.starts_with("1.000") && s.ends_with('0'));
        let s = sprintf("%.1000000f", &[Value::Float(0.1)]).expect("within the limit");
        assert!(s.starts_with("0.1000000000000000055511151231257827"));
        assert_eq!(s.len(), 1_000_002);
        let e = sprintf("%.70000e", &[Value::Float(2.5)]).expect("within the limit");
        assert!(e.starts_with("2.5000") && e.ends_with("e+00"));
        let g = sprintf("%.70000g", &[Value::Float(2.5)]).expect("within the limit");
        assert_eq!(g, "2.5");
    }

    #[test]
    fn results_past_the_limit_are_errors_not_allocations() {
        // 9999999 columns is what Go still pads to; twice that passes docklab's limit.
        let one = [Value::Int(1), Value::Int(2)];
        assert_eq!(
            sprintf("%9999999d", &one[..1]).map(|s| s.len()),
            Ok(9_999_999)
        );
        let err = sprintf("%9999999d%9999999d", &one).expect_err("too long");
        assert!(err.contains("16777216"), "{err}");
    }
}
