//! The engine-independent view of a Docker engine's state that lab checks and the layer picture
//! read. The simulated and the real engine both produce it.

use std::collections::BTreeMap;

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
    pub cache_layers: Vec<String>,
}

/// One image.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ImageState {
    /// `sha256:…`
    pub id: String,
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
    pub parent: Option<String>,
}

/// One layer of an image.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LayerState {
    pub chain_id: String,
    pub diff_id: String,
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
    pub id: String,
    pub name: String,
    /// The image as named at `run`.
    pub image: String,
    pub image_id: String,
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
        let parents: std::collections::BTreeSet<&str> = self
            .images
            .iter()
            .filter_map(|i| i.parent.as_deref())
            .collect();
        self.images
            .iter()
            .filter(move |i| i.tags.is_empty() && !parents.contains(i.id.as_str()))
    }
}
