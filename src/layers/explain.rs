//! What a Docker command changed in the store, computed from the engine state before and after
//! it (and, for a refusal, from Docker's error). The result is data; the tutor words it in the
//! student's language.

use std::collections::{BTreeMap, BTreeSet};

use crate::engine::{ChainId, ContainerId, EngineState, ImageId, ImageState};
use crate::feedback::Tone;
use crate::i18n::Msg;

/// One thing that changed, with the values a sentence needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A new image: how many of its layers were added and how many already existed (shared).
    /// `intermediate`: a legacy builder's image for one instruction (no tag, an image is built
    /// on it), not a dangling one.
    ImageAdded {
        image: String,
        added: usize,
        reused: usize,
        size: u64,
        intermediate: bool,
    },
    /// A tag now names an image that it did not name before.
    TagAdded {
        tag: String,
        image: String,
        other_tags: usize,
    },
    /// A tag moved from one image to another; the old image may now be dangling.
    TagMoved {
        tag: String,
        from: String,
        to: String,
        from_dangling: bool,
    },
    /// An image lost its last tag but stayed: it is dangling now. `container` is one that still
    /// uses it (its name, and whether it runs): `image prune` keeps it as long as that exists.
    NowDangling {
        image: String,
        container: Option<(String, bool)>,
    },
    /// A tag went away but its image stayed with other tags (an image left without any tag is
    /// [`Change::NowDangling`]).
    Untagged {
        tag: String,
        image: String,
        remaining_tags: usize,
    },
    /// An image was deleted.
    ImageDeleted {
        image: String,
        tags: Vec<String>,
    },
    /// Layers were freed: nothing uses them any more.
    LayersFreed {
        count: usize,
        size: u64,
    },
    /// Layers of a deleted image that no image uses but `BuildKit`'s build cache still holds.
    LayersKeptByCache {
        count: usize,
        size: u64,
    },
    /// Layers of a deleted image that a container (stopped: `rmi -f` deleted its image) still
    /// stands on: they stay on disk until the container is removed.
    LayersKeptByContainer {
        count: usize,
        size: u64,
        containers: Vec<String>,
    },
    /// Layers of a deleted image were kept because another image still uses them.
    LayersKept {
        count: usize,
        size: u64,
        used_by: Vec<String>,
    },
    ContainerCreated {
        name: String,
        image: String,
        running: bool,
    },
    ContainerStopped {
        name: String,
    },
    ContainerStarted {
        name: String,
    },
    ContainerRemoved {
        name: String,
    },
    /// A removed container stood on an image already deleted (`rmi -f` with a stopped
    /// container): the layers it alone kept are freed with it.
    ContainerFreedLayers {
        name: String,
        image: String,
    },
    /// A dangling image that a removed container was keeping: nothing uses it now, and
    /// `image prune` would remove it.
    DanglingUnused {
        image: String,
    },
    BuildCacheCleared {
        count: usize,
        size: u64,
    },
    /// `rmi` refused: a container uses the image.
    RefusedContainer {
        image: String,
        container: String,
        running: bool,
        /// The image was named by a tag. With `-f`, Docker removes the tag, then deletes the
        /// image unless a container runs it (a running container keeps it, dangling). By ID,
        /// `-f` deletes it unless the container runs (then `-f` is refused too).
        by_name: bool,
    },
    /// `rmi` by ID refused: several tags name the image. (A running container would have been
    /// named first: the daemon checks for one before the tags, so `-f` deletes this image.)
    RefusedManyTags {
        image: String,
    },
    /// `rmi` refused: images built on top of it need it.
    RefusedChildren {
        image: String,
    },
}

fn name_of(image: &ImageState) -> String {
    image
        .tags
        .first()
        .cloned()
        .unwrap_or_else(|| image.id.short().to_owned())
}

