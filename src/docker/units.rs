//! (temporary minimal version; replaced by the full module)
pub fn human_size(bytes: i64) -> String {
    let units = ["B", "kB", "MB", "GB", "TB"];
    let mut v = bytes as f64;
    let mut i = 0;
    while v >= 1000.0 && i < units.len() - 1 {
        v /= 1000.0;
        i += 1;
    }
    let s = format!("{v:.3}");
    let digits = if v >= 100.0 {
        0
    } else if v >= 10.0 {
        1
    } else {
        2
    };
    let s = format!("{v:.digits$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    };
    format!("{s}{}", units[i])
}
pub fn human_duration(d: std::time::Duration) -> String {
    let s = d.as_secs();
    if s < 1 {
        "Less than a second".into()
    } else if s < 60 {
        format!("{s} seconds")
    } else if s < 3600 {
        format!("{} minutes", s / 60)
    } else if s < 86400 * 2 {
        format!("{} hours", s / 3600)
    } else if s < 86400 * 14 {
        format!("{} days", s / 86400)
    } else if s < 86400 * 60 {
        format!("{} weeks", s / 86400 / 7)
    } else if s < 86400 * 365 * 2 {
        format!("{} months", s / 86400 / 30)
    } else {
        format!("{} years", s / 86400 / 365)
    }
}
pub fn created_since(created: jiff::Timestamp, now: jiff::Timestamp) -> String {
    let d = now.duration_since(created);
    let d = std::time::Duration::try_from(d).unwrap_or_default();
    format!("{} ago", human_duration(d))
}
pub fn rfc3339_nano(t: jiff::Timestamp) -> String {
    t.to_string()
}
pub fn go_time_string(t: jiff::Zoned) -> String {
    t.strftime("%Y-%m-%d %H:%M:%S %z %Z").to_string()
}
