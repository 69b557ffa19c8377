//! The goal picture (`goal`): what the store should look like at the end of the current step,
//! drawn beside what it looks like now, in the style of the layer picture. The goal is derived
//! from the step's checks alone (images present or absent, tags naming one image, image counts,
//! containers); a check that says nothing about images is counted, not drawn.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::colour::style as colours;
use crate::docker::text::ellipsis;
use crate::engine::{EngineState, ImageId, ImageState};
use crate::lab::check::{normalise_ref, Check, ImageCount};

use super::picture::Style;

/// What a container check asks of the containers made from an image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    /// At least one is running (`container_running`).
    Running,
    /// At least one exists, in any state (`container_exists`).
    Exists,
    /// None is running (`not container_running`).
    NoneRunning,
    /// None exists (`not container_exists`).
    None,
}

/// A container check: what the containers made from `image` must be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerGoal {
    pub image: String,
    pub want: Want,
}

/// The end state a step's checks describe.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Goal {
    /// Images that must be there, each as the tags that must name it (one image per set:
    /// `same_image` joins two tags into one set).
    pub images: Vec<Vec<String>>,
    /// Tags that must name no image.
    pub absent: Vec<String>,
    /// Bounds on the number of images or of dangling images.
    pub counts: Vec<ImageCount>,
    pub containers: Vec<ContainerGoal>,
    /// Checks the picture does not draw (files, commands, configuration, layers, alternatives).
    pub other: usize,
}

impl Goal {
    /// The goal of a step whose checks must all hold.
    pub fn derive(checks: &[Check]) -> Goal {
        let mut goal = Goal::default();
        let mut pairs: Vec<[String; 2]> = Vec::new();
        for c in checks {
            goal.add(c, false, &mut pairs);
        }
        for [a, b] in pairs {
            let ia = goal.group_of(&a);
            let ib = goal.group_of(&b);
            if ia != ib {
                let moved = std::mem::take(&mut goal.images[ib]);
                goal.images[ia].extend(moved);
                goal.images[ia].sort();
                goal.images.remove(ib);
            }
        }
        goal
    }

    /// Whether the picture has something to draw.
    pub fn describes_images(&self) -> bool {
        !(self.images.is_empty()
            && self.absent.is_empty()
            && self.counts.is_empty()
            && self.containers.is_empty())
    }

    fn add(&mut self, check: &Check, negated: bool, pairs: &mut Vec<[String; 2]>) {
        match (check, negated) {
            (Check::All(cs), false) => {
                for c in cs {
                    self.add(c, false, pairs);
                }
            }
            (Check::Not(c), _) => self.add(c, !negated, pairs),
            (Check::ImagePresent(r), false) | (Check::ImageAbsent(r), true) => {
                self.group_of(&normalise_ref(r));
            }
            (Check::ImageAbsent(r), false) | (Check::ImagePresent(r), true) => {
                let r = normalise_ref(r);
                if !self.absent.contains(&r) {
                    self.absent.push(r);
                }
            }
            (Check::SameImage([a, b]), false) => {
                let (a, b) = (normalise_ref(a), normalise_ref(b));
                self.group_of(&a);
                self.group_of(&b);
                pairs.push([a, b]);
            }
            (Check::ImageCount(c), false) => self.counts.push(c.clone()),
            (Check::ContainerRunning(r) | Check::ContainerExists(r), n) => {
                let running = matches!(check, Check::ContainerRunning(_));
                let want = match (running, n) {
                    (true, false) => Want::Running,
                    (false, false) => Want::Exists,
                    (true, true) => Want::NoneRunning,
                    (false, true) => Want::None,
                };
                self.containers.push(ContainerGoal {
                    image: normalise_ref(r),
                    want,
                });
            }
            _ => self.other += 1,
        }
    }

    /// The index of the image set holding `tag`, made if there is none.
    fn group_of(&mut self, tag: &str) -> usize {
        if let Some(i) = self.images.iter().position(|g| g.iter().any(|t| t == tag)) {
            return i;
        }
        self.images.push(vec![tag.to_owned()]);
        self.images.len() - 1
    }
}