/// The changes between `before` and `after`; `stderr` explains refusals.
#[allow(
    clippy::too_many_lines,
    reason = "one pass per kind of change, each comparing before and after"
)]
pub fn explain(before: &EngineState, after: &EngineState, stderr: &str) -> Vec<Change> {
    let mut changes = Vec::new();
    let old: BTreeMap<&ImageId, &ImageState> = before.images.iter().map(|i| (&i.id, i)).collect();
    let new: BTreeMap<&ImageId, &ImageState> = after.images.iter().map(|i| (&i.id, i)).collect();
    let layers_of = |s: &EngineState| -> BTreeMap<ChainId, u64> {
        s.images
            .iter()
            .flat_map(|i| i.layers.iter().map(|l| (l.chain_id.clone(), l.size)))
            .collect()
    };
    let (old_layers, new_layers) = (layers_of(before), layers_of(after));

    // New images, bottom up (a legacy build's intermediate images before the image built on
    // them): each new layer is counted as added once, by the first image that has it.
    let parents: BTreeSet<&ImageId> = after
        .images
        .iter()
        .filter_map(|i| i.parent.as_ref())
        .collect();
    let mut fresh: Vec<&ImageState> = after
        .images
        .iter()
        .filter(|i| !old.contains_key(&i.id))
        .collect();
    fresh.sort_by_key(|i| i.layers.len());
    let mut said_added: BTreeSet<&ChainId> = BTreeSet::new();
    for image in fresh {
        let added = image
            .layers
            .iter()
            .filter(|l| !old_layers.contains_key(&l.chain_id))
            .filter(|l| said_added.insert(&l.chain_id))
            .count();
        changes.push(Change::ImageAdded {
            image: name_of(image),
            added,
            reused: image.layers.len() - added,
            size: image.size,
            intermediate: image.tags.is_empty() && parents.contains(&image.id),
        });
    }

    // Tags, by tag.
    let tag_map = |s: &EngineState| -> BTreeMap<String, ImageId> {
        s.images
            .iter()
            .flat_map(|i| i.tags.iter().map(|t| (t.clone(), i.id.clone())))
            .collect()
    };
    let (old_tags, new_tags) = (tag_map(before), tag_map(after));
    for (tag, id) in &new_tags {
        match old_tags.get(tag) {
            None if old.contains_key(id) => changes.push(Change::TagAdded {
                tag: tag.clone(),
                image: id.short().to_owned(),
                other_tags: new[id].tags.len() - 1,
            }),
            Some(from) if from != id => changes.push(Change::TagMoved {
                tag: tag.clone(),
                from: from.short().to_owned(),
                to: id.short().to_owned(),
                from_dangling: new.get(from).is_some_and(|i| i.tags.is_empty()),
            }),
            _ => {}
        }
    }
    for (tag, id) in &old_tags {
        if !new_tags.contains_key(tag) {
            if let Some(image) = new.get(id).filter(|i| !i.tags.is_empty()) {
                changes.push(Change::Untagged {
                    tag: tag.clone(),
                    image: id.short().to_owned(),
                    remaining_tags: image.tags.len(),
                });
            }
        }
    }

    // Dangling as Docker means it: no tag and no child (the legacy builder's intermediate
    // images have no tag either, and are not dangling).
    for image in after.dangling() {
        let was_tagged = old.get(&image.id).is_some_and(|o| !o.tags.is_empty());
        if was_tagged {
            changes.push(Change::NowDangling {
                image: image.id.short().to_owned(),
                container: user_of(after, &image.id),
            });
        }
    }

    let held: BTreeSet<&ChainId> = after.cache_layers.iter().collect();
    // A container stands on its image's layers even once `rmi -f` deleted the image (Docker
    // deletes the image record, not the layers under the container).
    let mut under_containers: BTreeMap<&ChainId, BTreeSet<String>> = BTreeMap::new();
    for c in &after.containers {
        if let Some(image) = old.get(&c.image_id) {
            for l in &image.layers {
                under_containers
                    .entry(&l.chain_id)
                    .or_default()
                    .insert(c.name.clone());
            }
        }
    }
    let mut by_container = (0, 0, BTreeSet::new());
    let mut cached = (0, 0);
    let mut freed = (0, 0);
    // Each kept layer once, even when several deleted images had it.
    let mut kept: BTreeMap<&ChainId, u64> = BTreeMap::new();
    let mut used_by = BTreeSet::new();
    for image in &before.images {
        if new.contains_key(&image.id) {
            continue;
        }
        changes.push(Change::ImageDeleted {
            image: image.id.short().to_owned(),
            tags: image.tags.clone(),
        });
        for layer in &image.layers {
            if new_layers.contains_key(&layer.chain_id) {
                kept.insert(&layer.chain_id, layer.size);
                // Named by the images a student sees (`docker images`): not the legacy
                // builder's intermediate images, unless only they keep it.
                let users: Vec<&ImageState> = after
                    .images
                    .iter()
                    .filter(|o| o.layers.iter().any(|l| l.chain_id == layer.chain_id))
                    .collect();
                let visible = |o: &&&ImageState| !(o.tags.is_empty() && parents.contains(&o.id));
                let shown: Vec<&&ImageState> = if users.iter().any(|o| visible(&o)) {
                    users.iter().filter(|o| visible(o)).collect()
                } else {
                    users.iter().collect()
                };
                used_by.extend(shown.into_iter().map(|o| name_of(o)));
            }
        }
    }
    for (chain, size) in &old_layers {
        if new_layers.contains_key(chain) {
            continue;
        }
        if let Some(names) = under_containers.get(chain) {
            by_container.0 += 1;
            by_container.1 += size;
            by_container.2.extend(names.iter().cloned());
            continue;
        }
        let counter = if held.contains(chain) {
            &mut cached
        } else {
            &mut freed
        };
        counter.0 += 1;
        counter.1 += size;
    }
    if freed.0 > 0 {
        changes.push(Change::LayersFreed {
            count: freed.0,
            size: freed.1,
        });
    }
    if by_container.0 > 0 {
        changes.push(Change::LayersKeptByContainer {
            count: by_container.0,
            size: by_container.1,
            containers: by_container.2.into_iter().collect(),
        });
    }
    if cached.0 > 0 {
        changes.push(Change::LayersKeptByCache {
            count: cached.0,
            size: cached.1,
        });
    }
    if !kept.is_empty() {
        changes.push(Change::LayersKept {
            count: kept.len(),
            size: kept.values().sum(),
            used_by: used_by.into_iter().collect(),
        });
    }

    let old_c: BTreeMap<&ContainerId, _> = before.containers.iter().map(|c| (&c.id, c)).collect();
    let new_c: BTreeMap<&ContainerId, _> = after.containers.iter().map(|c| (&c.id, c)).collect();
    for c in &after.containers {
        match old_c.get(&c.id) {
            None => changes.push(Change::ContainerCreated {
                name: c.name.clone(),
                image: c.image.clone(),
                running: c.running,
            }),
            Some(o) if o.running && !c.running => changes.push(Change::ContainerStopped {
                name: c.name.clone(),
            }),
            Some(o) if !o.running && c.running => changes.push(Change::ContainerStarted {
                name: c.name.clone(),
            }),
            _ => {}
        }
    }
    for c in &before.containers {
        if !new_c.contains_key(&c.id) {
            changes.push(Change::ContainerRemoved {
                name: c.name.clone(),
            });
            let image_gone = !c.image_id.as_str().is_empty()
                && !old.contains_key(&c.image_id)
                && !new.contains_key(&c.image_id);
            if image_gone {
                changes.push(Change::ContainerFreedLayers {
                    name: c.name.clone(),
                    image: c.image_id.short().to_owned(),
                });
            }
        }
    }
    // A dangling image a removed container was keeping is now prunable.
    for image in after.dangling() {
        let used = |s: &EngineState| s.containers.iter().any(|c| c.image_id == image.id);
        let was_dangling = before.dangling().any(|i| i.id == image.id);
        if was_dangling && used(before) && !used(after) {
            changes.push(Change::DanglingUnused {
                image: image.id.short().to_owned(),
            });
        }
    }
    if before.build_cache_count > 0 && after.build_cache_count == 0 {
        changes.push(Change::BuildCacheCleared {
            count: before.build_cache_count,
            size: before.build_cache_size,
        });
    }
    changes.extend(refusals(after, stderr));
    changes
}

