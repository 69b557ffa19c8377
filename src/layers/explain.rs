//! What a Docker command changed in the store, computed from the engine state before and after
//! it (and, for a refusal, from Docker's error). The result is data; the tutor words it in the
//! student's language.

use std::collections::{BTreeMap, BTreeSet};

use crate::engine::{EngineState, ImageState};
use crate::i18n::Msg;

/// One thing that changed, with the values a sentence needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A new image: how many of its layers were added and how many already existed (shared).
    ImageAdded {
        image: String,
        added: usize,
        reused: usize,
        size: u64,
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
    /// An image lost its last tag but stayed: it is dangling now.
    NowDangling {
        image: String,
    },
    /// A tag went away but its image stayed (it still has other tags, or a container uses it).
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
    BuildCacheCleared {
        count: usize,
        size: u64,
    },
    /// `rmi` refused: a container uses the image.
    RefusedContainer {
        image: String,
        container: String,
        running: bool,
        /// The image was named by a tag: `-f` would only remove the tag. By ID, `-f` deletes
        /// the image unless the container runs.
        by_name: bool,
    },
    /// `rmi` by ID refused: several tags name the image.
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
        .unwrap_or_else(|| short(&image.id).to_owned())
}

fn short(id: &str) -> &str {
    let hex = id.split_once(':').map_or(id, |(_, h)| h);
    hex.get(..12).unwrap_or(hex)
}

