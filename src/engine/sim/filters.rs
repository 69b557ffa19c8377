//! `--filter key=value` as Docker's daemon reads it (moby `api/types/filters` and
//! `api/types/time`): the accepted keys of each command, exact and regular-expression matches,
//! label lists, and the timestamps of `until`, `before` and `since`.

use std::collections::BTreeMap;

use jiff::{Timestamp, ToSpan};

/// The filters of one command: each key with its values, in the order given.
#[derive(Debug, Default)]
pub(super) struct Filters {
    fields: BTreeMap<String, Vec<String>>,
    /// Each value read as a regular expression, compiled once per command (not once per
    /// container) when a match first asks for one (`image ls` never does: building them was a
    /// sixth of `image ls --filter` at 100 images): `None` for a value that is no valid
    /// expression, or one too large.
    regexes: std::cell::OnceCell<BTreeMap<String, Vec<Option<regex::Regex>>>>,
}

/// The compiled size allowed to one filter expression (the regex crate's default is 10 MiB;
/// a filter is a name pattern, and `(a{1000}){1000}` must fail fast rather than build a huge
/// automaton).
const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// A filter value as a regular expression, within [`REGEX_SIZE_LIMIT`].
fn compile(value: &str) -> Option<regex::Regex> {
    regex::RegexBuilder::new(value)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT)
        .build()
        .ok()
}

impl Filters {
    /// `key=value` words; a word without `=` is the client's `bad format of filter` error.
    pub(super) fn parse(words: &[String]) -> Result<Filters, String> {
        let mut fields: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for word in words {
            let Some((key, value)) = word.split_once('=') else {
                return Err("bad format of filter (expected name=value)".to_owned());
            };
            let (key, value) = (key.trim().to_lowercase(), value.trim());
            let values = fields.entry(key).or_default();
            if !values.iter().any(|v| v == value) {
                values.push(value.to_owned());
            }
        }
        Ok(Filters {
            fields,
            regexes: std::cell::OnceCell::new(),
        })
    }

    /// moby `Args.Validate`: every key must be one the command accepts (`invalid filter 'foo'`).
    pub(super) fn validate(&self, accepted: &[&str]) -> Result<(), String> {
        match self.fields.keys().find(|k| !accepted.contains(&k.as_str())) {
            Some(key) => Err(format!("invalid filter '{key}'")),
            None => Ok(()),
        }
    }

    pub(super) fn contains(&self, key: &str) -> bool {
        self.fields.contains_key(key)
    }

    pub(super) fn values(&self, key: &str) -> &[String] {
        self.fields.get(key).map_or(&[], Vec::as_slice)
    }

    /// `Args.ExactMatch`: no value for `key`, or one equal to `source`.
    pub(super) fn exact_match(&self, key: &str, source: &str) -> bool {
        self.fields
            .get(key)
            .is_none_or(|values| values.iter().any(|v| v == source))
    }

    /// `Args.Match`: an exact match, or a value that, read as a (Go RE2) regular expression,
    /// matches somewhere in `source`; a value that is no valid expression matches nothing.
    pub(super) fn matches(&self, key: &str, source: &str) -> bool {
        self.exact_match(key, source)
            || self
                .regexes
                .get_or_init(|| {
                    self.fields
                        .iter()
                        .map(|(k, values)| (k.clone(), values.iter().map(|v| compile(v)).collect()))
                        .collect()
                })
                .get(key)
                .is_some_and(|res| res.iter().flatten().any(|re| re.is_match(source)))
    }

    /// `Args.MatchKVList`: every `k` or `k=v` value of `key` is among `labels`.
    pub(super) fn match_labels(&self, key: &str, labels: &BTreeMap<String, String>) -> bool {
        let values = self.values(key);
        if values.is_empty() {
            return true;
        }
        if labels.is_empty() {
            return false;
        }
        values.iter().all(|value| match value.split_once('=') {
            Some((k, v)) => labels.get(k).is_some_and(|have| have == v),
            None => labels.contains_key(value.as_str()),
        })
    }