/// Reads `rmi`'s refusals from what Docker said (its wording lives in
/// [`crate::docker::errors`]).
fn refusals(state: &EngineState, stderr: &str) -> Vec<Change> {
    use crate::docker::errors::{Conflict, DockerError};
    DockerError::recognise(stderr)
        .into_iter()
        .filter_map(|e| match e {
            DockerError::ReferenceInUse {
                reference,
                container,
                ..
            } => Some(Change::RefusedContainer {
                image: reference,
                running: state
                    .containers
                    .iter()
                    .any(|c| c.id.matches_prefix(&container) && c.running),
                container: container_name(state, &container),
                by_name: true,
            }),
            DockerError::DeleteConflict { image, reason } => Some(match reason {
                Conflict::Running(c) => Change::RefusedContainer {
                    image,
                    container: container_name(state, &c),
                    running: true,
                    by_name: false,
                },
                Conflict::Stopped(c) => Change::RefusedContainer {
                    image,
                    container: container_name(state, &c),
                    running: false,
                    by_name: false,
                },
                Conflict::ManyRepositories => Change::RefusedManyTags { image },
                Conflict::Children => Change::RefusedChildren { image },
            }),
            DockerError::NoSuchImage { .. }
            | DockerError::NoSuchContainer { .. }
            | DockerError::NoSuchObject { .. }
            | DockerError::Usage { .. }
            | DockerError::UnknownCommand { .. }
            | DockerError::PullDenied { .. }
            | DockerError::ManifestUnknown { .. } => None,
        })
        .collect()
}

/// A container that uses the image `id` (a running one first): its name and whether it runs.
fn user_of(state: &EngineState, id: &ImageId) -> Option<(String, bool)> {
    let users = || state.containers.iter().filter(|c| &c.image_id == id);
    users()
        .find(|c| c.running)
        .or_else(|| users().next())
        .map(|c| (c.name.clone(), c.running))
}

fn container_name(state: &EngineState, id: &str) -> String {
    state
        .containers
        .iter()
        .find(|c| c.id.matches_prefix(id))
        .map_or_else(|| id.to_owned(), |c| c.name.clone())
}

