//! Decimal digits without `fmt`'s machinery, for the hot paths that write many numbers (a state
//! file of 10,000 images has 60,000 of them; `image ls` a size and a time per row).

/// The digits of `n` in `buf`, as `n.to_string()` writes them.
pub(crate) fn digits(n: u64, buf: &mut [u8; 20]) -> &str {
    let mut n = n;
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    std::str::from_utf8(&buf[at..]).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn digits_are_to_strings() {
        for n in [0, 7, 10, 99, 100, 78_614_000, u64::MAX] {
            assert_eq!(super::digits(n, &mut [0; 20]), n.to_string());
        }
    }
}
