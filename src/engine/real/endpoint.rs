//! Where the daemon that the `docker` CLI talks to listens, found the way the CLI finds it:
//! `DOCKER_HOST`, else the context named by `DOCKER_CONTEXT` or the client config's
//! `currentContext` (its `meta.json` under `contexts/meta/<sha256 of the name>/`), else
//! `/var/run/docker.sock`. For a Podman CLI: `CONTAINER_HOST`, else Podman's own sockets.
//!
//! docklab reads the engine's state through that socket; the hosts it cannot speak to itself
//! (`ssh://`, TLS over TCP, Windows pipes) are [`Endpoint::CliOnly`]: the state is then read
//! through the CLI's JSON output, as before.

use std::path::{Path, PathBuf};

use sha2::{Digest as _, Sha256};

use super::http::Transport;

/// Docker's default socket on Linux.
pub(crate) const DEFAULT_SOCKET: &str = "/var/run/docker.sock";

/// How docklab reaches the daemon for state reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Endpoint {
    /// Docker's Engine API at this address; `host` is as the CLI would name it (for messages).
    Api { transport: Transport, host: String },
    /// Only the CLI can reach it (`ssh://…`, `tcp://` with TLS, …): `host` says which.
    CliOnly { host: String },
}

/// The endpoint for `program` (the student's CLI) under the variables `var` gives.
pub(crate) fn resolve(program: &Path, var: &dyn Fn(&str) -> Option<String>) -> Endpoint {
    let set = |name: &str| var(name).filter(|v| !v.is_empty());
    let is_podman = program
        .file_name()
        .is_some_and(|n| n.to_string_lossy().contains("podman"));
    if is_podman {
        if let Some(host) = set("CONTAINER_HOST") {
            return from_host(&host, false);
        }
        let rootless = set("XDG_RUNTIME_DIR").map(|d| PathBuf::from(d).join("podman/podman.sock"));
        let socket = rootless
            .filter(|p| p.exists())
            .unwrap_or_else(|| PathBuf::from("/run/podman/podman.sock"));
        return unix(socket);
    }
    let tls = set("DOCKER_TLS_VERIFY").is_some() || set("DOCKER_TLS").is_some();
    if let Some(host) = set("DOCKER_HOST") {
        return from_host(&host, tls);
    }
    let config = set("DOCKER_CONFIG")
        .map(PathBuf::from)
        .or_else(|| set("HOME").map(|h| PathBuf::from(h).join(".docker")));
    let context = set("DOCKER_CONTEXT").or_else(|| {
        let dir = config.as_ref()?;
        let text = std::fs::read_to_string(dir.join("config.json")).ok()?;
        let json: serde_json::Value = serde_json::from_str(&text).ok()?;
        json.get("currentContext")?.as_str().map(str::to_owned)
    });
    match (context.filter(|c| c != "default"), config) {
        (Some(name), Some(dir)) => context_endpoint(&dir, &name, tls),
        // A context named without a config directory to find it in: the CLI fails; so will the
        // socket, with the CLI's own words on the student's command.
        _ => unix(PathBuf::from(DEFAULT_SOCKET)),
    }
}

/// The endpoint a context's `meta.json` names.
fn context_endpoint(config: &Path, name: &str, tls: bool) -> Endpoint {
    let hash = crate::store::hex(&Sha256::digest(name.as_bytes()));
    let meta = config.join("contexts/meta").join(&hash).join("meta.json");
    let host = std::fs::read_to_string(meta)
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .and_then(|j| {
            j.pointer("/Endpoints/docker/Host")
                .and_then(|h| h.as_str())
                .map(str::to_owned)
        });
    let Some(host) = host else {
        return Endpoint::CliOnly {
            host: format!("context {name}"),
        };
    };
    // A context with TLS material speaks TLS, which this client does not.
    let has_tls = config
        .join("contexts/tls")
        .join(&hash)
        .join("docker")
        .is_dir();
    from_host(&host, tls || has_tls)
}

fn unix(socket: PathBuf) -> Endpoint {
    Endpoint::Api {
        host: format!("unix://{}", socket.display()),
        transport: Transport::Unix(socket),
    }
}