/// One change, as the tutor says it.
#[allow(clippy::too_many_lines, reason = "one arm per kind of change")]
pub fn explain_msg(change: &crate::layers::explain::Change) -> Msg {
    use crate::docker::units::human_size4;
    use crate::layers::explain::Change as C;
    let size = |n: &u64| human_size4(*n as f64);
    match change {
        C::ImageAdded {
            image,
            added,
            reused,
            size: _,
            intermediate: true,
        } => Msg::ExplainIntermediateAdded {
            image: image.clone(),
            added: *added as i64,
            reused: *reused as i64,
        },
        C::ImageAdded {
            image,
            added,
            reused,
            size: s,
            intermediate: false,
        } => Msg::ExplainImageAdded {
            image: image.clone(),
            size: size(s),
            added: *added as i64,
            reused: *reused as i64,
        },
        C::TagAdded {
            tag,
            image,
            other_tags,
        } => Msg::ExplainTagAdded {
            tag: tag.clone(),
            image: image.clone(),
            others: *other_tags as i64,
        },
        C::TagMoved { tag, from, to, .. } => Msg::ExplainTagMoved {
            tag: tag.clone(),
            from: from.clone(),
            to: to.clone(),
        },
        C::NowDangling {
            image,
            container: None,
        } => Msg::ExplainNowDangling {
            image: image.clone(),
        },
        C::NowDangling {
            image,
            container: Some((name, running)),
        } => Msg::ExplainNowDanglingUsed {
            image: image.clone(),
            container: name.clone(),
            running: yes_no(*running),
        },
        C::Untagged {
            tag,
            image,
            remaining_tags,
        } => Msg::ExplainUntagged {
            tag: tag.clone(),
            image: image.clone(),
            remaining: *remaining_tags as i64,
        },
        C::ImageDeleted { image, tags } if tags.is_empty() => Msg::ExplainImageDeleted {
            image: image.clone(),
        },
        C::ImageDeleted { image, tags } => Msg::ExplainImageDeletedTagged {
            image: image.clone(),
            tags: tags.join(", "),
        },
        C::LayersFreed { count, size: s } => Msg::ExplainLayersFreed {
            count: *count as i64,
            size: size(s),
        },
        C::LayersKeptByCache { count, size: s } => Msg::ExplainLayersKeptByCache {
            count: *count as i64,
            size: size(s),
        },
        C::LayersKeptByContainer {
            count,
            size: s,
            containers,
        } => Msg::ExplainLayersKeptByContainer {
            count: *count as i64,
            size: size(s),
            containers: containers.join(", "),
            users: containers.len() as i64,
        },
        C::LayersKept {
            count,
            size: s,
            used_by,
        } => Msg::ExplainLayersKept {
            count: *count as i64,
            size: size(s),
            images: used_by.join(", "),
            users: used_by.len() as i64,
        },
        C::ContainerCreated {
            name,
            image,
            running: true,
        } => Msg::ExplainContainerRunning {
            name: name.clone(),
            image: image.clone(),
        },
        C::ContainerCreated {
            name,
            image,
            running: false,
        } => Msg::ExplainContainerExited {
            name: name.clone(),
            image: image.clone(),
        },
        C::ContainerStopped { name } => Msg::ExplainContainerStopped { name: name.clone() },
        C::ContainerStarted { name } => Msg::ExplainContainerStarted { name: name.clone() },
        C::ContainerRemoved { name } => Msg::ExplainContainerRemoved { name: name.clone() },
        C::DanglingUnused { image } => Msg::ExplainDanglingUnused {
            image: image.clone(),
        },
        C::ContainerFreedLayers { name, image } => Msg::ExplainContainerFreedLayers {
            name: name.clone(),
            image: image.clone(),
        },
        C::BuildCacheCleared { count, size: s } => Msg::ExplainCacheCleared {
            count: *count as i64,
            size: size(s),
        },
        C::RefusedContainer {
            image,
            container,
            by_name: true,
            running: true,
        } => Msg::ExplainRefusedInUse {
            image: image.clone(),
            container: container.clone(),
        },
        C::RefusedContainer {
            image,
            container,
            by_name: true,
            running: false,
        } => Msg::ExplainRefusedInUseStopped {
            image: image.clone(),
            container: container.clone(),
        },
        C::RefusedContainer {
            image,
            container,
            running: true,
            ..
        } => Msg::ExplainRefusedRunning {
            image: image.clone(),
            container: container.clone(),
        },
        C::RefusedContainer {
            image,
            container,
            running: false,
            ..
        } => Msg::ExplainRefusedStopped {
            image: image.clone(),
            container: container.clone(),
        },
        C::RefusedManyTags { image } => Msg::ExplainRefusedTags {
            image: image.clone(),
        },
        C::RefusedChildren { image } => Msg::ExplainRefusedChildren {
            image: image.clone(),
        },
    }
}

/// A note about a command, as the tutor says it.
pub fn note_msg(note: &crate::layers::mistakes::Note) -> Msg {
    use crate::layers::mistakes::Note as N;
    match note {
        N::PromptWantsY { answer } => Msg::ExplainPromptWantsY {
            answer: answer.clone(),
        },
        N::PruneSpared {
            image,
            container,
            running,
        } => Msg::ExplainPruneSpared {
            image: image.clone(),
            container: container.clone(),
            running: yes_no(*running),
        },
        N::PruneNothing { all } => Msg::ExplainPruneNothing { all: yes_no(*all) },
        N::BuildNoDockerfile { dir, folder_exists } => Msg::ExplainBuildNoDockerfile {
            dir: dir.clone(),
            folder: yes_no(*folder_exists),
            // `.`: said as "the current folder (.)", not "in .".
            here: yes_no(dir == "." || dir == "./"),
        },
        N::BuildNoContext => Msg::ExplainBuildNoContext,
        N::BuildCopyMissing { source } => Msg::ExplainBuildCopyMissing {
            source: source.clone(),
        },
        N::BuildUppercase { name, lower } => Msg::ExplainBuildUppercase {
            name: name.clone(),
            lower: lower.clone(),
        },
        N::BuildNoTag { image } => Msg::ExplainBuildNoTag {
            image: image.clone(),
        },
    }
}

