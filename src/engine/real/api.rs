//! The real engine's state through Docker's Engine API (Docker's or Podman's compatible one):
//! `GET /images/json`, `/containers/json`, `/system/df`, and, once per object ID since what they
//! say never changes for an ID, `/images/{id}/json`, `/images/{id}/history` and
//! `/containers/{id}/json`. The API version is negotiated once with `/_ping`, as the CLI does.
//! Every question is read-only.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use serde::Deserialize;

use super::http::{Client, HttpError, Transport};
use crate::engine::EngineError;

/// The newest API version docklab asks for; an older daemon's own version is used instead.
const CLIENT_API: (u32, u32) = (1, 51);
/// The oldest version whose answers have the fields read here.
const MIN_API: (u32, u32) = (1, 25);
/// `/system/df?type=` exists from this version on: only the build cache is then computed.
const DF_TYPE_API: (u32, u32) = (1, 42);
/// No state answer comes near this; a daemon that sends more is not answering a state question.
const MAX_BODY: usize = 64 << 20;

/// A connection to one daemon's Engine API.
#[derive(Debug, Clone)]
pub(crate) struct Api {
    client: Client,
    /// The daemon as the CLI names it (`unix:///var/run/docker.sock`), for messages.
    host: String,
    /// The negotiated version, once known.
    version: Option<(u32, u32)>,
}

/// One image as `GET /images/json` lists it: what may change for an ID (its names).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ListedImage {
    pub id: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub repo_tags: Vec<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub repo_digests: Vec<String>,
    #[serde(default)]
    pub size: i64,
}

/// One container as `GET /containers/json?all=1` lists it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ListedContainer {
    pub id: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub names: Vec<String>,
    #[serde(rename = "ImageID", default)]
    pub image_id: String,
    /// `created`, `running`, `paused`, `restarting`, `removing`, `exited`, `dead`.
    #[serde(default)]
    pub state: String,
}

