//! The picture of the store: every layer drawn once, as a tree from base layers upward, with
//! each image's labels attached to its top layer. A chain of single children stays in one
//! column; only a layer that several stacks share opens branches, so the picture fits 80
//! columns however tall the stacks are.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::colour::style as colours;
use crate::docker::text::ellipsis;
use crate::docker::units::human_size;
use crate::engine::{ChainId, EngineState, ImageState};
use crate::feedback::Picture;

/// How to draw: box-drawing characters and colour, or plain ASCII.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub unicode: bool,
    pub colour: bool,
}

impl Style {
    pub const PLAIN: Style = Style {
        unicode: false,
        colour: false,
    };
    pub const RICH: Style = Style {
        unicode: true,
        colour: true,
    };
}

/// The words of the picture that are not Docker's, in the student's language: the heading lines
/// (made from [`summary`]) and the legends.
pub struct Labels<'a> {
    pub heading: Vec<String>,
    pub dangling: String,
    /// For an image without a tag that other images are built on (the legacy builder's
    /// intermediate images): not dangling, `image prune` keeps it.
    pub intermediate: String,
    /// "2 running"
    pub running: &'a dyn Fn(usize) -> String,
    /// "1 stopped"
    pub stopped: &'a dyn Fn(usize) -> String,
    pub empty: String,
}

/// The numbers of the heading: what `system df` counts against what a student would add up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub images: usize,
    pub layers: usize,
    /// Layers used by more than one of the images shown.
    pub shared: usize,
    /// Each layer counted once, as `docker system df` does.
    pub disk: u64,
    /// The sum of the images' sizes, shared layers counted again for every image.
    pub naive: u64,
}

/// The images the picture shows: all, or `focus` and the images sharing a layer with it.
fn shown<'s>(state: &'s EngineState, focus: Option<&ImageState>) -> Vec<&'s ImageState> {
    match focus {
        None => state.images.iter().collect(),
        Some(f) => {
            let mine: BTreeSet<&ChainId> = f.layers.iter().map(|l| &l.chain_id).collect();
            state
                .images
                .iter()
                .filter(|i| i.id == f.id || i.layers.iter().any(|l| mine.contains(&l.chain_id)))
                .collect()
        }
    }
}

/// The heading's numbers.
pub fn summary(state: &EngineState, focus: Option<&ImageState>) -> Summary {
    let images = shown(state, focus);
    let mut users: BTreeMap<&ChainId, (u64, usize)> = BTreeMap::new();
    for image in &images {
        for l in &image.layers {
            users.entry(&l.chain_id).or_insert((l.size, 0)).1 += 1;
        }
    }
    Summary {
        images: images.len(),
        layers: users.len(),
        shared: users.values().filter(|(_, n)| *n > 1).count(),
        disk: users.values().map(|(size, _)| size).sum(),
        naive: images.iter().map(|i| i.size).sum(),
    }
}

/// A layer node of the tree.
struct Node<'a> {
    chain_id: &'a ChainId,
    size: u64,
    created_by: &'a str,
    children: BTreeSet<&'a ChainId>,
    /// Images whose top layer this is.
    images: Vec<&'a ImageState>,
}

fn paint(s: &str, colour: anstyle::Style, style: Style) -> String {
    crate::colour::paint(style.colour, colour, s)
}

