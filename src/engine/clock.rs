//! The engine's clock: real time, or frozen by `DOCKLAB_CLOCK` so that IDs, names and times are
//! reproducible.

use jiff::Timestamp;

/// Real or frozen time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    frozen: Option<Timestamp>,
}

impl Clock {
    pub fn real() -> Clock {
        Clock { frozen: None }
    }

    pub fn frozen(at: Timestamp) -> Clock {
        Clock { frozen: Some(at) }
    }

    /// From `DOCKLAB_CLOCK` (RFC 3339) when set and valid; the error names the bad value.
    pub fn from_env() -> Result<Clock, String> {
        match std::env::var("DOCKLAB_CLOCK") {
            Ok(v) if !v.is_empty() => v.parse::<Timestamp>().map(Clock::frozen).map_err(|_| v),
            _ => Ok(Clock::real()),
        }
    }

    pub fn now(&self) -> Timestamp {
        self.frozen.unwrap_or_else(Timestamp::now)
    }

    pub fn is_frozen(&self) -> bool {
        self.frozen.is_some()
    }
}