    /// `Args.GetBoolOrDefault`: `true`/`1` or `false`/`0` (case matters); values that say
    /// neither or both are an error listing them as Go prints a `[]string`
    /// (`invalid filter 'is-official=[maybe]'`).
    pub(super) fn bool_or(&self, key: &str, default: bool) -> Result<bool, String> {
        let values = self.values(key);
        if values.is_empty() {
            return Ok(default);
        }
        let has = |a: &str, b: &str| values.iter().any(|v| v == a || v == b);
        let (is_true, is_false) = (has("true", "1"), has("false", "0"));
        if is_true == is_false {
            return Err(format!("invalid filter '{key}=[{}]'", values.join(" ")));
        }
        Ok(is_true)
    }

    /// The `until` filter (a prune's, or `images`'): the latest of its instants; objects created
    /// at or after it are kept.
    pub(super) fn until(&self, now: Timestamp) -> Result<Option<Timestamp>, String> {
        let mut until: Option<Timestamp> = None;
        for value in self.values("until") {
            let t = timestamp(value, now)?;
            until = Some(until.map_or(t, |u| u.max(t)));
        }
        Ok(until)
    }
}

/// The filters of a prune (`label`, `label!`, `until`): what they spare.
pub(super) struct PruneFilter {
    filters: Filters,
    until: Option<Timestamp>,
}

impl PruneFilter {
    /// The filters of `words`, checked against the keys the prune accepts.
    pub(super) fn parse(
        words: &[String],
        accepted: &[&str],
        now: Timestamp,
    ) -> Result<PruneFilter, String> {
        let filters = Filters::parse(words)?;
        filters.validate(accepted)?;
        let until = filters.until(now)?;
        Ok(PruneFilter { filters, until })
    }

    /// Whether an object created at `created` with `labels` may be pruned (moby
    /// `matchLabels` and the `until` check: objects newer than `until` stay).
    /// `labels` is read only when a label filter is given.
    pub(super) fn allows(
        &self,
        created: Option<Timestamp>,
        labels: impl FnOnce() -> BTreeMap<String, String>,
    ) -> bool {
        if let (Some(until), Some(created)) = (self.until, created) {
            if created > until {
                return false;
            }
        }
        if !(self.filters.contains("label") || self.filters.contains("label!")) {
            return true;
        }
        let labels = labels();
        if !self.filters.match_labels("label", &labels) {
            return false;
        }
        !(self.filters.contains("label!") && self.filters.match_labels("label!", &labels))
    }
}

/// moby `timetypes.GetTimestamp`: a Go duration before `now` (`10m`, `1h30m`), a date or
/// RFC 3339 time (`2025-10-08`, `2025-10-08T12:00:00Z`; without a zone it is UTC, docklab's
/// daemon zone), or Unix seconds (`1700000000`, `1700000000.5`).
pub(super) fn timestamp(value: &str, now: Timestamp) -> Result<Timestamp, String> {
    if value != "0" {
        if let Some(nanos) = go_duration_nanos(value) {
            return now
                .checked_sub(i64::try_from(nanos).unwrap_or(i64::MAX).nanoseconds())
                .map_err(|e| e.to_string());
        }
    }
    if value.contains('-') {
        return parse_date(value).ok_or_else(|| {
            format!("parsing time {value:?}: cannot parse {value:?} as a date or RFC 3339 time")
        });
    }
    let unix = || -> Option<Timestamp> {
        let (secs, frac) = value.split_once('.').unwrap_or((value, ""));
        let secs: i64 = secs.parse().ok()?;
        let nanos: i32 = if frac.is_empty() {
            0
        } else {
            if frac.len() > 9 || !frac.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            format!("{frac:0<9}").parse().ok()?
        };
        Timestamp::new(secs, nanos).ok()
    };
    unix().ok_or_else(|| format!("failed to parse value as time or duration: {value:?}"))
}

fn parse_date(value: &str) -> Option<Timestamp> {
    if let Ok(t) = value.parse::<Timestamp>() {
        return Some(t);
    }
    // Dates and times without a zone: jiff's civil types, read in UTC.
    if let Ok(dt) = value.parse::<jiff::civil::DateTime>() {
        return dt
            .to_zoned(jiff::tz::TimeZone::UTC)
            .ok()
            .map(|z| z.timestamp());
    }
    if let Ok(d) = value.parse::<jiff::civil::Date>() {
        return d
            .to_zoned(jiff::tz::TimeZone::UTC)
            .ok()
            .map(|z| z.timestamp());
    }
    None
}

