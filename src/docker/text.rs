//! Small text helpers of Docker's formatters.

/// `formatter.Ellipsis`: at most `max` display columns, the last one an ellipsis when cut.
pub fn ellipsis(s: &str, max: usize) -> String {
    if max == 0 {
        return String::new();
    }
    let count = s.chars().count();
    if count <= max {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(max - 1).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_like_docker_history() {
        assert_eq!(
            ellipsis(
                "COPY 30-tune-worker-processes.sh /docker-entrypoint.d # buildkit",
                45
            ),
            "COPY 30-tune-worker-processes.sh /docker-ent…"
        );
        assert_eq!(ellipsis("short", 45), "short");
        assert_eq!(ellipsis("abc", 3), "abc");
        assert_eq!(ellipsis("abcd", 3), "ab…");
    }
}
