//! The engine-independent view of a Docker engine's state that lab checks and the layer picture
//! read. The simulated and the real engine both produce it.

use std::collections::BTreeMap;
use std::fmt;

/// A content-addressed ID as Docker prints it in full (`sha256:` and 64 hex digits), typed by
/// what it names so that an image ID is not compared with a layer's, nor a short form with a
/// full one. Serialized as the plain string.
macro_rules! content_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug,
            Clone,
            Default,
            PartialEq,
            Eq,
            PartialOrd,
            Ord,
            Hash,
            serde::Serialize,
            serde::Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// The ID as given (`sha256:…`).
            pub fn new(full: impl Into<String>) -> Self {
                $name(full.into())
            }

            /// `sha256:…`, as `--no-trunc` and `inspect` print it.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The hex digits without the algorithm (`sha256:`), as paths and Docker's short
            /// forms use them.
            pub fn hex(&self) -> &str {
                self.0.split_once(':').map_or(self.0.as_str(), |(_, hex)| hex)
            }

            /// The 12-digit short form Docker's tables print (`a1b2c3d4e5f6`).
            pub fn short(&self) -> &str {
                let hex = self.hex();
                hex.get(..12).unwrap_or(hex)
            }

            /// Whether `prefix` (typed by a student: hex digits, with or without `sha256:`)
            /// names this ID, as Docker resolves a short ID.
            pub fn matches_prefix(&self, prefix: &str) -> bool {
                let hex = prefix.strip_prefix("sha256:").unwrap_or(prefix);
                !hex.is_empty() && self.hex().starts_with(hex)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<String> for $name {
            fn from(full: String) -> Self {
                $name(full)
            }
        }

        impl From<&str> for $name {
            fn from(full: &str) -> Self {
                $name(full.to_owned())
            }
        }
    };
}

content_id!(
    /// An image's ID: its config's digest.
    ImageId
);
content_id!(
    /// A layer's chain ID: the digest of its diff ID and those below it.
    ChainId
);
content_id!(
    /// A layer's diff ID: its uncompressed tar's digest.
    DiffId
);
content_id!(
    /// A container's ID (64 hex digits; Docker's has no `sha256:` before it).
    ContainerId
);

/// Images, containers, build cache and disk usage.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EngineState {
    /// Newest first, as `image ls` lists them.
    pub images: Vec<ImageState>,
    pub containers: Vec<ContainerState>,
    /// Build cache records' total size and count.
    pub build_cache_count: usize,
    pub build_cache_size: u64,
    /// Layers (chain IDs) `BuildKit`'s build cache holds, so that deleting an image does not free
    /// them. The simulator knows them; the real engine's API does not say (empty).
    #[serde(default)]
    pub cache_layers: Vec<ChainId>,
}

/// One image.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ImageState {
    pub id: ImageId,
    /// Familiar `repo:tag` strings (`nginx:latest`).
    pub tags: Vec<String>,
    /// Familiar `repo@sha256:…` strings.
    pub digests: Vec<String>,
    pub created: String,
    pub size: u64,
    /// Layers bottom first, by chain ID (`sha256:…`), with their sizes.
    pub layers: Vec<LayerState>,
    pub config: ConfigState,
    /// Legacy builder's parent image ID.
    pub parent: Option<ImageId>,
}

#[cfg(test)]
impl ImageState {
    /// A test image: its ID `sha256:` then `short` padded with zeros to 64 digits, and its tags.
    pub(crate) fn named(short: &str, tags: &[&str]) -> ImageState {
        ImageState {
            id: format!("sha256:{short:0<64}").into(),
            tags: tags.iter().map(|t| (*t).to_owned()).collect(),
            ..ImageState::default()
        }
    }
}

/// One layer of an image.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LayerState {
    pub chain_id: ChainId,
    pub diff_id: DiffId,
    pub size: u64,
    /// The history line that created it (`RUN /bin/sh -c …`), when known, as
    /// `docker history --no-trunc` prints it: tabs become spaces.
    pub created_by: String,
}

