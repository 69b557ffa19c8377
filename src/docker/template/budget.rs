//! Bounds on one template execution, so that a hostile `--format` ends with an error in
//! bounded time and memory instead of exhausting the machine. Go's `text/template` has none
//! (`{{range 3000000000}}` loops three billion times, `{{pad "x" 999999999 0}}` allocates a
//! gigabyte): these limits are docklab's own, set far above anything a real format needs, and
//! listed in docs/fidelity.md.
//!
//! Three counters, all per execution (one row of a table is one execution):
//! - the output written, at most [`MAX_OUTPUT`];
//! - every string a function returns, at most [`MAX_STRING`] (checked before allocating);
//! - the work: bytes of every value produced or copied (function results, variable and field
//!   reads, range elements), at most [`MAX_WORK`], and range iterations, at most
//!   [`MAX_ITERATIONS`]. Copies are counted because a template can copy a large value once per
//!   iteration without printing it.

use super::Value;

/// The largest output of one execution, and of one string value.
pub(crate) const MAX_OUTPUT: usize = 16 << 20;
/// The largest string a template function may return.
pub(crate) const MAX_STRING: usize = MAX_OUTPUT;
/// Bytes of values produced or copied during one execution.
pub(crate) const MAX_WORK: usize = 256 << 20;
/// Range iterations during one execution, all ranges together.
pub(crate) const MAX_ITERATIONS: u64 = 1_000_000;

/// The message for a string result over [`MAX_STRING`].
pub(crate) fn too_long(len: usize) -> String {
    format!("result of {len} bytes exceeds docklab's limit of {MAX_STRING} bytes")
}

/// An approximate size in bytes: what copying `v` costs. Linear in `v`, like the copy.
pub(crate) fn weight(v: &Value) -> usize {
    const WORD: usize = 8;
    let fields = |fields: &[(String, Value)]| {
        fields.iter().fold(WORD, |acc, (k, v)| {
            acc.saturating_add(k.len()).saturating_add(weight(v))
        })
    };
    match v {
        Value::String(s) => s.len().saturating_add(WORD),
        Value::List(items) => items
            .iter()
            .fold(WORD, |acc, v| acc.saturating_add(weight(v))),
        Value::Map(entries) => fields(entries),
        Value::Struct { fields: f, .. } | Value::Context { fields: f, .. } => fields(f),
        _ => WORD,
    }
}

/// The work done so far in one execution.
#[derive(Default)]
pub(crate) struct Budget {
    work: usize,
    iterations: u64,
}

impl Budget {
    /// Counts `bytes` of work; `Err` is the execution error's message once over the limit.
    pub(crate) fn spend(&mut self, bytes: usize) -> Result<(), String> {
        self.work = self.work.saturating_add(bytes);
        if self.work > MAX_WORK {
            return Err(format!(
                "template copies more than docklab's limit of {MAX_WORK} bytes of values"
            ));
        }
        Ok(())
    }

    /// Counts one range iteration.
    pub(crate) fn iterate(&mut self) -> Result<(), String> {
        self.iterations += 1;
        if self.iterations > MAX_ITERATIONS {
            return Err(format!(
                "range runs more than docklab's limit of {MAX_ITERATIONS} iterations"
            ));
        }
        Ok(())
    }
}

/// The message for output over [`MAX_OUTPUT`].
pub(crate) fn output_too_long() -> String {
    format!("output exceeds docklab's limit of {MAX_OUTPUT} bytes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weight_is_linear_in_content() {
        assert_eq!(weight(&Value::Int(1)), 8);
        assert_eq!(weight(&Value::String("abcd".into())), 12);
        let list = Value::List(vec![Value::String("ab".into()), Value::Int(3)]);
        assert_eq!(weight(&list), 8 + 10 + 8);
        let map = Value::Map(vec![("k".into(), list)]);
        assert_eq!(weight(&map), 8 + 1 + 26);
    }

    #[test]
    fn budget_fails_past_its_limits() {
        let mut b = Budget::default();
        assert!(b.spend(MAX_WORK).is_ok());
        assert!(b.spend(1).is_err());
        let mut b = Budget::default();
        for _ in 0..MAX_ITERATIONS {
            b.iterate().expect("within the limit");
        }
        assert!(b.iterate().is_err());
    }
}
