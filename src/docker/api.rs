//! The Docker Engine API version the client speaks, and what else of the client's environment
//! changes what it prints.
//!
//! Docker's client asks the daemon for the highest API version both know, or uses
//! `DOCKER_API_VERSION` when it is set. A flag or command newer than that version is hidden from
//! help and refused when used (docker/cli `hideUnsupportedFeatures`, `areFlagsSupported`), and the
//! daemon shapes some answers by the version asked for (`image inspect` before 1.44 still has
//! `VirtualSize`). docklab's simulated daemon is Docker 28's: API 1.50 at most, 1.24 at least.

use std::cmp::Ordering;
use std::fmt;

/// An API version such as `1.41`. Compared as Go's `versions.Compare` does: part by part, a
/// part that is not a number counting as 0.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiVersion {
    text: String,
    parts: Vec<u32>,
}

impl ApiVersion {
    /// What Docker 28.2.2's client and docklab's daemon speak by default.
    pub fn current() -> ApiVersion {
        ApiVersion::new("1.50")
    }

    /// The oldest version a Docker 28 daemon accepts.
    pub fn minimum() -> ApiVersion {
        ApiVersion::new("1.24")
    }

    /// Any text, as `DOCKER_API_VERSION` may hold; [`ApiVersion::daemon_refusal`] tells whether
    /// the daemon answers it.
    pub fn new(text: &str) -> ApiVersion {
        ApiVersion {
            text: text.to_string(),
            parts: text.split('.').map(|p| p.parse().unwrap_or(0)).collect(),
        }
    }

    /// The client's version: `DOCKER_API_VERSION` when set and not empty, else the current one.
    pub fn from_env(value: Option<&str>) -> ApiVersion {
        match value {
            Some(v) if !v.is_empty() => ApiVersion::new(v),
            _ => ApiVersion::current(),
        }
    }

    #[cfg(test)]
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Go `versions.LessThan(self, other)`.
    pub fn less_than(&self, other: &str) -> bool {
        self.compare(&ApiVersion::new(other)) == Ordering::Less
    }

    fn compare(&self, other: &ApiVersion) -> Ordering {
        let n = self.parts.len().max(other.parts.len());
        (0..n)
            .map(|i| {
                let a = self.parts.get(i).copied().unwrap_or(0);
                let b = other.parts.get(i).copied().unwrap_or(0);
                a.cmp(&b)
            })
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
    }

    /// What a Docker 28 daemon answers a request at this version with, when it refuses it
    /// (moby `api/server/middleware/version.go`; a version that is not digits and dots matches
    /// no route at all).
    pub fn daemon_refusal(&self) -> Option<String> {
        if self.text.is_empty() || !self.text.chars().all(|c| c.is_ascii_digit() || c == '.') {
            return Some("page not found".to_string());
        }
        let (min, max) = (ApiVersion::minimum(), ApiVersion::current());
        if self.compare(&min) == Ordering::Less {
            return Some(format!(
                "client version {self} is too old. Minimum supported API version is {min}, please upgrade your client to a newer version"
            ));
        }
        if self.compare(&max) == Ordering::Greater {
            return Some(format!(
                "client version {self} is too new. Maximum supported API version is {max}"
            ));
        }
        None
    }
}

impl fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// What Docker's client output depends on besides the words typed.
#[derive(Debug, Clone)]
pub struct ClientEnv {
    /// The terminal width help is wrapped to (80 when output is not a terminal).
    pub width: usize,
    /// The API version spoken (`DOCKER_API_VERSION`, else the current one).
    pub api: ApiVersion,
    /// The client's configuration directory (`DOCKER_CONFIG`, else `$HOME/.docker`), which
    /// `docker --help` shows in the defaults of `--config` and the TLS flags.
    pub config_dir: String,
    /// Whether `docker build` is `BuildKit`'s (buildx) or, with `DOCKER_BUILDKIT=0`, the
    /// classic builder's own command.
    pub buildkit: bool,
}

/// `DOCKER_BUILDKIT` as docker/cli reads it (Go `strconv.ParseBool`): only a false value turns
/// `BuildKit` off.
pub fn buildkit_enabled(value: Option<&str>) -> bool {
    !matches!(value, Some("0" | "f" | "F" | "false" | "FALSE" | "False"))
}

impl Default for ClientEnv {
    fn default() -> ClientEnv {
        ClientEnv {
            width: super::help::DEFAULT_WIDTH,
            api: ApiVersion::current(),
            config_dir: "~/.docker".to_string(),
            buildkit: true,
        }
    }
}

impl ClientEnv {
    /// The client environment as Docker's client reads it, `var` looking a variable up.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> ClientEnv {
        let config_dir = match var("DOCKER_CONFIG").filter(|d| !d.is_empty()) {
            Some(dir) => dir,
            None => match var("HOME").filter(|h| !h.is_empty()) {
                Some(home) => format!("{}/.docker", home.trim_end_matches('/')),
                None => "~/.docker".to_string(),
            },
        };
        ClientEnv {
            width: super::help::DEFAULT_WIDTH,
            api: ApiVersion::from_env(var("DOCKER_API_VERSION").as_deref()),
            config_dir,
            buildkit: buildkit_enabled(var("DOCKER_BUILDKIT").as_deref()),
        }
    }

    /// Whether a flag or command annotated with API version `since` is available.
    pub fn supports(&self, since: Option<&str>) -> bool {
        since.is_none_or(|v| !self.api.less_than(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_as_go_does() {
        assert!(ApiVersion::new("1.41").less_than("1.47"));
        assert!(!ApiVersion::new("1.50").less_than("1.47"));
        assert!(ApiVersion::new("1.9").less_than("1.41"));
        assert!(!ApiVersion::new("1.41").less_than("1.41"));
        assert!(ApiVersion::new("abc").less_than("1.25"));
    }

    #[test]
    fn the_daemon_refuses_versions_outside_its_range() {
        assert_eq!(ApiVersion::new("1.41").daemon_refusal(), None);
        assert_eq!(ApiVersion::new("1.24").daemon_refusal(), None);
        assert_eq!(
            ApiVersion::new("1.99").daemon_refusal().as_deref(),
            Some("client version 1.99 is too new. Maximum supported API version is 1.50")
        );
        assert_eq!(
            ApiVersion::new("1.12").daemon_refusal().as_deref(),
            Some("client version 1.12 is too old. Minimum supported API version is 1.24, please upgrade your client to a newer version")
        );
        assert_eq!(
            ApiVersion::new("abc").daemon_refusal().as_deref(),
            Some("page not found")
        );
    }

    #[test]
    fn the_environment_picks_version_and_config_dir() {
        let env = ClientEnv::from_vars(|k| match k {
            "DOCKER_API_VERSION" => Some("1.41".into()),
            "HOME" => Some("/home/ana/".into()),
            _ => None,
        });
        assert_eq!(env.api.as_str(), "1.41");
        assert_eq!(env.config_dir, "/home/ana/.docker");
        assert!(!env.supports(Some("1.47")));
        assert!(env.supports(Some("1.41")));
        assert!(env.supports(None));
        let env = ClientEnv::from_vars(|k| (k == "DOCKER_CONFIG").then(|| "/etc/dk".into()));
        assert_eq!(env.config_dir, "/etc/dk");
        assert_eq!(env.api, ApiVersion::current());
    }
}