/// How a note is said, and whether it is an explanation (shown only with `explain on`) rather
/// than a mistake named.
pub fn note_tone(note: &crate::layers::mistakes::Note) -> (Tone, bool) {
    use crate::layers::mistakes::Note as N;
    match note {
        N::PruneSpared { .. } | N::PruneNothing { .. } => (Tone::Info, true),
        _ => (Tone::Hint, false),
    }
}

/// A Fluent selector for a yes/no fact.
fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use crate::layers::picture::tests::sample;

    #[test]
    fn removing_an_alias_frees_nothing() {
        let before = sample();
        let mut after = before.clone();
        after.images[0].tags.retain(|t| t != "nginx:monblog_prod");
        assert_eq!(
            explain(&before, &after, ""),
            vec![Change::Untagged {
                tag: "nginx:monblog_prod".into(),
                image: "657fdcd1c365".into(),
                remaining_tags: 1
            }]
        );
    }

    #[test]
    fn removing_the_last_tag_frees_own_layers_and_keeps_shared_ones() {
        let before = sample();
        let mut after = before.clone();
        after.images.remove(0);
        after.containers.clear();
        let changes = explain(&before, &after, "");
        assert!(changes.contains(&Change::ImageDeleted {
            image: "657fdcd1c365".into(),
            tags: vec!["nginx:latest".into(), "nginx:monblog_prod".into()]
        }));
        assert!(changes.contains(&Change::LayersFreed {
            count: 1,
            size: 73_200_000
        }));
        assert!(changes.contains(&Change::LayersKept {
            count: 1,
            size: 78_600_000,
            used_by: vec!["debian:trixie-slim".into(), "memcached:latest".into()]
        }));
    }

    #[test]
    fn layers_the_build_cache_holds_are_not_freed() {
        let before = sample();
        let mut after = before.clone();
        after.images.remove(0);
        after.containers.clear();
        let own = before.images[0]
            .layers
            .last()
            .expect("a layer")
            .chain_id
            .clone();
        after.cache_layers = vec![own];
        let changes = explain(&before, &after, "");
        assert!(changes.contains(&Change::LayersKeptByCache {
            count: 1,
            size: 73_200_000
        }));
        assert!(!changes
            .iter()
            .any(|c| matches!(c, Change::LayersFreed { .. })));
    }

    #[test]
    fn a_pull_reuses_shared_layers() {
        let full = sample();
        let mut before = full.clone();
        before.images.remove(1);
        let changes = explain(&before, &full, "");
        assert_eq!(
            changes,
            vec![Change::ImageAdded {
                image: "memcached:latest".into(),
                added: 1,
                reused: 1,
                size: 85_000_000,
                intermediate: false,
            }]
        );
    }

    #[test]
    fn refusals_are_read_from_dockers_errors() {
        let state = sample();
        let err = "Error response from daemon: conflict: unable to delete 8101c3194bb0 (must be forced) - image is referenced in multiple repositories\n";
        assert_eq!(
            explain(&state, &state, err),
            vec![Change::RefusedManyTags {
                image: "8101c3194bb0".into()
            }]
        );
    }

    /// Every kind of change is said in both languages, with its values.
    #[test]
    #[allow(clippy::too_many_lines, reason = "a table of cases")]
    fn every_change_is_explained_in_both_languages() {
        let s = |v: &str| v.to_owned();
        let cases: Vec<(Change, &[&str], &[&str])> = vec![
            (
                Change::ImageAdded {
                    image: s("nginx:latest"),
                    added: 6,
                    reused: 1,
                    size: 151_871_772,
                    intermediate: false,
                },
                &[
                    "nginx:latest",
                    "6 layers added",
                    "1 layer already there",
                    "151.9MB",
                ],
                &[
                    "nginx:latest",
                    "6 couches ajoutées",
                    "1 couche déjà présente",
                ],
            ),
            (
                Change::ImageAdded {
                    image: s("ff66333b25a7"),
                    added: 1,
                    reused: 1,
                    size: 8_320_000,
                    intermediate: true,
                },
                &[
                    "Intermediate image ff66333b25a7",
                    "not dangling",
                    "1 layer added",
                    "1 already there",
                ],
                &[
                    "Image intermédiaire ff66333b25a7",
                    "pas en suspens",
                    "1 couche ajoutée",
                    "1 déjà présente",
                ],
            ),
            (
                Change::TagAdded {
                    tag: s("nginx:monblog_prod"),
                    image: s("657fdcd1c365"),
                    other_tags: 1,
                },
                &["nginx:monblog_prod", "657fdcd1c365", "only a name"],
                &["nginx:monblog_prod", "qu'un nom"],
            ),
            (
                Change::TagMoved {
                    tag: s("mon_nginx:latest"),
                    from: s("aaa"),
                    to: s("bbb"),
                    from_dangling: true,
                },
                &["moved from image aaa to image bbb"],
                &["est passé de l'image aaa à l'image bbb"],
            ),
            (
                Change::NowDangling {
                    image: s("aaa"),
                    container: None,
                },
                &["aaa", "dangling", "docker image prune removes"],
                &["aaa", "en suspens", "docker image prune supprime"],
            ),
            (
                Change::NowDangling {
                    image: s("aaa"),
                    container: Some((s("web"), true)),
                },
                &[
                    "aaa",
                    "dangling",
                    "running container web uses it",
                    "docker image prune keeps",
                    "docker rm -f web",
                ],
                &[
                    "aaa",
                    "en suspens",
                    "conteneur web (en cours d'exécution) l'utilise",
                    "docker image prune garde",
                    "docker rm -f web",
                ],
            ),
            (
                Change::NowDangling {
                    image: s("aaa"),
                    container: Some((s("old"), false)),
                },
                &["stopped container old", "(docker rm old)"],
                &["conteneur old (arrêté)", "(docker rm old)"],
            ),
            (
                Change::LayersKeptByContainer {
                    count: 1,
                    size: 10_070,
                    containers: vec![s("exited")],
                },
                &[
                    "1 layer stays on disk (10.07kB)",
                    "the container exited still stands on it",
                    "docker rm frees it",
                ],
                &[
                    "1 couche reste sur le disque (10.07kB)",
                    "le conteneur exited repose encore dessus",
                    "docker rm la libère",
                ],
            ),
            (
                Change::LayersKeptByContainer {
                    count: 2,
                    size: 10_070,
                    containers: vec![s("a"), s("b")],
                },
                &["2 layers stay", "the containers a, b still stand on them"],
                &["2 couches restent", "les conteneurs a, b reposent encore"],
            ),
            (
                Change::Untagged {
                    tag: s("nginx:monblog_prod"),
                    image: s("657fdcd1c365"),
                    remaining_tags: 1,
                },
                &[
                    "Only the tag nginx:monblog_prod",
                    "1 tag left",
                    "Nothing was freed",
                ],
                &[
                    "Seul le tag nginx:monblog_prod",
                    "il lui reste 1 tag)",
                    "Rien n'a été libéré",
                ],
            ),
            (
                Change::ImageDeleted {
                    image: s("657fdcd1c365"),
                    tags: vec![s("nginx:latest")],
                },
                &["657fdcd1c365 (nginx:latest) was deleted"],
                &["657fdcd1c365 (nginx:latest) a été supprimée"],
            ),
            (
                Change::ImageDeleted {
                    image: s("657fdcd1c365"),
                    tags: vec![],
                },
                &["Image 657fdcd1c365 was deleted"],
                &["L'image 657fdcd1c365 a été supprimée"],
            ),
            (
                Change::LayersFreed {
                    count: 6,
                    size: 73_257_772,
                },
                &["6 layers were freed", "73.26MB"],
                &["6 couches ont été libérées", "73.26MB"],
            ),
            (
                Change::LayersKeptByCache {
                    count: 2,
                    size: 73_257_772,
                },
                &[
                    "2 layers were kept",
                    "73.26MB",
                    "build cache",
                    "docker builder prune",
                ],
                &[
                    "2 couches ont été conservées",
                    "73.26MB",
                    "cache de construction",
                    "docker builder prune",
                ],
            ),
            (
                Change::LayersKept {
                    count: 1,
                    size: 78_614_000,
                    used_by: vec![s("memcached:latest")],
                },
                &[
                    "1 layer was kept",
                    "78.61MB",
                    "memcached:latest still uses it",
                ],
                &[
                    "1 couche a été conservée",
                    "memcached:latest l'utilise encore",
                ],
            ),
            (
                Change::ContainerCreated {
                    name: s("web"),
                    image: s("nginx"),
                    running: true,
                },
                &["web", "is running"],
                &["web", "tourne"],
            ),
            (
                Change::ContainerCreated {
                    name: s("hi"),
                    image: s("hello-world"),
                    running: false,
                },
                &["hi", "exited"],
                &["hi", "arrêté"],
            ),
            (
                Change::ContainerStopped { name: s("web") },
                &["web was stopped"],
                &["web a été arrêté"],
            ),
            (
                Change::ContainerStarted { name: s("web") },
                &["web was started"],
                &["web a été démarré"],
            ),
            (
                Change::ContainerRemoved { name: s("web") },
                &["web was removed"],
                &["web a été supprimé"],
            ),
            (
                Change::DanglingUnused {
                    image: s("096787121b53"),
                },
                &["096787121b53", "no container uses it", "docker image prune"],
                &[
                    "096787121b53",
                    "aucun conteneur ne l'utilise",
                    "docker image prune",
                ],
            ),
            (
                Change::ContainerFreedLayers {
                    name: s("old"),
                    image: s("657fdcd1c365"),
                },
                &["old stood on image 657fdcd1c365", "freed"],
                &["old reposait sur l'image 657fdcd1c365", "libérées"],
            ),
            (
                Change::BuildCacheCleared {
                    count: 3,
                    size: 1000,
                },
                &["3 records", "1kB"],
                &["3 enregistrements"],
            ),
            (
                Change::RefusedContainer {
                    image: s("nginx"),
                    container: s("web"),
                    running: true,
                    by_name: true,
                },
                &[
                    "running container web uses image nginx",
                    "docker rm -f web",
                    "only remove the tag",
                ],
                &[
                    "le conteneur web, en cours d'exécution, utilise l'image nginx",
                    "retirerait seulement le tag",
                ],
            ),
            (
                Change::RefusedContainer {
                    image: s("hello-world"),
                    container: s("exited"),
                    running: false,
                    by_name: true,
                },
                &[
                    "stopped container exited uses image hello-world",
                    "docker rm exited",
                    "remove the tag and delete the image",
                    "layers would stay on disk for exited",
                ],
                &[
                    "le conteneur arrêté exited utilise l'image hello-world",
                    "retirerait le tag et supprimerait l'image",
                    "couches resteraient sur le disque pour exited",
                ],
            ),
            (
                Change::RefusedContainer {
                    image: s("657f"),
                    container: s("web"),
                    running: true,
                    by_name: false,
                },
                &["running container web", "even -f"],
                &["en cours d'exécution", "même -f"],
            ),
            (
                Change::RefusedContainer {
                    image: s("657f"),
                    container: s("old"),
                    running: false,
                    by_name: false,
                },
                &[
                    "stopped container old",
                    "docker rm old",
                    "the image is then deleted",
                ],
                &["conteneur arrêté old", "l'image est alors supprimée"],
            ),
            (
                Change::RefusedManyTags { image: s("657f") },
                &[
                    "several tags name image 657f",
                    "removes all its tags and deletes",
                ],
                &[
                    "plusieurs tags désignent l'image 657f",
                    "retire alors tous ses tags et supprime",
                ],
            ),
            (
                Change::RefusedChildren { image: s("657f") },
                &["built on image 657f", "Even -f cannot"],
                &["construites sur l'image 657f", "Même -f ne peut pas"],
            ),
        ];
        for (change, en, fr) in cases {
            let msg = explain_msg(&change);
            said_in_both(&format!("{change:?}"), &msg, en, fr);
        }
    }

    fn said_in_both(what: &str, msg: &Msg, en: &[&str], fr: &[&str]) {
        {
            for (lang, words) in [(Lang::En, en), (Lang::Fr, fr)] {
                let (text, errors) = crate::i18n::try_tr(lang, msg);
                assert!(errors.is_empty(), "{what} {lang:?}: {errors:?}");
                for w in words {
                    assert!(text.contains(w), "{what} in {lang:?}: {text:?} lacks {w:?}");
                }
            }
        }
    }

    /// Every note is said in both languages, with its values.
    #[test]
    fn every_note_is_said_in_both_languages() {
        use crate::layers::mistakes::Note;
        let s = |v: &str| v.to_owned();
        let cases: Vec<(Note, &[&str], &[&str])> = vec![
            (
                Note::PromptWantsY { answer: s("oui") },
                &["Docker did nothing", "accepts only y", "“oui”"],
                &[
                    "Docker n'a rien fait",
                    "n'accepte que y",
                    "«\u{202f}oui\u{202f}»",
                ],
            ),
            (
                Note::PruneSpared {
                    image: s("096787121b53"),
                    container: s("web"),
                    running: true,
                },
                &["096787121b53 was not removed", "running container web"],
                &[
                    "096787121b53 n'a pas été supprimée",
                    "web (en cours d'exécution)",
                ],
            ),
            (
                Note::PruneNothing { all: false },
                &["no dangling image", "docker image prune -a"],
                &["aucune image en suspens", "docker image prune -a"],
            ),
            (
                Note::PruneNothing { all: true },
                &["no image that no container uses"],
                &["aucune image n'était inutilisée"],
            ),
            (
                Note::BuildNoDockerfile {
                    dir: s("."),
                    folder_exists: true,
                },
                &["no Dockerfile in the current folder (.)", "(cd)"],
                &["pas de Dockerfile dans le dossier courant (.)", "(cd)"],
            ),
            (
                Note::BuildNoDockerfile {
                    dir: s("Test"),
                    folder_exists: false,
                },
                &["There is no folder Test here", "(cd)"],
                &["Il n'y a pas de dossier Test ici", "(cd)"],
            ),
            (
                Note::BuildNoContext,
                &["build context", "docker build -t NAME ."],
                &["contexte de construction", "docker build -t NOM ."],
            ),
            (
                Note::BuildCopyMissing {
                    source: s("index.html"),
                },
                &["COPY found no index.html"],
                &["COPY n'a trouvé aucun index.html"],
            ),
            (
                Note::BuildUppercase {
                    name: s("Site"),
                    lower: s("site"),
                },
                &["lowercase", "refuses Site", "docker build -t site ."],
                &["minuscules", "refuse Site", "docker build -t site ."],
            ),
            (
                Note::BuildNoTag { image: s("abc") },
                &["no name", "<none>", "docker tag abc NAME"],
                &["pas de nom", "<none>", "docker tag abc NOM"],
            ),
        ];
        for (note, en, fr) in cases {
            said_in_both(&format!("{note:?}"), &note_msg(&note), en, fr);
        }
    }

    /// `rmi -f` of an image a stopped container uses deletes the image, not the layers under
    /// the container; removing the container then frees them.
    #[test]
    fn a_container_keeps_the_layers_of_its_deleted_image() {
        let mut before = sample();
        before.containers[0].running = false;
        before.containers[0].name = "old".into();
        before.containers[0].id = "c0ffee".into();
        let mut after = before.clone();
        after.images.remove(0);
        let changes = explain(&before, &after, "");
        assert!(changes.contains(&Change::LayersKeptByContainer {
            count: 1,
            size: 73_200_000,
            containers: vec!["old".into()]
        }));
        assert!(!changes
            .iter()
            .any(|c| matches!(c, Change::LayersFreed { .. })));
        let mut gone = after.clone();
        gone.containers.clear();
        assert_eq!(
            explain(&after, &gone, ""),
            vec![
                Change::ContainerRemoved { name: "old".into() },
                Change::ContainerFreedLayers {
                    name: "old".into(),
                    image: "657fdcd1c365".into()
                }
            ]
        );
    }

    /// An image that loses its last tag while a container runs it is dangling, kept for the
    /// container; "1 tag left" is never said of an image with none.
    #[test]
    fn an_image_left_without_tags_is_dangling_not_untagged() {
        let before = sample();
        let mut after = before.clone();
        after.images[0].tags.clear();
        let changes = explain(&before, &after, "");
        assert_eq!(
            changes,
            vec![Change::NowDangling {
                image: "657fdcd1c365".into(),
                container: Some((String::new(), true))
            }]
        );
    }

    /// A legacy builder's intermediate image left without a tag is not dangling.
    #[test]
    fn an_intermediate_image_is_not_said_dangling() {
        let mut before = sample();
        before.containers.clear();
        before.images[1].parent = Some(before.images[0].id.clone());
        let mut after = before.clone();
        after.images[0].tags.clear();
        let changes = explain(&before, &after, "");
        assert!(
            !changes
                .iter()
                .any(|c| matches!(c, Change::NowDangling { .. } | Change::Untagged { .. })),
            "{changes:?}"
        );
    }

    /// A legacy build adds an image per instruction: each new layer is said added once, the
    /// intermediate images are said so (not dangling), and a layer two deleted images had is
    /// kept once.
    #[test]
    fn a_legacy_build_counts_each_layer_once() {
        use crate::engine::LayerState;
        let layer = |id: &str, size| LayerState {
            chain_id: id.into(),
            size,
            ..LayerState::default()
        };
        let image =
            |id: &str, tags: &[&str], layers: &[&LayerState], parent: Option<&str>| ImageState {
                layers: layers.iter().map(|l| (*l).clone()).collect(),
                parent: parent.map(|p| format!("sha256:{p:0<64}").into()),
                ..ImageState::named(id, tags)
            };
        let (base, copy, run) = (layer("a", 100), layer("b", 3), layer("c", 0));
        let before = EngineState {
            images: vec![image("a1", &["alpine:latest"], &[&base], None)],
            ..EngineState::default()
        };
        let mut after = before.clone();
        after
            .images
            .push(image("b2", &[], &[&base, &copy], Some("a1")));
        after.images.push(image(
            "c3",
            &["site:latest"],
            &[&base, &copy, &run],
            Some("b2"),
        ));
        let added: Vec<Change> = explain(&before, &after, "");
        assert_eq!(
            added,
            vec![
                Change::ImageAdded {
                    image: "b20000000000".into(),
                    added: 1,
                    reused: 1,
                    size: 0,
                    intermediate: true
                },
                Change::ImageAdded {
                    image: "site:latest".into(),
                    added: 1,
                    reused: 2,
                    size: 0,
                    intermediate: false
                },
            ]
        );
        // Both new images deleted (prune of the old build): the base layer is kept once,
        // named by the image a student sees.
        let pruned = explain(&after, &before, "");
        assert!(
            pruned.contains(&Change::LayersKept {
                count: 1,
                size: 100,
                used_by: vec!["alpine:latest".into()]
            }),
            "{pruned:?}"
        );
    }
}