/// Draws the store, or with `focus` only that image and the images sharing a layer with it.
pub fn render(
    state: &EngineState,
    focus: Option<&ImageState>,
    labels: &Labels<'_>,
    style: Style,
    width: usize,
) -> String {
    let images = shown(state, focus);
    let mut out = String::new();
    if images.is_empty() {
        out.push_str(&labels.empty);
        out.push('\n');
        return out;
    }
    let mut nodes: BTreeMap<&ChainId, Node<'_>> = BTreeMap::new();
    let mut roots: BTreeSet<&ChainId> = BTreeSet::new();
    let mut no_layers: Vec<&ImageState> = Vec::new();
    for image in &images {
        for (i, layer) in image.layers.iter().enumerate() {
            let node = nodes.entry(&layer.chain_id).or_insert_with(|| Node {
                chain_id: &layer.chain_id,
                size: layer.size,
                created_by: &layer.created_by,
                children: BTreeSet::new(),
                images: Vec::new(),
            });
            if i + 1 == image.layers.len() {
                node.images.push(image);
            }
            match i.checked_sub(1) {
                None => {
                    roots.insert(&layer.chain_id);
                }
                Some(p) => {
                    let parent = &image.layers[p].chain_id;
                    nodes.entry(parent).and_modify(|n| {
                        n.children.insert(&layer.chain_id);
                    });
                }
            }
        }
        if image.layers.is_empty() {
            no_layers.push(image);
        }
    }
    for line in &labels.heading {
        let _ = writeln!(out, "{line}");
    }
    out.push('\n');
    let mut drawer = Drawer {
        out: &mut out,
        nodes: &nodes,
        state,
        labels,
        style,
        width,
    };
    let mut roots: Vec<&ChainId> = roots.into_iter().collect();
    sort_by_label(&mut roots, &nodes);
    for (i, root) in roots.iter().enumerate() {
        drawer.branch(root, "", i + 1 == roots.len(), roots.len() > 1);
    }
    for image in no_layers {
        drawer.image_line(image, "");
    }
    out
}

/// The first name (tag, else image ID) of an image at or above a layer: branches are drawn in
/// that order, so the picture does not depend on the engine's IDs.
fn label(id: &ChainId, nodes: &BTreeMap<&ChainId, Node<'_>>) -> String {
    let Some(node) = nodes.get(id) else {
        return String::new();
    };
    let own = node
        .images
        .iter()
        .map(|i| i.tags.first().cloned().unwrap_or_else(|| i.id.to_string()))
        .min();
    let above = node.children.iter().map(|c| label(c, nodes)).min();
    match (own, above) {
        (Some(a), Some(b)) => a.min(b),
        (Some(a), None) | (None, Some(a)) => a,
        (None, None) => String::new(),
    }
}

fn sort_by_label(ids: &mut [&ChainId], nodes: &BTreeMap<&ChainId, Node<'_>>) {
    ids.sort_by_cached_key(|id| (label(id, nodes), (*id).to_owned()));
}

struct Drawer<'a, 'b> {
    out: &'b mut String,
    nodes: &'b BTreeMap<&'a ChainId, Node<'a>>,
    state: &'b EngineState,
    labels: &'b Labels<'b>,
    style: Style,
    width: usize,
}

impl Drawer<'_, '_> {
    fn glyphs(&self) -> (&'static str, &'static str, &'static str, &'static str) {
        // (branch, last branch, vertical, arrow)
        if self.style.unicode {
            ("├─ ", "└─ ", "│  ", "◀─")
        } else {
            ("+- ", "\\- ", "|  ", "<-")
        }
    }

    /// Draws the chain starting at `id`: single-child links stay in the column, forks indent.
    fn branch(&mut self, id: &ChainId, prefix: &str, last: bool, fork: bool) {
        let (tee, elbow, bar, _) = self.glyphs();
        let (first_prefix, rest_prefix) = if fork {
            (
                format!("{prefix}{}", if last { elbow } else { tee }),
                format!("{prefix}{}", if last { "   " } else { bar }),
            )
        } else {
            (prefix.to_owned(), prefix.to_owned())
        };
        let mut current = id;
        let mut line_prefix = first_prefix;
        loop {
            let Some(node) = self.nodes.get(current) else {
                return;
            };
            self.layer_line(node, &line_prefix);
            line_prefix.clone_from(&rest_prefix);
            for image in &node.images {
                self.image_line(image, &rest_prefix);
            }
            let mut children: Vec<&ChainId> = node.children.iter().copied().collect();
            sort_by_label(&mut children, self.nodes);
            match children.as_slice() {
                [] => return,
                [only] => current = only,
                many => {
                    for (i, child) in many.iter().enumerate() {
                        self.branch(child, &rest_prefix, i + 1 == many.len(), true);
                    }
                    return;
                }
            }
        }
    }