/// Whether a container goal holds in `state`, and the containers it looked at (name, running).
pub fn container_now(state: &EngineState, goal: &ContainerGoal) -> (bool, Vec<(String, bool)>) {
    let id = state.image(&goal.image).map(|i| &i.id);
    let from: Vec<_> = state
        .containers
        .iter()
        .filter(|c| normalise_ref(&c.image) == goal.image || Some(&c.image_id) == id)
        .collect();
    let running = from.iter().filter(|c| c.running).count();
    let ok = match goal.want {
        Want::Running => running > 0,
        Want::Exists => !from.is_empty(),
        Want::NoneRunning => running == 0,
        Want::None => from.is_empty(),
    };
    (
        ok,
        from.iter().map(|c| (c.name.clone(), c.running)).collect(),
    )
}

/// The number a count goal is about, now.
pub fn count_now(state: &EngineState, count: &ImageCount) -> usize {
    if count.dangling {
        state.dangling().count()
    } else {
        state.images.len()
    }
}

/// Whether every bound of a count goal holds for `n`.
pub fn count_holds(count: &ImageCount, n: usize) -> bool {
    count.equals.is_none_or(|e| n == e)
        && count.at_least.is_none_or(|m| n >= m)
        && count.at_most.is_none_or(|m| n <= m)
}

/// The words of the goal picture in the student's language.
pub struct GoalLabels {
    pub heading: String,
    pub now: String,
    pub goal: String,
    pub dangling: String,
    pub absent: String,
    /// Lines under the table: counts, containers, checks not drawn, the legend.
    pub footer: Vec<(bool, String)>,
    pub legend: String,
}

/// One row of the table: the image now (if any) and what the goal says there.
struct Row<'s> {
    now: Option<&'s ImageState>,
    goal: Vec<Cell>,
}

enum Cell {
    Image { tags: Vec<String>, ok: bool },
    Absent { tag: String, ok: bool },
}

fn name_key(image: &ImageState) -> (bool, String) {
    match image.tags.first() {
        Some(t) => (false, t.clone()),
        None => (true, image.id.to_string()),
    }
}

/// The rows: every image now, in name order, each beside what the goal says of it; then the
/// goal's images that are not there yet and the absent tags that are already gone.
fn rows<'s>(goal: &Goal, state: &'s EngineState) -> Vec<Row<'s>> {
    let mut images: Vec<&ImageState> = state.images.iter().collect();
    images.sort_by_key(|i| name_key(i));
    let mut rows: Vec<Row<'_>> = images
        .iter()
        .map(|i| Row {
            now: Some(i),
            goal: Vec::new(),
        })
        .collect();
    let row_of = |tag: &str| images.iter().position(|i| i.tags.iter().any(|t| t == tag));
    let mut extra: Vec<Row<'_>> = Vec::new();
    for tags in &goal.images {
        let ids: BTreeSet<Option<&ImageId>> =
            tags.iter().map(|t| state.image(t).map(|i| &i.id)).collect();
        let ok = ids.len() == 1 && !ids.contains(&None);
        let cell = Cell::Image {
            tags: tags.clone(),
            ok,
        };
        match tags.iter().find_map(|t| row_of(t)) {
            Some(r) => rows[r].goal.push(cell),
            None => extra.push(Row {
                now: None,
                goal: vec![cell],
            }),
        }
    }
    for tag in &goal.absent {
        match row_of(tag) {
            Some(r) => rows[r].goal.push(Cell::Absent {
                tag: tag.clone(),
                ok: false,
            }),
            None => extra.push(Row {
                now: None,
                goal: vec![Cell::Absent {
                    tag: tag.clone(),
                    ok: true,
                }],
            }),
        }
    }
    rows.extend(extra);
    rows
}

/// Pads or cuts `text` to `width` columns.
fn fit(text: &str, width: usize, unicode: bool) -> String {
    let text = if text.chars().count() <= width {
        text.to_owned()
    } else if unicode {
        ellipsis(text, width)
    } else {
        let mut cut: String = text.chars().take(width.saturating_sub(3)).collect();
        cut.push_str("...");
        cut
    };
    let pad = width.saturating_sub(text.chars().count());
    format!("{text}{}", " ".repeat(pad))
}

fn paint(s: &str, colour: anstyle::Style, style: Style) -> String {
    crate::colour::paint(style.colour, colour, s)
}

fn mark(ok: bool, style: Style) -> String {
    match (ok, style.unicode) {
        (true, true) => paint("✔", colours::SUCCESS, style),
        (false, true) => paint("✘", colours::WARNING, style),
        (true, false) => "ok".to_owned(),
        (false, false) => "--".to_owned(),
    }
}