/// The parts of an image config a lab asks about.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ConfigState {
    pub cmd: Vec<String>,
    pub entrypoint: Vec<String>,
    pub env: Vec<String>,
    pub exposed_ports: Vec<String>,
    pub labels: BTreeMap<String, String>,
    pub working_dir: String,
}

/// One container.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ContainerState {
    pub id: ContainerId,
    pub name: String,
    /// The image as named at `run`.
    pub image: String,
    pub image_id: ImageId,
    pub running: bool,
    /// `created`, `running`, `exited`
    pub status: String,
}

impl EngineState {
    /// The image a familiar or full reference names (`nginx` means `nginx:latest`).
    pub fn image(&self, reference: &str) -> Option<&ImageState> {
        let want = crate::docker::reference::Reference::parse(reference)
            .ok()
            .map(|r| r.with_default_tag().familiar_string())?;
        self.images.iter().find(|i| i.tags.contains(&want))
    }

    /// Dangling images as Docker means it: no tag, and no image built on them (the legacy
    /// builder's intermediate images have no tag either but are not dangling: `image prune`
    /// keeps them and `image ls` hides them).
    pub fn dangling(&self) -> impl Iterator<Item = &ImageState> {
        let parents: std::collections::BTreeSet<&ImageId> = self
            .images
            .iter()
            .filter_map(|i| i.parent.as_ref())
            .collect();
        self.images
            .iter()
            .filter(move |i| i.tags.is_empty() && !parents.contains(&i.id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: &str = "sha256:657fdcd1c3651b7b2a4e3f1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e";

    #[test]
    fn an_id_serializes_as_its_plain_string() {
        let layer = LayerState {
            chain_id: ChainId::new(FULL),
            diff_id: DiffId::new(FULL),
            size: 1,
            created_by: String::new(),
        };
        let json = serde_json::to_string(&layer).unwrap();
        assert_eq!(
            json,
            format!(r#"{{"chain_id":"{FULL}","diff_id":"{FULL}","size":1,"created_by":""}}"#)
        );
        assert_eq!(serde_json::from_str::<LayerState>(&json).unwrap(), layer);
    }

    #[test]
    fn short_and_hex_forms() {
        let id = ImageId::new(FULL);
        assert_eq!(id.short(), "657fdcd1c365");
        assert_eq!(id.hex(), &FULL[7..]);
        assert_eq!(id.to_string(), FULL);
        // A container ID has no algorithm before it.
        let c = ContainerId::new(&FULL[7..]);
        assert_eq!(c.short(), "657fdcd1c365");
        assert_eq!(ImageId::new("sha256:abc").short(), "abc");
    }

    #[test]
    fn a_prefix_matches_with_or_without_the_algorithm() {
        let id = ImageId::new(FULL);
        assert!(id.matches_prefix("657f"));
        assert!(id.matches_prefix("sha256:657fdcd1c365"));
        assert!(id.matches_prefix(FULL));
        assert!(!id.matches_prefix(""));
        assert!(!id.matches_prefix("sha256:"));
        assert!(!id.matches_prefix("sha256"));
        assert!(!id.matches_prefix("7fdc"));
        assert!(ContainerId::new(&FULL[7..]).matches_prefix("657fdcd1c365"));
    }

    #[test]
    fn dangling_compares_parent_ids_typed() {
        let parent = ImageId::new(FULL);
        let state = EngineState {
            images: vec![
                ImageState {
                    id: "sha256:child".into(),
                    parent: Some(parent.clone()),
                    tags: vec!["x:latest".into()],
                    ..ImageState::default()
                },
                ImageState {
                    id: parent,
                    ..ImageState::default()
                },
                ImageState {
                    id: "sha256:alone".into(),
                    ..ImageState::default()
                },
            ],
            ..EngineState::default()
        };
        let dangling: Vec<&str> = state.dangling().map(|i| i.id.as_str()).collect();
        assert_eq!(dangling, ["sha256:alone"]);
    }
}
