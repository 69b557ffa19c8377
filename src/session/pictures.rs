//! Pictures and explanations: the layer picture of the store, the image a student names, and
//! what the tutor says about each change a Docker command made.

use crate::engine::{EngineState, ImageState};
use crate::feedback::{Feedback, Picture, Tone};
use crate::i18n::Msg;

use super::Session;

impl Session {
    /// The picture of the store's layers, whole or around one image.
    pub fn layers_picture(&mut self, image: Option<&str>) -> Vec<Feedback> {
        // A store that cannot be read is said so, not drawn as an empty one.
        let state = match self.state_with_history() {
            Ok(s) => s,
            Err(e) => return vec![Feedback::Engine(e)],
        };
        let focus = match image {
            None => None,
            Some(name) => match find_image(&state, name) {
                Some(i) => Some(i),
                None => {
                    return vec![self.say(
                        Tone::Warning,
                        &Msg::LayersNoImage {
                            image: name.to_owned(),
                        },
                    )]
                }
            },
        };
        let focus = focus.map(|i| i.id.clone());
        vec![Feedback::Layers(Picture {
            state: (*state).clone(),
            focus,
        })]
    }
}

/// The image a student names in `layers IMAGE`: a tag (`nginx` = `nginx:latest`) or an ID prefix.
pub fn find_image<'s>(state: &'s EngineState, name: &str) -> Option<&'s ImageState> {
    state.image(name).or_else(|| {
        let hex = name.strip_prefix("sha256:").unwrap_or(name);
        (!hex.is_empty())
            .then(|| {
                state
                    .images
                    .iter()
                    .find(|i| i.id.trim_start_matches("sha256:").starts_with(hex))
            })
            .flatten()
    })
}

/// One change, as the tutor says it.
pub(super) fn explain_msg(change: &crate::layers::explain::Change) -> Msg {
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
pub(super) fn note_msg(note: &crate::layers::mistakes::Note) -> Msg {
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
pub(super) fn note_tone(note: &crate::layers::mistakes::Note) -> (Tone, bool) {
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
    use crate::layers::explain::Change;

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
                    "«\u{a0}oui\u{a0}»",
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
                &["no Dockerfile in .", "(cd)"],
                &["pas de Dockerfile dans .", "(cd)"],
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

    /// French typography in the French explanation and check messages: a (narrow) no-break
    /// space before `: ; ! ?` and inside « », never a plain one; « tag », never « étiquette »
    /// (which is LABEL).
    #[test]
    fn french_explanations_follow_french_typography() {
        for (file, text) in [
            ("layers.ftl", include_str!("../../locales/fr/layers.ftl")),
            ("checks.ftl", include_str!("../../locales/fr/checks.ftl")),
            ("lint.ftl", include_str!("../../locales/fr/lint.ftl")),
        ] {
            for (n, line) in text.lines().enumerate() {
                if line.starts_with('#') {
                    continue;
                }
                for bad in [" :", " ;", " !", " ?", "« ", " »", "étiquette"] {
                    assert!(!line.contains(bad), "{file}:{}: {bad:?} in {line}", n + 1);
                }
            }
        }
    }
}