    fn layer_line(&mut self, node: &Node<'_>, prefix: &str) {
        let bullet = if self.style.unicode { "■ " } else { "* " };
        let id = paint(node.chain_id.short(), colours::ID, self.style);
        let size = human_size(node.size as i64);
        let fixed = prefix.chars().count() + 2 + 12 + 2 + 8 + 1;
        let room = self.width.saturating_sub(fixed).max(10);
        let text = node.created_by.replace('\t', " ");
        let by = if self.style.unicode || text.chars().count() <= room {
            ellipsis(&text, room)
        } else {
            // ASCII: three dots instead of the ellipsis character.
            let mut cut: String = text.chars().take(room - 3).collect();
            cut.push_str("...");
            cut
        };
        let _ = writeln!(
            self.out,
            "{prefix}{bullet}{id}  {size:>7} {}",
            paint(&by, colours::DIM, self.style)
        );
    }

    fn image_line(&mut self, image: &ImageState, prefix: &str) {
        let (_, _, _, arrow) = self.glyphs();
        let is_parent = || {
            self.state
                .images
                .iter()
                .any(|i| i.parent.as_ref() == Some(&image.id))
        };
        let names = if image.tags.is_empty() && is_parent() {
            paint(
                &format!("<none>:<none> ({})", self.labels.intermediate),
                colours::DANGLING,
                self.style,
            )
        } else if image.tags.is_empty() {
            paint(
                &format!("<none>:<none> ({})", self.labels.dangling),
                colours::DANGLING,
                self.style,
            )
        } else {
            paint(&image.tags.join(", "), colours::TAGS, self.style)
        };
        let running = self
            .state
            .containers
            .iter()
            .filter(|c| c.image_id == image.id && c.running)
            .count();
        let stopped = self
            .state
            .containers
            .iter()
            .filter(|c| c.image_id == image.id && !c.running)
            .count();
        let mut extra = String::new();
        if running > 0 {
            extra.push_str(&format!("  [{}]", (self.labels.running)(running)));
        }
        if stopped > 0 {
            extra.push_str(&format!("  [{}]", (self.labels.stopped)(stopped)));
        }
        let _ = writeln!(
            self.out,
            "{prefix}  {arrow} {} {names}  {}{extra}",
            paint(image.id.short(), colours::IMAGE_ID, self.style),
            human_size(image.size as i64),
        );
    }
}

/// The picture `layers [IMAGE]` asks for: the whole store, or centred on the image named; an
/// image that is not there is the error, with the name as typed.
pub fn request(state: &EngineState, image: Option<&str>) -> Result<Picture, String> {
    let focus = match image {
        None => None,
        Some(name) => match find_image(state, name) {
            Some(i) => Some(i.id.clone()),
            None => return Err(name.to_owned()),
        },
    };
    Ok(Picture {
        state: state.clone(),
        focus,
    })
}

