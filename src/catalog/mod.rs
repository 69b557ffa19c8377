//! The offline registry: the official images of `catalog/images.toml`, embedded at build time.
//! Each catalog layer becomes a small, real, deterministic tar whose digest is its own; the size
//! Docker would show is the catalog's and is recorded with the layer. Layers that the real images
//! share (same source digest) become byte-identical tars, so they are shared here too.

pub mod hub;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::store::{ContainerConfig, EmptyObject, History, ImageConfig, RootFs};

const CATALOG_TOML: &str = include_str!("../../catalog/images.toml");

/// The whole catalog.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    #[cfg_attr(
        not(test),
        expect(dead_code, reason = "data checked by the consistency tests below")
    )]
    pub format_version: u32,
    #[serde(rename = "image")]
    pub images: Vec<CatalogImage>,
}

/// One image of the catalog and every tag that names it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogImage {
    /// Repository name under `docker.io/library/`.
    pub name: String,
    pub tags: Vec<String>,
    /// The config's `created`, RFC 3339.
    pub created: String,
    pub config: CatalogConfig,
    #[serde(rename = "layer")]
    pub layers: Vec<CatalogLayer>,
    pub history: Vec<CatalogHistory>,
}

/// The container configuration of a catalog image.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogConfig {
    pub env: Vec<String>,
    pub cmd: Vec<String>,
    pub entrypoint: Vec<String>,
    pub exposed_ports: Vec<String>,
    pub working_dir: String,
    pub stop_signal: String,
    pub user: String,
    pub volumes: Vec<String>,
    pub labels: BTreeMap<String, String>,
}

/// One layer: what real layer it stands for, its two digests and the size Docker shows for it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogLayer {
    /// The real layer's registry blob digest, of its compressed tar (a stand-in when unknown):
    /// the layer's identity, and what `docker pull` prints the first 12 hex digits of
    /// (`38513bd72563: Pull complete`).
    pub source: String,
    /// The digest of docklab's stand-in tar of the layer ([`CatalogLayer::tar`]): its diff ID,
    /// what the store, the image config's `rootfs` and the chain IDs know it by.
    pub diff_id: String,
    /// Unpacked size in bytes, as `docker history` and `image ls` count it.
    pub size: u64,
    /// Registry blob size, what a pull downloads.
    pub compressed_size: u64,
    /// The history entry that created the layer.
    #[cfg_attr(
        not(test),
        expect(dead_code, reason = "data checked by the consistency tests below")
    )]
    pub history_index: usize,
}

/// One history entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogHistory {
    pub created: String,
    pub created_by: String,
    #[serde(default)]
    pub empty_layer: bool,
    #[serde(default)]
    pub comment: Option<String>,
}

/// The registry digest of `BuildKit`'s empty `WORKDIR` layer: its tar is empty.
const EMPTY_LAYER_SOURCE: &str =
    "sha256:4f4fb700ef54461cfa02571ae0db9a0dc1e0cdb5577484a6d75e68dc38e8acc1";

/// The size the catalog gives the layer whose stand-in tar has digest `diff_id` (what `image ls`
/// shows for it), when it is one of the catalog's: so a catalog image saved and loaded again
/// keeps the sizes it was pulled with.
pub fn layer_size(diff_id: &crate::store::Digest) -> Option<u64> {
    static SIZES: OnceLock<BTreeMap<crate::store::Digest, u64>> = OnceLock::new();
    SIZES
        .get_or_init(|| {
            catalog()
                .images
                .iter()
                .flat_map(|image| &image.layers)
                .map(|layer| (crate::store::Digest::of(&layer.tar()), layer.size))
                .collect()
        })
        .get(diff_id)
        .copied()
}

/// The embedded catalog.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        toml::from_str(CATALOG_TOML).expect("catalog/images.toml is checked by a unit test")
    })
}

impl Catalog {
    /// The image `docker.io/<path>:<tag>`, if the offline registry has it.
    pub fn find(&self, path: &str, tag: &str) -> Option<&CatalogImage> {
        let name = path.strip_prefix("library/")?;
        self.images
            .iter()
            .find(|i| i.name == name && i.tags.iter().any(|t| t == tag))
    }

    /// Whether the offline registry has the repository `docker.io/<path>` at all.
    pub fn has_repository(&self, path: &str) -> bool {
        path.strip_prefix("library/")
            .is_some_and(|n| self.images.iter().any(|i| i.name == n))
    }

    /// Every repository name, for did-you-mean.
    pub fn repositories(&self) -> impl Iterator<Item = &str> {
        let mut names: Vec<&str> = self.images.iter().map(|i| i.name.as_str()).collect();
        names.dedup();
        names.into_iter()
    }
}

impl CatalogLayer {
    /// The first 12 hex digits of the registry blob digest: what `docker pull` prints for the
    /// layer (`4f4fb700ef54: Pull complete` for the empty layer, whose diff ID is `5f70bf18a086`).
    pub fn pull_id(&self) -> &str {
        let hex = self.source.strip_prefix("sha256:").unwrap_or(&self.source);
        hex.get(..12).unwrap_or(hex)
    }

