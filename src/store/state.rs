//! The store's state file: what the blobs alone do not say (references, image metadata, layer
//! records with the sizes Docker shows, containers, build cache). Versioned; written atomically.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::lazy::Lazy;
use super::table::Table;
use super::Digest;

/// The version this build writes and reads. A newer file is refused, not overwritten.
pub const STATE_VERSION: u32 = 4;

/// Everything the simulated daemon knows besides blob contents.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct State {
    pub version: u32,
    /// Images by ID (the digest of their config blob).
    pub images: Table<Digest, ImageRecord>,
    /// References by their full string (`docker.io/library/nginx:latest`,
    /// `docker.io/library/nginx@sha256:…`) to image IDs. A `BTreeMap` keeps Docker's lexical order.
    pub refs: Table<String, Digest>,
    /// Layers by chain ID.
    pub layers: Table<Digest, LayerRecord>,
    /// Containers in creation order.
    pub containers: Lazy<ContainerRecord>,
    /// Build cache records.
    #[serde(default)]
    pub build_cache: Lazy<CacheRecord>,
    /// A counter that makes generated IDs and names unique under a frozen clock.
    pub seq: u64,
}

/// What `image ls` needs of an image without reading its config blob.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageRecord {
    /// The config's `created`, RFC 3339.
    pub created: String,
    /// Chain IDs of its layers, bottom first.
    pub layers: Vec<Digest>,
    /// The manifest blob, when the image came from a registry or a build that wrote one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manifest: Option<Digest>,
    /// The manifest blob's size in bytes.
    #[serde(default)]
    pub manifest_size: u64,
    /// The legacy builder's parent image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<Digest>,
    /// When a tag last moved onto this image (RFC 3339), as `Metadata.LastTagTime`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_tag_time: Option<String>,
    /// Creation order in this store (0 until the command that created the image is saved):
    /// orders images created within the same second, as Docker's whole-second `Created` cannot.
    #[serde(default)]
    pub seq: u64,
    /// The image's size as the state file recorded it ([`State::image_size`], which an image's
    /// layers fix once for all), so that `image ls` need not read the layers; `None` for an
    /// image this command made, or read from an older state file.
    #[serde(skip)]
    pub size: Option<u64>,
}

/// Records are equal when what they say is: the recorded size is derived from the layers.
impl PartialEq for ImageRecord {
    fn eq(&self, other: &ImageRecord) -> bool {
        let ImageRecord {
            created,
            layers,
            manifest,
            manifest_size,
            parent,
            last_tag_time,
            seq,
            size: _,
        } = self;
        *created == other.created
            && *layers == other.layers
            && *manifest == other.manifest
            && *manifest_size == other.manifest_size
            && *parent == other.parent
            && *last_tag_time == other.last_tag_time
            && *seq == other.seq
    }
}

/// One layer of the layer store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayerRecord {
    /// sha256 of the uncompressed tar; also the blob's digest, layers being stored uncompressed.
    pub diff_id: Digest,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<Digest>,
    /// The size Docker shows for this layer (for catalog layers, the real image's size).
    pub size: u64,
}

/// A container's lifecycle state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ContainerStatus {
    Created,
    Running,
    Exited,
}

/// One container.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContainerRecord {
    /// 64 hex digits.
    pub id: String,
    pub name: String,
    pub image: Digest,
    /// The image's top layer (chain ID): the container's read-write layer sits on it and keeps
    /// the image's layers alive even when the image itself is deleted by force.
    #[serde(default)]
    pub top_layer: Option<Digest>,
    /// The image as the user named it (what `ps` shows).
    pub image_name: String,
    pub entrypoint: Vec<String>,
    pub cmd: Vec<String>,
    pub created: String,
    pub status: ContainerStatus,
    #[serde(default)]
    pub started_at: Option<String>,
    #[serde(default)]
    pub finished_at: Option<String>,
    #[serde(default)]
    pub exit_code: i32,
    /// Published ports as `-p` gave them (`8080:80`).
    #[serde(default)]
    pub ports: Vec<String>,
    #[serde(default)]
    pub env: Vec<String>,
    #[serde(default)]
    pub tty: bool,
    #[serde(default)]
    pub interactive: bool,
    #[serde(default)]
    pub auto_remove: bool,
    #[serde(default)]
    pub network: Option<String>,
}

/// A build cache record (one `BuildKit` step result).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CacheRecord {
    pub id: String,
    /// The cache key: parent and instruction (and source contents).
    pub key: String,
    pub kind: String,
    pub description: String,
    pub size: u64,
    pub created: String,
    pub last_used: String,
    pub usage_count: u64,
    /// The layer (chain ID) the step produced, if any.
    #[serde(default)]
    pub layer: Option<Digest>,
    #[serde(default)]
    pub shared: bool,
    #[serde(default)]
    pub in_use: bool,
}

impl State {
    pub fn new() -> State {
        State {
            version: STATE_VERSION,
            ..State::default()
        }
    }

    /// The first damage met while reading the parts of the state that are read on demand
    /// ([`Table`]): what a command computed since is not to be trusted, nor saved.
    pub fn load_error(&self) -> Option<String> {
        self.images
            .error()
            .or_else(|| self.refs.error())
            .or_else(|| self.layers.error())
    }

    /// Reads now every part of the state that is read on demand, and says whether one is
    /// damaged.
    pub fn read_whole(&self) -> Result<(), String> {
        let _ = (self.images.len(), self.refs.len(), self.layers.len());
        self.load_error().map_or(Ok(()), Err)
    }

