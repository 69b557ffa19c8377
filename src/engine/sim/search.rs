//! `docker search` over the offline catalog, as Docker 28's client and daemon answer it: the
//! daemon checks the filters (moby `registry/search.go`) and the limit
//! (`registry/search_session.go`), the registry returns at most `limit` repositories, the daemon
//! filters them, and the client prints them in the registry's order
//! (`cli/command/registry/formatter_search.go`).
//!
//! The offline registry plays Docker Hub's search: a repository matches when the term (without
//! `library/`) is part of its name or of its description, ignoring case; the closest names come
//! first (the name itself, then names holding the term, then descriptions), most stars first
//! within each group. It knows only the catalog's official images (docs/fidelity.md).

use serde_json::json;

use super::filters::Filters;
use super::Outcome;
use crate::catalog::hub::{hub, HubRepository};
use crate::docker::cli::Invocation;
use crate::docker::template::{render_values, Template, Value};
use crate::docker::text::{ellipsis, go_quote};

/// The daemon's default when the client sends no limit (moby `defaultSearchLimit`).
const DEFAULT_LIMIT: i64 = 25;

/// The filters the daemon accepts for a search.
const ACCEPTED: &[&str] = &["is-automated", "is-official", "stars"];

/// The client prints this before asking, whenever `is-automated` is among the filters.
const AUTOMATED_WARNING: &str = "WARNING: the \"is-automated\" filter is deprecated, and searching for \"is-automated=true\" will not yield any results in future.\n";

pub(super) fn search(inv: &Invocation) -> Outcome {
    let term = inv.args.first().map_or("", String::as_str);
    // An empty `--filter ""` is no filter (docker/cli's `FilterOpt.Set`).
    let words: Vec<String> = inv
        .flags
        .values("filter")
        .iter()
        .filter(|w| !w.is_empty())
        .cloned()
        .collect();
    let filters = match Filters::parse(&words) {
        Ok(f) => f,
        Err(e) => return Outcome::error(format!("{e}\n"), 1),
    };
    let mut out = Outcome::default();
    if filters.contains("is-automated") {
        out.stderr.push_str(AUTOMATED_WARNING);
        out.stderr_first = true;
    }
    let results = match daemon_search(term, &filters, inv.flags.value("limit")) {
        Ok(r) => r,
        Err(message) => {
            out.append(Outcome::daemon_error(message));
            return out;
        }
    };
    out.append(print(inv, &results));
    out
}

/// The daemon's side: the filters checked, then the registry asked, then its answer filtered.
fn daemon_search(
    term: &str,
    filters: &Filters,
    limit: Option<&str>,
) -> Result<Vec<&'static HubRepository>, String> {
    filters.validate(ACCEPTED)?;
    // "is-automated" is deprecated: asking for `true` yields nothing, without a request.
    if filters.bool_or("is-automated", false)? {
        return Ok(Vec::new());
    }
    let official = filters.bool_or("is-official", false)?;
    let mut min_stars: i64 = 0;
    for value in filters.values("stars") {
        let stars = value.parse::<i64>().map_err(|e| {
            let why = match e.kind() {
                std::num::IntErrorKind::PosOverflow | std::num::IntErrorKind::NegOverflow => {
                    "value out of range"
                }
                _ => "invalid syntax",
            };
            format!(
                "invalid filter 'stars={value}': strconv.Atoi: parsing {}: {why}",
                go_quote(value)
            )
        })?;
        min_stars = min_stars.max(stars);
    }
    let results = registry_search(term, limit)?;
    Ok(results
        .into_iter()
        .filter(|_| !filters.contains("is-official") || official)
        .filter(|r| !filters.contains("stars") || i64::from(r.stars) >= min_stars)
        .collect())
}

/// The registry's side: the term checked, at most `limit` matching repositories, best first.
fn registry_search(term: &str, limit: Option<&str>) -> Result<Vec<&'static HubRepository>, String> {
    if term.starts_with("http://") || term.starts_with("https://") {
        return Err(format!(
            "invalid repository name: repository name ({term}) should not have a scheme"
        ));
    }
    // The client sends a limit only when it is positive; 0 (the flag's default) and below
    // leave the daemon's default.
    let limit = limit
        .and_then(|l| l.parse::<i64>().ok())
        .filter(|l| *l > 0)
        .unwrap_or(DEFAULT_LIMIT);
    if !(1..=100).contains(&limit) {
        return Err(format!("limit {limit} is outside the range of [1, 100]"));
    }
    let (index, remote) = match term.split_once('/') {
        Some((first, rest)) if first.contains(['.', ':']) || first == "localhost" => (first, rest),
        _ => ("docker.io", term),
    };
    if index != "docker.io" && index != "index.docker.io" {
        let host = index.split(':').next().unwrap_or(index);
        return Err(format!(
            "invalid registry endpoint https://{index}/v1/: Get \"https://{index}/v1/_ping\": dial tcp: lookup {host}: no such host. If this private registry supports only HTTP or HTTPS with an unknown CA certificate, please add `--insecure-registry {index}` to the daemon's arguments. In the case of HTTPS, if you have access to the registry's CA certificate, no need for the flag; simply place the CA certificate at /etc/docker/certs.d/{index}/ca.crt"
        ));
    }
    let needle = remote
        .strip_prefix("library/")
        .unwrap_or(remote)
        .to_lowercase();
    let mut ranked: Vec<(u8, &'static HubRepository)> = hub()
        .repositories
        .iter()
        .filter_map(|r| {
            let rank = if r.name == needle {
                0
            } else if r.name.contains(&needle) {
                1
            } else if r.description.to_lowercase().contains(&needle) {
                2
            } else {
                return None;
            };
            Some((rank, r))
        })
        .collect();
    ranked.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.stars.cmp(&a.1.stars)));
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    Ok(ranked.into_iter().take(limit).map(|(_, r)| r).collect())
}