    /// The layer's content: a deterministic tar. The empty layer is an empty tar (1024 zero
    /// bytes), as `BuildKit` writes it; any other holds one small file describing what it stands for.
    pub fn tar(&self) -> Vec<u8> {
        let mut builder = tar::Builder::new(Vec::new());
        builder.mode(tar::HeaderMode::Deterministic);
        if self.source != EMPTY_LAYER_SOURCE {
            let text = format!(
                "docklab simulated layer\nstands for: {}\nunpacked size: {} bytes\n",
                self.source, self.size
            );
            let short = self.source.rsplit(':').next().unwrap_or(&self.source);
            let short: String = short
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .take(12)
                .collect();
            let mut header = tar::Header::new_gnu();
            header.set_size(text.len() as u64);
            header.set_mode(0o644);
            header.set_mtime(0);
            header.set_uid(0);
            header.set_gid(0);
            header.set_entry_type(tar::EntryType::Regular);
            builder
                .append_data(
                    &mut header,
                    format!(".docklab/layers/{short}"),
                    text.as_bytes(),
                )
                .expect("writing to memory cannot fail");
        }
        builder.into_inner().expect("writing to memory cannot fail")
    }
}

impl CatalogImage {
    /// The image config, given the diff IDs of its layer tars.
    pub fn image_config(&self, diff_ids: Vec<crate::store::Digest>) -> ImageConfig {
        let c = &self.config;
        let non_empty = |v: &Vec<String>| (!v.is_empty()).then(|| v.clone());
        let set = |v: &Vec<String>| {
            (!v.is_empty()).then(|| v.iter().map(|k| (k.clone(), EmptyObject {})).collect())
        };
        ImageConfig {
            architecture: "amd64".to_owned(),
            config: ContainerConfig {
                user: (!c.user.is_empty()).then(|| c.user.clone()),
                exposed_ports: set(&c.exposed_ports),
                env: non_empty(&c.env),
                entrypoint: non_empty(&c.entrypoint),
                cmd: non_empty(&c.cmd),
                volumes: set(&c.volumes),
                working_dir: (!c.working_dir.is_empty()).then(|| c.working_dir.clone()),
                labels: (!c.labels.is_empty()).then(|| c.labels.clone()),
                stop_signal: (!c.stop_signal.is_empty()).then(|| c.stop_signal.clone()),
                ..ContainerConfig::default()
            },
            created: self.created.clone(),
            history: self
                .history
                .iter()
                .map(|h| History {
                    created: Some(h.created.clone()),
                    created_by: Some(h.created_by.clone()),
                    comment: h.comment.clone(),
                    empty_layer: h.empty_layer,
                })
                .collect(),
            os: "linux".to_owned(),
            rootfs: RootFs {
                kind: "layers".to_owned(),
                diff_ids,
            },
            parent: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Digest;

    #[test]
    fn catalog_loads_and_is_consistent() {
        let cat = catalog();
        assert_eq!(cat.format_version, 1);
        for image in &cat.images {
            let layered = image.history.iter().filter(|h| !h.empty_layer).count();
            assert_eq!(
                layered,
                image.layers.len(),
                "{}: layers vs history",
                image.name
            );
            for l in &image.layers {
                assert!(
                    !image.history[l.history_index].empty_layer,
                    "{}",
                    image.name
                );
            }
        }
        for (name, tag) in [
            ("nginx", "latest"),
            ("alpine", "latest"),
            ("debian", "trixie-slim"),
            ("debian", "bookworm-slim"),
            ("ubuntu", "latest"),
            ("hello-world", "latest"),
            ("memcached", "latest"),
            ("httpd", "2-alpine"),
            ("oraclelinux", "9"),
            ("rockylinux", "9"),
            ("almalinux", "latest"),
            ("archlinux", "latest"),
            ("busybox", "latest"),
            ("redis", "latest"),
            ("python", "3-slim"),
        ] {
            assert!(
                cat.find(&format!("library/{name}"), tag).is_some(),
                "{name}:{tag}"
            );
        }
        assert!(cat.find("library/rockylinux", "latest").is_none());
    }

    #[test]
    fn every_layer_holds_its_blob_digest_and_its_diff_id() {
        for image in &catalog().images {
            for l in &image.layers {
                assert!(
                    l.source.parse::<Digest>().is_ok(),
                    "{}: blob digest {}",
                    image.name,
                    l.source
                );
                assert_eq!(
                    Digest::of(&l.tar()).as_str(),
                    l.diff_id,
                    "{}: diff_id of {}",
                    image.name,
                    l.source
                );
                assert_ne!(l.source, l.diff_id, "{}", image.name);
            }
            for h in &image.history {
                assert!(
                    !h.created_by.contains("<unknown>"),
                    "{}: {}",
                    image.name,
                    h.created_by
                );
            }
        }
    }

    #[test]
    fn shared_layers_are_byte_identical() {
        let cat = catalog();
        let nginx = cat.find("library/nginx", "latest").expect("nginx");
        let memcached = cat.find("library/memcached", "latest").expect("memcached");
        assert_eq!(
            Digest::of(&nginx.layers[0].tar()),
            Digest::of(&memcached.layers[0].tar())
        );
        assert_ne!(
            Digest::of(&nginx.layers[1].tar()),
            Digest::of(&memcached.layers[1].tar())
        );
    }

    #[test]
    fn empty_layer_is_the_empty_tar() {
        let layer = CatalogLayer {
            source: EMPTY_LAYER_SOURCE.to_owned(),
            diff_id: String::new(),
            size: 0,
            compressed_size: 32,
            history_index: 0,
        };
        assert_eq!(
            Digest::of(&layer.tar()).as_str(),
            "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef"
        );
        assert_eq!(layer.pull_id(), "4f4fb700ef54");
    }
}