/// Draws the goal beside the store now: one row per image, the goal's side marked ✔ where it
/// already holds, then the counts and containers the goal asks for.
pub fn render(
    goal: &Goal,
    state: &EngineState,
    labels: &GoalLabels,
    style: Style,
    width: usize,
) -> String {
    let (arrow, cross, bar) = if style.unicode {
        ("◀─", "✗ ", "│")
    } else {
        ("<-", "x ", "|")
    };
    // Two columns, a bar between them and a mark after the goal's column.
    let inner = width.clamp(60, 120) - 2 - 3 - 3;
    let left_w = inner / 2;
    let right_w = inner - left_w;
    let mut out = String::new();
    let _ = writeln!(out, "{}", labels.heading);
    out.push('\n');
    let _ = writeln!(
        out,
        "  {} {bar} {}",
        paint(
            &fit(&labels.now, left_w, style.unicode),
            colours::INFO,
            style
        ),
        paint(&labels.goal, colours::INFO, style)
    );
    for row in rows(goal, state) {
        let left = match row.now {
            None => " ".repeat(left_w),
            Some(image) => {
                let id = image.id.short();
                let (names, colour) = if image.tags.is_empty() {
                    (
                        format!("<none>:<none> ({})", labels.dangling),
                        colours::DANGLING,
                    )
                } else {
                    (image.tags.join(", "), colours::TAGS)
                };
                let room = left_w.saturating_sub(3 + id.len() + 1);
                format!(
                    "{arrow} {} {}",
                    paint(id, colours::IMAGE_ID, style),
                    paint(&fit(&names, room, style.unicode), colour, style)
                )
            }
        };
        if row.goal.is_empty() {
            let _ = writeln!(out, "  {left} {bar}");
            continue;
        }
        for (i, cell) in row.goal.iter().enumerate() {
            let left = if i == 0 { &left } else { &" ".repeat(left_w) };
            let (text, colour, ok) = match cell {
                Cell::Image { tags, ok } => {
                    (format!("{arrow} {}", tags.join(", ")), colours::TAGS, *ok)
                }
                Cell::Absent { tag, ok } => (
                    format!("{cross} {tag} ({})", labels.absent),
                    colours::DIM,
                    *ok,
                ),
            };
            let _ = writeln!(
                out,
                "  {left} {bar} {} {}",
                paint(&fit(&text, right_w, style.unicode), colour, style),
                mark(ok, style)
            );
        }
    }
    if !labels.footer.is_empty() {
        out.push('\n');
    }
    // The sentences under the table are wrapped to the width (never mid-word), a footer line's
    // continuation under its text, not under its mark.
    let room = width.max(24);
    for (ok, line) in &labels.footer {
        let line = crate::ui::wrap(line, room - 4).replace('\n', "\n    ");
        let _ = writeln!(out, "  {} {line}", mark(*ok, style));
    }
    out.push('\n');
    for line in crate::ui::wrap(&labels.legend, room).split('\n') {
        let _ = writeln!(out, "{}", paint(line, colours::DIM, style));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layers::picture::tests::sample;

    fn checks(toml_text: &str) -> Vec<Check> {
        #[derive(serde::Deserialize)]
        struct Step {
            check: Vec<Check>,
        }
        toml::from_str::<Step>(toml_text).expect("checks").check
    }

    #[test]
    fn tags_present_absent_and_same_image_make_the_goal() {
        let goal = Goal::derive(&checks(
            r#"check = [
                { image_present = "nginx" },
                { same_image = ["nginx:latest", "nginx:monblog_prod"] },
                { image_absent = "debian:latest" },
                { not = { image_present = "httpd:2-alpine" } },
                { not = { image_absent = "memcached" } },
            ]"#,
        ));
        assert_eq!(
            goal.images,
            vec![
                vec!["nginx:latest".to_owned(), "nginx:monblog_prod".to_owned()],
                vec!["memcached:latest".to_owned()],
            ]
        );
        assert_eq!(goal.absent, ["debian:latest", "httpd:2-alpine"]);
        assert_eq!(goal.other, 0);
        assert!(goal.describes_images());
    }

    #[test]
    fn same_image_chains_join_into_one_image() {
        let goal = Goal::derive(&checks(
            r#"check = [
                { same_image = ["a", "b"] },
                { same_image = ["c", "d"] },
                { same_image = ["b", "c"] },
            ]"#,
        ));
        assert_eq!(
            goal.images,
            vec![vec!["a:latest", "b:latest", "c:latest", "d:latest"]]
        );
    }

    #[test]
    fn counts_and_containers_are_goals_too() {
        let goal = Goal::derive(&checks(
            r#"check = [
                { all = [{ image_count = { dangling = true, equals = 0 } }] },
                { container_running = "nginx" },
                { not = { container_exists = "alpine" } },
                { not = { container_running = "busybox" } },
            ]"#,
        ));
        assert_eq!(goal.counts.len(), 1);
        assert!(goal.counts[0].dangling);
        assert_eq!(
            goal.containers,
            vec![
                ContainerGoal {
                    image: "nginx:latest".into(),
                    want: Want::Running
                },
                ContainerGoal {
                    image: "alpine:latest".into(),
                    want: Want::None
                },
                ContainerGoal {
                    image: "busybox:latest".into(),
                    want: Want::NoneRunning
                },
            ]
        );
    }

    #[test]
    fn checks_about_other_things_are_counted_not_drawn() {
        let goal = Goal::derive(&checks(
            r#"check = [
                { file_exists = "Test/Dockerfile" },
                { command_ran = { command = "docker images" } },
                { any = [{ image_present = "a" }, { image_present = "b" }] },
                { not = { all = [{ image_present = "a" }] } },
                { layer_count = { image = "a", equals = 2 } },
            ]"#,
        ));
        assert_eq!(goal.other, 5);
        assert!(!goal.describes_images());
    }

    /// The sentences under the table (footer and legend) fit the width, never cut mid-word,
    /// a footer's continuation under its text.
    #[test]
    fn the_sentences_under_the_table_are_wrapped() {
        let goal = Goal::derive(&checks(r#"check = [{ image_present = "nginx" }]"#));
        let long = "a sentence long enough to need more than one line of forty columns".to_owned();
        let labels = GoalLabels {
            heading: "Goal".into(),
            now: "Now".into(),
            goal: "Goal".into(),
            dangling: "dangling".into(),
            absent: "absent".into(),
            footer: vec![(true, long.clone())],
            legend: long,
        };
        let out = render(&goal, &sample(), &labels, Style::PLAIN, 40);
        let under: Vec<&str> = out.lines().skip_while(|l| !l.is_empty()).skip(1).collect();
        let under: Vec<&str> = under.into_iter().skip_while(|l| !l.is_empty()).collect();
        assert!(under.len() >= 5, "{out}");
        for l in &under {
            assert!(l.chars().count() <= 40, "{l:?} in\n{out}");
        }
        assert!(
            under
                .iter()
                .any(|l| l.starts_with("    ") && !l.trim().is_empty()),
            "{out}"
        );
    }

    #[test]
    fn counts_hold_within_every_bound() {
        let c = ImageCount {
            dangling: false,
            equals: None,
            at_least: Some(1),
            at_most: Some(3),
        };
        assert!(!count_holds(&c, 0));
        assert!(count_holds(&c, 2));
        assert!(!count_holds(&c, 4));
    }

    #[test]
    fn rows_put_each_goal_beside_the_image_it_is_about() {
        let state = sample();
        let tagged: Vec<&str> = state
            .images
            .iter()
            .flat_map(|i| i.tags.iter().map(String::as_str))
            .collect();
        let here = tagged[0].to_owned();
        let goal = Goal::derive(&[
            Check::ImagePresent(here.clone()),
            Check::ImageAbsent(here.clone()),
            Check::ImagePresent("nowhere:1".into()),
            Check::ImageAbsent("gone:1".into()),
        ]);
        let rows = rows(&goal, &state);
        assert_eq!(rows.len(), state.images.len() + 2);
        let row = rows
            .iter()
            .find(|r| r.now.is_some_and(|i| i.tags.contains(&here)))
            .expect("the image's row");
        assert!(matches!(
            row.goal.as_slice(),
            [Cell::Image { ok: true, .. }, Cell::Absent { ok: false, .. }]
        ));
        let tail = &rows[state.images.len()..];
        assert!(tail[0].now.is_none());
        assert!(matches!(tail[0].goal[..], [Cell::Image { ok: false, .. }]));
        assert!(matches!(tail[1].goal[..], [Cell::Absent { ok: true, .. }]));
    }
}