/// The changes between `before` and `after`; `stderr` explains refusals.
pub fn explain(before: &EngineState, after: &EngineState, stderr: &str) -> Vec<Change> {
    let mut changes = Vec::new();
    let old: BTreeMap<&str, &ImageState> =
        before.images.iter().map(|i| (i.id.as_str(), i)).collect();
    let new: BTreeMap<&str, &ImageState> =
        after.images.iter().map(|i| (i.id.as_str(), i)).collect();
    let layers_of = |s: &EngineState| -> BTreeMap<String, u64> {
        s.images
            .iter()
            .flat_map(|i| i.layers.iter().map(|l| (l.chain_id.clone(), l.size)))
            .collect()
    };
    let (old_layers, new_layers) = (layers_of(before), layers_of(after));

    for image in &after.images {
        if !old.contains_key(image.id.as_str()) {
            let added = image
                .layers
                .iter()
                .filter(|l| !old_layers.contains_key(&l.chain_id))
                .count();
            changes.push(Change::ImageAdded {
                image: name_of(image),
                added,
                reused: image.layers.len() - added,
                size: image.size,
            });
        }
    }

    // Tags, by tag.
    let tag_map = |s: &EngineState| -> BTreeMap<String, String> {
        s.images
            .iter()
            .flat_map(|i| i.tags.iter().map(|t| (t.clone(), i.id.clone())))
            .collect()
    };
    let (old_tags, new_tags) = (tag_map(before), tag_map(after));
    for (tag, id) in &new_tags {
        match old_tags.get(tag) {
            None if old.contains_key(id.as_str()) => changes.push(Change::TagAdded {
                tag: tag.clone(),
                image: short(id).to_owned(),
                other_tags: new[id.as_str()].tags.len() - 1,
            }),
            Some(from) if from != id => changes.push(Change::TagMoved {
                tag: tag.clone(),
                from: short(from).to_owned(),
                to: short(id).to_owned(),
                from_dangling: new.get(from.as_str()).is_some_and(|i| i.tags.is_empty()),
            }),
            _ => {}
        }
    }
    for (tag, id) in &old_tags {
        if !new_tags.contains_key(tag) {
            if let Some(image) = new.get(id.as_str()) {
                changes.push(Change::Untagged {
                    tag: tag.clone(),
                    image: short(id).to_owned(),
                    remaining_tags: image.tags.len(),
                });
            }
        }
    }

    for image in &after.images {
        let was_tagged = old
            .get(image.id.as_str())
            .is_some_and(|o| !o.tags.is_empty());
        if was_tagged && image.tags.is_empty() {
            changes.push(Change::NowDangling {
                image: short(&image.id).to_owned(),
            });
        }
    }

    let held: BTreeSet<&str> = after.cache_layers.iter().map(String::as_str).collect();
    let mut cached = (0, 0);
    let mut freed = (0, 0);
    let mut kept_count = 0;
    let mut kept_size = 0;
    let mut used_by = BTreeSet::new();
    for image in &before.images {
        if new.contains_key(image.id.as_str()) {
            continue;
        }
        changes.push(Change::ImageDeleted {
            image: short(&image.id).to_owned(),
            tags: image.tags.clone(),
        });
        for layer in &image.layers {
            if new_layers.contains_key(&layer.chain_id) {
                kept_count += 1;
                kept_size += layer.size;
                for other in &after.images {
                    if other.layers.iter().any(|l| l.chain_id == layer.chain_id) {
                        used_by.insert(name_of(other));
                    }
                }
            }
        }
    }
    for (chain, size) in &old_layers {
        if new_layers.contains_key(chain) {
            continue;
        }
        let counter = if held.contains(chain.as_str()) {
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
    if cached.0 > 0 {
        changes.push(Change::LayersKeptByCache {
            count: cached.0,
            size: cached.1,
        });
    }
    if kept_count > 0 {
        changes.push(Change::LayersKept {
            count: kept_count,
            size: kept_size,
            used_by: used_by.into_iter().collect(),
        });
    }

    let old_c: BTreeMap<&str, _> = before
        .containers
        .iter()
        .map(|c| (c.id.as_str(), c))
        .collect();
    let new_c: BTreeMap<&str, _> = after
        .containers
        .iter()
        .map(|c| (c.id.as_str(), c))
        .collect();
    for c in &after.containers {
        match old_c.get(c.id.as_str()) {
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
        if !new_c.contains_key(c.id.as_str()) {
            changes.push(Change::ContainerRemoved {
                name: c.name.clone(),
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
                    .any(|c| c.id.starts_with(&container) && c.running),
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
            | DockerError::UnknownCommand { .. }
            | DockerError::PullDenied { .. }
            | DockerError::ManifestUnknown { .. } => None,
        })
        .collect()
}

fn container_name(state: &EngineState, id: &str) -> String {
    state
        .containers
        .iter()
        .find(|c| c.id.starts_with(id))
        .map_or_else(|| id.to_owned(), |c| c.name.clone())
}

/// One change, as the tutor says it.
pub fn explain_msg(change: &Change) -> Msg {
    use crate::docker::units::human_size4;
    use Change as C;
    let size = |n: &u64| human_size4(*n as f64);
    match change {
        C::ImageAdded {
            image,
            added,
            reused,
            size: s,
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
        C::NowDangling { image } => Msg::ExplainNowDangling {
            image: image.clone(),
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
        C::BuildCacheCleared { count, size: s } => Msg::ExplainCacheCleared {
            count: *count as i64,
            size: size(s),
        },
        C::RefusedContainer {
            image,
            container,
            by_name: true,
            ..
        } => Msg::ExplainRefusedInUse {
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
                size: 85_000_000
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
    fn every_change_is_explained_in_both_languages() {
        let s = |v: &str| v.to_owned();
        let cases: Vec<(Change, &[&str], &[&str])> = vec![
            (
                Change::ImageAdded {
                    image: s("nginx:latest"),
                    added: 6,
                    reused: 1,
                    size: 151_871_772,
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
                Change::TagAdded {
                    tag: s("nginx:monblog_prod"),
                    image: s("657fdcd1c365"),
                    other_tags: 1,
                },
                &["nginx:monblog_prod", "657fdcd1c365", "only a label"],
                &["nginx:monblog_prod", "un nom de plus pour la même image"],
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
                Change::NowDangling { image: s("aaa") },
                &["aaa", "dangling", "docker image prune"],
                &["aaa", "en suspens"],
            ),
            (
                Change::Untagged {
                    tag: s("nginx:monblog_prod"),
                    image: s("657fdcd1c365"),
                    remaining_tags: 1,
                },
                &["Only the tag nginx:monblog_prod", "Nothing was freed"],
                &["Seul le tag nginx:monblog_prod", "Rien n'a été libéré"],
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
                &["container web uses image nginx", "docker rm -f web"],
                &["le conteneur web utilise l'image nginx"],
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
                &["stopped container old", "docker rm old"],
                &["conteneur arrêté old"],
            ),
            (
                Change::RefusedManyTags { image: s("657f") },
                &["several tags name image 657f"],
                &["plusieurs tags désignent l'image 657f"],
            ),
            (
                Change::RefusedChildren { image: s("657f") },
                &["built on image 657f"],
                &["construites sur l'image 657f"],
            ),
        ];
        for (change, en, fr) in cases {
            let msg = explain_msg(&change);
            for (lang, words) in [(Lang::En, en), (Lang::Fr, fr)] {
                let (text, errors) = crate::i18n::try_tr(lang, &msg);
                assert!(errors.is_empty(), "{change:?} {lang:?}: {errors:?}");
                for w in words {
                    assert!(
                        text.contains(w),
                        "{change:?} in {lang:?}: {text:?} lacks {w:?}"
                    );
                }
            }
        }
    }
}