/// `unix:///path`, `tcp://host:port` (plain HTTP unless `tls`), anything else for the CLI alone.
fn from_host(host: &str, tls: bool) -> Endpoint {
    if let Some(path) = host.strip_prefix("unix://") {
        if !path.is_empty() {
            return unix(PathBuf::from(path));
        }
    }
    if let Some(rest) = host
        .strip_prefix("tcp://")
        .or_else(|| host.strip_prefix("http://"))
    {
        let addr = rest.split('/').next().unwrap_or("");
        if !tls && !addr.is_empty() {
            // The CLI's default port for plain TCP.
            let addr = if addr.rsplit_once(':').is_some_and(|(_, p)| !p.contains(']')) {
                addr.to_owned()
            } else {
                format!("{addr}:2375")
            };
            return Endpoint::Api {
                transport: Transport::Tcp(addr),
                host: host.to_owned(),
            };
        }
    }
    Endpoint::CliOnly {
        host: host.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn resolve_with(program: &str, vars: &[(&str, &str)]) -> Endpoint {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        resolve(Path::new(program), &|name| vars.get(name).cloned())
    }

    fn api_unix(path: &str) -> Endpoint {
        unix(PathBuf::from(path))
    }

    #[test]
    fn docker_host_comes_first() {
        assert_eq!(
            resolve_with("docker", &[("DOCKER_HOST", "unix:///tmp/d.sock")]),
            api_unix("/tmp/d.sock")
        );
        assert_eq!(
            resolve_with("docker", &[("DOCKER_HOST", "tcp://127.0.0.1:2375")]),
            Endpoint::Api {
                transport: Transport::Tcp("127.0.0.1:2375".into()),
                host: "tcp://127.0.0.1:2375".into()
            }
        );
        assert_eq!(
            resolve_with("docker", &[("DOCKER_HOST", "tcp://127.0.0.1")]),
            Endpoint::Api {
                transport: Transport::Tcp("127.0.0.1:2375".into()),
                host: "tcp://127.0.0.1".into()
            }
        );
        for (host, tls) in [
            ("ssh://me@box", ""),
            ("tcp://box:2376", "1"),
            ("npipe:////./pipe/docker_engine", ""),
        ] {
            assert_eq!(
                resolve_with(
                    "docker",
                    &[("DOCKER_HOST", host), ("DOCKER_TLS_VERIFY", tls)]
                ),
                Endpoint::CliOnly {
                    host: host.to_owned()
                },
                "{host}"
            );
        }
        assert_eq!(resolve_with("docker", &[]), api_unix(DEFAULT_SOCKET));
        assert_eq!(
            resolve_with("docker", &[("DOCKER_HOST", "")]),
            api_unix(DEFAULT_SOCKET)
        );
    }

    #[test]
    fn the_current_context_names_the_socket() {
        let dir = tempfile::tempdir().expect("temp dir");
        let config = dir.path();
        let name = "rootless";
        let hash = crate::store::hex(&Sha256::digest(name.as_bytes()));
        let meta = config.join("contexts/meta").join(hash);
        std::fs::create_dir_all(&meta).expect("meta dir");
        std::fs::write(
            meta.join("meta.json"),
            r#"{"Name":"rootless","Metadata":{"Description":"x"},"Endpoints":{"docker":{"Host":"unix:///run/user/1000/docker.sock","SkipTLSVerify":false}}}"#,
        )
        .expect("meta.json");
        std::fs::write(
            config.join("config.json"),
            r#"{"auths":{},"currentContext":"rootless"}"#,
        )
        .expect("config.json");
        let c = config.to_str().expect("UTF-8 path");
        assert_eq!(
            resolve_with("docker", &[("DOCKER_CONFIG", c)]),
            api_unix("/run/user/1000/docker.sock")
        );
        // DOCKER_CONTEXT overrides the config file, and DOCKER_HOST overrides both.
        assert_eq!(
            resolve_with(
                "docker",
                &[("DOCKER_CONFIG", c), ("DOCKER_CONTEXT", "default")]
            ),
            api_unix(DEFAULT_SOCKET)
        );
        assert_eq!(
            resolve_with(
                "docker",
                &[("DOCKER_CONFIG", c), ("DOCKER_HOST", "unix:///x.sock")]
            ),
            api_unix("/x.sock")
        );
        // ~/.docker when DOCKER_CONFIG is not set.
        let home = tempfile::tempdir().expect("temp home");
        std::fs::create_dir_all(home.path().join(".docker")).expect(".docker");
        std::fs::rename(
            config.join("contexts"),
            home.path().join(".docker/contexts"),
        )
        .expect("move contexts");
        std::fs::rename(
            config.join("config.json"),
            home.path().join(".docker/config.json"),
        )
        .expect("move config");
        let h = home.path().to_str().expect("UTF-8 path");
        assert_eq!(
            resolve_with("docker", &[("HOME", h)]),
            api_unix("/run/user/1000/docker.sock")
        );
        // A context that does not exist: only the CLI can say what is wrong.
        assert_eq!(
            resolve_with("docker", &[("HOME", h), ("DOCKER_CONTEXT", "nope")]),
            Endpoint::CliOnly {
                host: "context nope".into()
            }
        );
    }

    #[test]
    fn podman_has_its_own_sockets() {
        assert_eq!(
            resolve_with(
                "/usr/bin/podman",
                &[
                    ("CONTAINER_HOST", "unix:///tmp/podman.sock"),
                    ("DOCKER_HOST", "unix:///ignored")
                ]
            ),
            api_unix("/tmp/podman.sock")
        );
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("podman")).expect("podman dir");
        std::fs::write(dir.path().join("podman/podman.sock"), "").expect("socket stand-in");
        let d = dir.path().to_str().expect("UTF-8 path");
        assert_eq!(
            resolve_with("podman", &[("XDG_RUNTIME_DIR", d)]),
            unix(dir.path().join("podman/podman.sock"))
        );
        assert_eq!(
            resolve_with("podman", &[]),
            api_unix("/run/podman/podman.sock")
        );
    }
}