/// The client's side: the results through `--format` (a table by default), descriptions cut
/// at 45 characters unless `--no-trunc`. The fields are docker/cli 28.2's (`.IsAutomated` went
/// in 28.2.0): `.Name`, `.Description`, `.StarCount`, `.IsOfficial`.
fn print(inv: &Invocation, results: &[&HubRepository]) -> Outcome {
    let trunc = !inv.flags.bool("no-trunc");
    let format = match inv.flags.value("format").unwrap_or("") {
        "" | "table" => "table {{.Name}}\t{{.Description}}\t{{.StarCount}}\t{{.IsOfficial}}",
        f => f,
    };
    let template = match Template::parse(format) {
        Ok(t) => t,
        Err(e) => return Outcome::error(format!("{e}\n"), 1),
    };
    let rows: Vec<Value> = results
        .iter()
        .map(|r| {
            let description = r.description.replace(['\n', '\r'], " ");
            let description = if trunc {
                ellipsis(&description, 45)
            } else {
                description
            };
            // Every repository of the offline registry is an official image.
            Value::context_marshalled_as(
                "*registry.searchContext",
                &json!({
                    "Name": r.name, "Description": description,
                    "StarCount": r.stars.to_string(), "IsOfficial": "[OK]",
                }),
                &json!({
                    "Name": r.name, "Description": description,
                    "StarCount": r.stars.to_string(), "IsOfficial": "true",
                }),
            )
        })
        .collect();
    let headers = json!({
        "Name": "NAME", "Description": "DESCRIPTION", "StarCount": "STARS", "IsOfficial": "OFFICIAL",
    });
    match render_values(&template, &headers, &rows) {
        Ok(text) => Outcome::ok(text),
        Err(e) => Outcome::error(format!("{e}\n"), 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(term: &str, limit: Option<&str>) -> Vec<&'static str> {
        registry_search(term, limit)
            .expect("searches")
            .iter()
            .map(|r| r.name.as_str())
            .collect()
    }

    #[test]
    fn the_name_first_then_names_then_descriptions() {
        assert_eq!(names("nginx", None), ["nginx"]);
        assert_eq!(names("NGINX", None), ["nginx"]);
        assert_eq!(names("library/redis", None), ["redis"]);
        assert_eq!(names("docker.io/library/redis", None), ["redis"]);
        // `httpd` is found by its description, "The Apache HTTP Server Project".
        assert_eq!(names("apache", None), ["httpd"]);
        let linux = names("linux", None);
        assert_eq!(&linux[..3], ["oraclelinux", "archlinux", "rockylinux"]);
        assert!(linux.contains(&"alpine") && linux.contains(&"ubuntu"));
        assert!(names("mysql", None).is_empty());
    }

    #[test]
    fn star_filters_are_read_as_go_reads_an_int() {
        let stars = |v: &str| {
            let filters = Filters::parse(&[format!("stars={v}")]).expect("parses");
            daemon_search("linux", &filters, None).map(|r| r.len())
        };
        assert_eq!(stars("1000"), Ok(3));
        assert_eq!(stars("-5"), Ok(7));
        assert_eq!(
            stars("99999999999999999999"),
            Err("invalid filter 'stars=99999999999999999999': strconv.Atoi: parsing \"99999999999999999999\": value out of range".to_owned())
        );
        assert_eq!(
            stars("1k"),
            Err(
                "invalid filter 'stars=1k': strconv.Atoi: parsing \"1k\": invalid syntax"
                    .to_owned()
            )
        );
    }

    #[test]
    fn the_limit_is_the_daemons() {
        assert_eq!(names("linux", Some("2")).len(), 2);
        assert_eq!(names("o", Some("0")).len(), names("o", None).len());
        assert_eq!(names("o", Some("-3")).len(), names("o", None).len());
        assert_eq!(
            registry_search("o", Some("101")).err().as_deref(),
            Some("limit 101 is outside the range of [1, 100]")
        );
        assert_eq!(
            registry_search("https://nginx", None).err().as_deref(),
            Some(
                "invalid repository name: repository name (https://nginx) should not have a scheme"
            )
        );
    }
}