/// The image a student names in `layers IMAGE`: a tag (`nginx` = `nginx:latest`) or an ID prefix.
pub fn find_image<'s>(state: &'s EngineState, name: &str) -> Option<&'s ImageState> {
    state
        .image(name)
        .or_else(|| state.images.iter().find(|i| i.id.matches_prefix(name)))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::docker::units::human_size4;
    use crate::engine::{ContainerState, DiffId, LayerState};

    fn layer(id: &str, size: u64, by: &str) -> LayerState {
        LayerState {
            chain_id: format!("sha256:{id:0<64}").into(),
            diff_id: DiffId::default(),
            size,
            created_by: by.into(),
        }
    }

    fn labels(state: &EngineState) -> Labels<'static> {
        let s = summary(state, None);
        Labels {
            heading: vec![
                format!(
                    "{} images, {} layers ({} shared)",
                    s.images, s.layers, s.shared
                ),
                format!(
                    "on disk: {}; sum of image sizes: {}",
                    human_size4(s.disk as f64),
                    human_size4(s.naive as f64)
                ),
            ],
            dangling: "dangling".into(),
            intermediate: "intermediate".into(),
            running: &|n| format!("{n} running"),
            stopped: &|n| format!("{n} stopped"),
            empty: "no images".into(),
        }
    }

    pub(crate) fn sample() -> EngineState {
        let base = layer(
            "aaa",
            78_600_000,
            "# debian.sh --arch 'amd64' out/ 'trixie' '@1760918400'",
        );
        let nginx = ImageState {
            id: format!("sha256:{:0<64}", "657fdcd1c365").into(),
            tags: vec!["nginx:latest".into(), "nginx:monblog_prod".into()],
            size: 151_800_000,
            layers: vec![
                base.clone(),
                layer(
                    "bbb",
                    73_200_000,
                    "RUN /bin/sh -c set -x && apt-get install nginx # buildkit",
                ),
            ],
            ..ImageState::default()
        };
        let memcached = ImageState {
            id: format!("sha256:{:0<64}", "8101c3194bb0").into(),
            tags: vec!["memcached:latest".into()],
            size: 85_000_000,
            layers: vec![
                base.clone(),
                layer(
                    "ccc",
                    6_400_000,
                    "RUN /bin/sh -c apt-get install memcached # buildkit",
                ),
            ],
            ..ImageState::default()
        };
        let debian = ImageState {
            id: format!("sha256:{:0<64}", "d1d1d1d1d1d1").into(),
            tags: vec!["debian:trixie-slim".into()],
            size: 78_600_000,
            layers: vec![base],
            ..ImageState::default()
        };
        EngineState {
            images: vec![nginx.clone(), memcached, debian],
            containers: vec![ContainerState {
                image_id: nginx.id,
                running: true,
                ..ContainerState::default()
            }],
            ..EngineState::default()
        }
    }

    #[test]
    fn shared_base_is_drawn_once_with_a_branch_per_image() {
        let state = sample();
        let text = render(&state, None, &labels(&state), Style::PLAIN, 80);
        assert_eq!(
            text,
            "3 images, 3 layers (1 shared)
on disk: 158.2MB; sum of image sizes: 315.4MB

* aaa000000000   78.6MB # debian.sh --arch 'amd64' out/ 'trixie' '@1760918400'
  <- d1d1d1d1d1d1 debian:trixie-slim  78.6MB
+- * ccc000000000    6.4MB RUN /bin/sh -c apt-get install memcached # buildkit
|    <- 8101c3194bb0 memcached:latest  85MB
\\- * bbb000000000   73.2MB RUN /bin/sh -c set -x && apt-get install nginx # ...
     <- 657fdcd1c365 nginx:latest, nginx:monblog_prod  152MB  [1 running]
"
        );
        for line in text.lines() {
            assert!(line.chars().count() <= 80, "{line}");
        }
    }

    /// The legacy builder's intermediate images have no tag but are not dangling: the picture
    /// says which is which.
    #[test]
    fn an_intermediate_image_is_not_called_dangling() {
        let mut state = sample();
        // nginx's image loses its tags; memcached is built on it (legacy builder parent), and
        // debian loses its tags with no child: dangling.
        state.images[0].tags.clear();
        state.images[1].parent = Some(state.images[0].id.clone());
        state.images[2].tags.clear();
        let text = render(&state, None, &labels(&state), Style::PLAIN, 80);
        assert!(
            text.contains("657fdcd1c365 <none>:<none> (intermediate)"),
            "{text}"
        );
        assert!(
            text.contains("d1d1d1d1d1d1 <none>:<none> (dangling)"),
            "{text}"
        );
        assert_eq!(state.dangling().count(), 1);
    }

    #[test]
    fn focus_keeps_the_image_and_its_relatives() {
        let state = sample();
        let text = render(
            &state,
            Some(&state.images[1]),
            &labels(&state),
            Style::PLAIN,
            80,
        );
        assert!(text.contains("memcached:latest"));
        assert!(text.contains("nginx:latest"), "shares the base layer");
        let lonely = EngineState {
            images: vec![state.images[1].clone()],
            ..EngineState::default()
        };
        let text = render(&lonely, None, &labels(&lonely), Style::RICH, 80);
        assert!(text.contains("\x1b[1m\x1b[36mmemcached:latest\x1b[0m"));
        assert!(text.contains("■ "));
    }
}