/// Go's `time.ParseDuration`, in nanoseconds; `None` when `value` is not one. Negative
/// durations are refused (they would name the future).
fn go_duration_nanos(value: &str) -> Option<u128> {
    let mut rest = value.strip_prefix('+').unwrap_or(value);
    if rest.is_empty() || rest.starts_with('-') {
        return None;
    }
    let mut total: u128 = 0;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if digits == 0 {
            return None;
        }
        let number: f64 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scale: f64 = match &rest[..unit_len] {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        rest = &rest[unit_len..];
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let nanos = (number * scale) as u128;
        total = total.checked_add(nanos)?;
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filters(words: &[&str]) -> Filters {
        Filters::parse(&words.iter().map(|w| (*w).to_owned()).collect::<Vec<_>>())
            .expect("filters parse")
    }

    #[test]
    fn keys_are_checked_and_values_matched_as_docker_does() {
        let f = filters(&["name=^we", "status=exited", "label=a=1", "label=b"]);
        assert_eq!(
            f.validate(&["name", "status"]),
            Err("invalid filter 'label'".into())
        );
        assert!(f.matches("name", "web"));
        assert!(!f.matches("name", "idle"));
        assert!(f.exact_match("status", "exited"));
        assert!(f.matches("nosuch", "anything"));
        let labels: BTreeMap<String, String> =
            [("a".into(), "1".into()), ("b".into(), "x".into())].into();
        assert!(f.match_labels("label", &labels));
        assert!(!f.match_labels("label", &BTreeMap::new()));
        assert!(Filters::parse(&["noequals".into()]).is_err());
        // An invalid expression matches nothing, and is no error.
        assert!(!filters(&["name=("]).matches("name", "web"));
        // So does one whose automaton would be huge; compiling it fails fast.
        let start = std::time::Instant::now();
        let huge = filters(&["name=((a{100}){100}){100}", "name=w.b"]);
        assert!(huge.matches("name", "web"));
        assert!(!huge.matches("name", "idle"));
        assert!(start.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn until_reads_durations_dates_and_unix_seconds() {
        let now: Timestamp = "2026-11-27T18:40:00Z".parse().expect("now");
        assert_eq!(
            timestamp("1h", now).expect("duration"),
            "2026-11-27T17:40:00Z".parse::<Timestamp>().expect("t")
        );
        assert_eq!(
            timestamp("1h30m", now).expect("duration"),
            "2026-11-27T17:10:00Z".parse::<Timestamp>().expect("t")
        );
        assert_eq!(
            timestamp("2025-10-08", now).expect("date"),
            "2025-10-08T00:00:00Z".parse::<Timestamp>().expect("t")
        );
        assert_eq!(
            timestamp("2025-10-08T12:00:00Z", now).expect("rfc3339"),
            "2025-10-08T12:00:00Z".parse::<Timestamp>().expect("t")
        );
        assert_eq!(
            timestamp("1700000000", now).expect("unix"),
            Timestamp::new(1_700_000_000, 0).expect("t")
        );
        assert_eq!(
            timestamp("soon", now),
            Err("failed to parse value as time or duration: \"soon\"".into())
        );
    }

    #[test]
    fn booleans_must_agree() {
        assert_eq!(
            filters(&["dangling=true"]).bool_or("dangling", false),
            Ok(true)
        );
        assert_eq!(filters(&[]).bool_or("dangling", true), Ok(true));
        assert!(filters(&["dangling=maybe"])
            .bool_or("dangling", true)
            .is_err());
        assert_eq!(
            filters(&["dangling=true", "dangling=false"]).bool_or("dangling", true),
            Err("invalid filter 'dangling=[true false]'".to_owned())
        );
        assert_eq!(
            filters(&["dangling=TRUE"]).bool_or("dangling", false),
            Err("invalid filter 'dangling=[TRUE]'".to_owned())
        );
        // A value that says neither is ignored beside one that does (moby reads a set).
        assert_eq!(
            filters(&["dangling=1", "dangling=maybe"]).bool_or("dangling", false),
            Ok(true)
        );
    }
}