/// The parts of `GET /images/{id}/json` that never change for an ID.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct InspectImage {
    pub id: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub repo_tags: Vec<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub repo_digests: Vec<String>,
    #[serde(default)]
    pub parent: String,
    #[serde(default)]
    pub created: String,
    #[serde(default)]
    pub size: u64,
    #[serde(default)]
    pub config: Option<InspectConfig>,
    #[serde(rename = "RootFS", default)]
    pub root_fs: InspectRootFs,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct InspectConfig {
    pub cmd: Option<Vec<String>>,
    pub entrypoint: Option<Vec<String>>,
    pub env: Option<Vec<String>>,
    pub exposed_ports: Option<BTreeMap<String, serde_json::Value>>,
    pub labels: Option<BTreeMap<String, String>>,
    pub working_dir: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct InspectRootFs {
    #[serde(default, deserialize_with = "null_as_default")]
    pub layers: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct HistoryItem {
    #[serde(default)]
    created_by: String,
    #[serde(default)]
    size: i64,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct InspectContainer {
    #[serde(default)]
    config: Option<InspectContainerConfig>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct InspectContainerConfig {
    #[serde(default)]
    image: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DiskUsage {
    #[serde(default, deserialize_with = "null_as_default")]
    build_cache: Vec<BuildCacheRecord>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct BuildCacheRecord {
    #[serde(default)]
    size: i64,
    #[serde(default)]
    shared: bool,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Version {
    #[serde(default)]
    version: String,
    #[serde(default)]
    api_version: String,
}

/// Go's JSON has `null` for empty lists.
fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

fn parse_version(v: &str) -> Option<(u32, u32)> {
    let (major, minor) = v.trim().split_once('.')?;
    Some((major.parse().ok()?, minor.parse().ok()?))
}

/// Object IDs go into paths: only what an ID is made of.
fn path_safe(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, ':' | '-' | '_' | '.'))
}

impl Api {
    pub fn new(transport: Transport, host: String, timeout: Duration) -> Api {
        Api {
            client: Client::new(transport, timeout, MAX_BODY),
            host,
            version: None,
        }
    }

    pub fn host(&self) -> &str {
        &self.host
    }

    pub fn transport(&self) -> &Transport {
        self.client.transport()
    }

    fn http_error(&self, request: &str, e: HttpError) -> EngineError {
        use std::io::ErrorKind as K;
        match e {
            HttpError::Connect(io) if io.kind() == K::PermissionDenied => {
                EngineError::DaemonPermissionDenied {
                    socket: self.host.clone(),
                }
            }
            HttpError::Connect(_) => EngineError::DaemonNotRunning {
                host: self.host.clone(),
            },
            HttpError::TimedOut(after) => EngineError::ApiTimedOut {
                host: self.host.clone(),
                request: request.to_owned(),
                after,
            },
            other => EngineError::ApiUnexpected {
                host: self.host.clone(),
                request: request.to_owned(),
                detail: other.to_string(),
            },
        }
    }

    /// `GET path`, versionless (`/_ping`, `/version`): status and body.
    fn raw(&self, path: &str) -> Result<super::http::Response, EngineError> {
        self.client
            .get(path)
            .map_err(|e| self.http_error(&format!("GET {path}"), e))
    }

    /// The API version to ask in: the daemon's own when older than docklab's, from `/_ping`'s
    /// `Api-Version` header (else `/version`), once.
    fn version(&mut self) -> Result<(u32, u32), EngineError> {
        if let Some(v) = self.version {
            return Ok(v);
        }
        let ping = self.raw("/_ping")?;
        let server = if let Some(v) = ping.header("api-version").and_then(parse_version) {
            v
        } else {
            let version: Version = self.decode("/version", &self.raw("/version")?)?;
            parse_version(&version.api_version).unwrap_or(MIN_API)
        };
        let v = server.min(CLIENT_API).max(MIN_API);
        self.version = Some(v);
        Ok(v)
    }

    fn decode<T: for<'de> Deserialize<'de>>(
        &self,
        request: &str,
        response: &super::http::Response,
    ) -> Result<T, EngineError> {
        if !(200..300).contains(&response.status) {
            // The daemon's errors are `{"message": "…"}`.
            let message = serde_json::from_slice::<serde_json::Value>(&response.body)
                .ok()
                .and_then(|j| j.get("message")?.as_str().map(str::to_owned))
                .unwrap_or_else(|| String::from_utf8_lossy(&response.body).trim().to_owned());
            return Err(EngineError::ApiFailed {
                host: self.host.clone(),
                request: format!("GET {request}"),
                status: response.status,
                message,
            });
        }
        serde_json::from_slice(&response.body).map_err(|e| EngineError::ApiUnexpected {
            host: self.host.clone(),
            request: format!("GET {request}"),
            detail: e.to_string(),
        })
    }

    /// `GET /v1.xx{path}` as JSON; `None` when the object is not there (404).
    fn get<T: for<'de> Deserialize<'de>>(&mut self, path: &str) -> Result<Option<T>, EngineError> {
        let (major, minor) = self.version()?;
        let full = format!("/v{major}.{minor}{path}");
        let response = self.raw(&full)?;
        if response.status == 404 {
            return Ok(None);
        }
        self.decode(&full, &response).map(Some)
    }

    fn get_list<T: for<'de> Deserialize<'de>>(
        &mut self,
        path: &str,
    ) -> Result<Vec<T>, EngineError> {
        Ok(self.get::<Vec<T>>(path)?.unwrap_or_default())
    }

    /// The daemon's version (`28.5.1`): that it answers at all is the probe.
    pub fn server_version(&mut self) -> Result<String, EngineError> {
        Ok(self
            .get::<Version>("/version")?
            .map(|v| v.version)
            .unwrap_or_default())
    }

    /// Every image, intermediate ones included (`image ls --all`), in the daemon's order.
    pub fn images(&mut self) -> Result<Vec<ListedImage>, EngineError> {
        self.get_list("/images/json?all=1")
    }

    /// One image's details; `None` when it is gone.
    pub fn inspect_image(&mut self, id: &str) -> Result<Option<InspectImage>, EngineError> {
        if !path_safe(id) {
            return Ok(None);
        }
        self.get(&format!("/images/{id}/json"))
    }

    /// One image's history, oldest first: (`created_by` as `history --no-trunc` prints it,
    /// size); `None` when the image is gone.
    pub fn history(&mut self, id: &str) -> Result<Option<Vec<(String, u64)>>, EngineError> {
        if !path_safe(id) {
            return Ok(None);
        }
        let Some(items) = self.get::<Vec<HistoryItem>>(&format!("/images/{id}/history"))? else {
            return Ok(None);
        };
        Ok(Some(
            items
                .into_iter()
                .rev()
                .map(|h| (h.created_by.replace('\t', " "), h.size.max(0) as u64))
                .collect(),
        ))
    }

    /// Every container, stopped ones included, newest first.
    pub fn containers(&mut self) -> Result<Vec<ListedContainer>, EngineError> {
        self.get_list("/containers/json?all=1")
    }

    /// The image a container was created from, as it was named then (`Config.Image`; the
    /// listing shows an ID instead once that name points elsewhere).
    pub fn container_image(&mut self, id: &str) -> Result<Option<String>, EngineError> {
        if !path_safe(id) {
            return Ok(None);
        }
        Ok(self
            .get::<InspectContainer>(&format!("/containers/{id}/json"))?
            .map(|c| c.config.map(|c| c.image).unwrap_or_default()))
    }

    /// The build cache: (records, size) as `system df` counts them (shared records are not
    /// counted in the size).
    pub fn build_cache(&mut self) -> Result<(usize, u64), EngineError> {
        // With `type`, the daemon does not walk every image and volume for their sizes.
        let path = if self.version()? >= DF_TYPE_API {
            "/system/df?type=build-cache"
        } else {
            "/system/df"
        };
        let Some(df) = self.get::<DiskUsage>(path)? else {
            return Ok((0, 0));
        };
        let size = df
            .build_cache
            .iter()
            .filter(|r| !r.shared)
            .map(|r| r.size.max(0) as u64)
            .sum();
        Ok((df.build_cache.len(), size))
    }
}

/// Keeps what never changes for an object ID, so each is asked once.
#[derive(Debug, Clone, Default)]
pub(crate) struct ById {
    pub images: HashMap<String, InspectImage>,
    /// Keyed by image ID: an ID's history never changes.
    pub history: HashMap<crate::engine::ImageId, Vec<(String, u64)>>,
    pub container_images: HashMap<String, String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_engine_api_documents() {
        let images: Vec<ListedImage> = serde_json::from_str(
            r#"[{"Containers":-1,"Created":1761220800,"Id":"sha256:aa","Labels":null,"ParentId":"","RepoDigests":null,"RepoTags":["nginx:latest"],"SharedSize":-1,"Size":151900000}]"#,
        )
        .expect("images");
        assert_eq!(images[0].repo_tags, ["nginx:latest"]);
        assert!(images[0].repo_digests.is_empty());
        let containers: Vec<ListedContainer> = serde_json::from_str(
            r#"[{"Id":"c1","Names":["/web"],"Image":"nginx","ImageID":"sha256:aa","State":"running","Status":"Up 2 seconds"}]"#,
        )
        .expect("containers");
        assert_eq!(containers[0].names, ["/web"]);
        assert_eq!(containers[0].image_id, "sha256:aa");
        let df: DiskUsage = serde_json::from_str(
            r#"{"BuildCache":[{"ID":"x","Size":10,"Shared":false},{"ID":"y","Size":5,"Shared":true}],"Images":null}"#,
        )
        .expect("df");
        assert_eq!(df.build_cache.len(), 2);
        let none: DiskUsage = serde_json::from_str(r#"{"BuildCache":null}"#).expect("df");
        assert!(none.build_cache.is_empty());
    }

    #[test]
    fn versions_and_ids() {
        assert_eq!(parse_version("1.51"), Some((1, 51)));
        assert_eq!(parse_version(" 1.41\r"), Some((1, 41)));
        assert_eq!(parse_version("v2"), None);
        assert!((1, 9) < (1, 41) && (1, 41) < CLIENT_API);
        assert!(path_safe("sha256:0123abc"));
        assert!(!path_safe("../../x"));
        assert!(!path_safe("a b"));
        assert!(!path_safe(""));
    }

    /// A fake daemon on a Unix socket answering canned documents, one connection per request.
    fn fake_daemon(
        answers: Vec<(&'static str, u16, &'static str)>,
    ) -> (tempfile::TempDir, std::thread::JoinHandle<Vec<String>>) {
        use std::io::{Read as _, Write as _};
        let dir = tempfile::tempdir().expect("temp dir");
        let listener =
            std::os::unix::net::UnixListener::bind(dir.path().join("d.sock")).expect("bind");
        let handle = std::thread::spawn(move || {
            let mut asked = Vec::new();
            for _ in 0..answers.len() {
                let (mut conn, _) = listener.accept().expect("accept");
                let mut req = Vec::new();
                let mut buf = [0u8; 1024];
                while !req.ends_with(b"\r\n\r\n") {
                    let n = conn.read(&mut buf).expect("read");
                    if n == 0 {
                        break;
                    }
                    req.extend_from_slice(&buf[..n]);
                }
                let line = String::from_utf8_lossy(&req)
                    .lines()
                    .next()
                    .unwrap_or("")
                    .to_owned();
                let path = line.split(' ').nth(1).unwrap_or("").to_owned();
                let (_, status, body) = answers
                    .iter()
                    .find(|(p, _, _)| path.ends_with(p))
                    .unwrap_or(&("", 404, r#"{"message":"page not found"}"#));
                let head = format!(
                    "HTTP/1.1 {status} X\r\nApi-Version: 1.41\r\nContent-Length: {}\r\n\r\n",
                    body.len()
                );
                conn.write_all(head.as_bytes()).expect("write");
                conn.write_all(body.as_bytes()).expect("write");
                asked.push(path);
            }
            asked
        });
        (dir, handle)
    }

    #[test]
    fn negotiates_down_to_an_older_daemon_and_maps_errors() {
        let (dir, daemon) = fake_daemon(vec![
            ("/_ping", 200, "OK"),
            ("/images/json?all=1", 200, "[]"),
            ("/system/df", 200, r#"{"BuildCache":[]}"#),
            (
                "/images/sha256:gone/json",
                404,
                r#"{"message":"No such image"}"#,
            ),
            (
                "/containers/json?all=1",
                500,
                r#"{"message":"the daemon broke"}"#,
            ),
        ]);
        let mut api = Api::new(
            Transport::Unix(dir.path().join("d.sock")),
            "unix:///fake.sock".into(),
            Duration::from_secs(5),
        );
        assert!(api.images().expect("images").is_empty());
        assert_eq!(api.build_cache().expect("df"), (0, 0));
        assert!(api.inspect_image("sha256:gone").expect("404").is_none());
        let err = api.containers().expect_err("500");
        assert!(
            matches!(&err, EngineError::ApiFailed { status: 500, message, .. } if message == "the daemon broke"),
            "{err:?}"
        );
        let asked = daemon.join().expect("daemon");
        // Podman's compatible API says 1.41: no `type` filter for `system df` there.
        assert_eq!(
            asked,
            [
                "/_ping",
                "/v1.41/images/json?all=1",
                "/v1.41/system/df",
                "/v1.41/images/sha256:gone/json",
                "/v1.41/containers/json?all=1"
            ]
        );
    }

    #[test]
    fn no_daemon_is_said_so() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut api = Api::new(
            Transport::Unix(dir.path().join("none.sock")),
            "unix:///none.sock".into(),
            Duration::from_secs(1),
        );
        assert!(matches!(
            api.images(),
            Err(EngineError::DaemonNotRunning { host }) if host == "unix:///none.sock"
        ));
    }
}