    /// Every blob the state references: image configs, manifests and layers.
    pub fn live_blobs(&self) -> std::collections::HashSet<Digest> {
        let mut live =
            std::collections::HashSet::with_capacity(self.images.len() * 2 + self.layers.len());
        for (id, image) in &self.images {
            live.insert(id.clone());
            if let Some(m) = &image.manifest {
                live.insert(m.clone());
            }
        }
        for layer in self.layers.values() {
            live.insert(layer.diff_id.clone());
        }
        live
    }

    /// How many images reference a layer (by chain ID).
    pub fn layer_users(&self) -> BTreeMap<&Digest, usize> {
        let mut users: BTreeMap<&Digest, usize> = BTreeMap::new();
        for image in self.images.values() {
            for layer in &image.layers {
                *users.entry(layer).or_default() += 1;
            }
        }
        users
    }

    /// Layers that an image or a container still needs: every layer of every image, and every
    /// layer under a container's read-write layer.
    pub fn layers_in_use(&self) -> std::collections::BTreeSet<&Digest> {
        let mut used: std::collections::BTreeSet<&Digest> =
            self.images.values().flat_map(|i| i.layers.iter()).collect();
        // A container's read-write layer, and BuildKit's cache records (a step's result, a base
        // image it pulled), hold their layer and its parents.
        let tops = self
            .containers
            .iter()
            .map(|c| c.top_layer.as_ref())
            .chain(self.build_cache.iter().map(|r| r.layer.as_ref()));
        for top in tops {
            let mut next = top;
            while let Some(chain) = next {
                if !used.insert(chain) {
                    break;
                }
                next = self.layers.get(chain).and_then(|l| l.parent.as_ref());
            }
        }
        used
    }

    /// The references that point at an image, in Docker's lexical order (found without reading
    /// them all when they were not: a reference's line holds the image's ID).
    pub fn refs_of(&self, id: &Digest) -> Vec<String> {
        self.refs
            .containing(id.hex(), |_, v| v == id)
            .into_iter()
            .map(|(name, _)| name)
            .collect()
    }

    /// Whether an image has children, found without reading them all when they were not.
    pub fn has_children(&self, id: &Digest) -> bool {
        self.images
            .any_containing(id.hex(), |_, r| r.parent.as_ref() == Some(id))
    }

    /// Whether an image uses a layer (by chain ID), found without reading them all when they
    /// were not.
    pub fn layer_has_users(&self, chain: &Digest) -> bool {
        self.images
            .any_containing(chain.hex(), |_, r| r.layers.contains(chain))
    }

    /// The image whose ID starts with `prefix` (hex digits), when exactly one does.
    pub fn image_by_prefix(&self, prefix: &str) -> Option<Digest> {
        let lowest: Digest = format!("sha256:{prefix:0<64}").parse().ok()?;
        let mut found = self
            .images
            .first_from(&lowest, 2)
            .into_iter()
            .filter(|(id, _)| id.hex().starts_with(prefix));
        let (first, _) = found.next()?;
        found.next().is_none().then_some(first)
    }

    /// The size Docker shows for an image: the sum of its layers.
    pub fn image_size(&self, image: &ImageRecord) -> u64 {
        if let Some(size) = image.size {
            return size;
        }
        image
            .layers
            .iter()
            .filter_map(|l| self.layers.get(l))
            .map(|l| l.size)
            .sum()
    }

    /// Numbers the images a command created (`seq` 0) after all others, parents before children
    /// (a legacy build creates a chain of images in one command). When the command changed the
    /// images record by record, only those it changed can be new: the others are not read.
    pub fn number_new_images(&mut self) {
        let mut fresh: Vec<(usize, Digest)> = Vec::new();
        let candidates: Vec<Digest> = if self.images.tracked() {
            self.images.touched().cloned().collect()
        } else {
            self.images.keys().cloned().collect()
        };
        for id in candidates {
            let Some(record) = self.images.get(&id) else {
                continue;
            };
            if record.seq == 0 {
                let mut depth = 0;
                let mut parent = record.parent.as_ref();
                while let Some(p) = parent {
                    depth += 1;
                    if depth > 100_000 {
                        break;
                    }
                    parent = self.images.get(p).and_then(|r| r.parent.as_ref());
                }
                fresh.push((depth, id));
            }
        }
        fresh.sort();
        for (_, id) in fresh {
            self.seq += 1;
            let seq = self.seq;
            if let Some(record) = self.images.get_mut(&id) {
                record.seq = seq;
            }
        }
    }

    /// Every image's references, for commands that walk all images (one pass instead of one per
    /// image).
    pub fn refs_by_image(&self) -> BTreeMap<&Digest, Vec<&str>> {
        let mut map: BTreeMap<&Digest, Vec<&str>> = BTreeMap::new();
        for (name, id) in &self.refs {
            map.entry(id).or_default().push(name);
        }
        map
    }

    /// The images that are some other image's parent.
    pub fn parents(&self) -> std::collections::BTreeSet<&Digest> {
        self.images
            .values()
            .filter_map(|r| r.parent.as_ref())
            .collect()
    }

    /// The part of an image's size in layers that other images use too (`SHARED SIZE`), given
    /// [`State::layer_users`].
    pub fn shared_size(&self, image: &ImageRecord, users: &BTreeMap<&Digest, usize>) -> u64 {
        image
            .layers
            .iter()
            .filter(|l| users.get(l).copied().unwrap_or(0) > 1)
            .filter_map(|l| self.layers.get(l))
            .map(|l| l.size)
            .sum()
    }

    /// Images whose parent is `id` (legacy builder children).
    pub fn children_of<'a>(&'a self, id: &'a Digest) -> impl Iterator<Item = &'a Digest> + 'a {
        self.images
            .iter()
            .filter(move |(_, r)| r.parent.as_ref() == Some(id))
            .map(|(k, _)| k)
    }
}
