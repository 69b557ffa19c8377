//! The only code that prints. Docker's output is printed as the engine returned it (on a
//! terminal, a pull's layer lines are animated the way Docker redraws them, ending on the same
//! final screen); tutor text is coloured by tone when colour is on (a terminal, `NO_COLOR` unset).

use std::io::{self, IsTerminal as _, Write};
use std::thread::sleep;
use std::time::Duration;

use crate::colour::{paint, style};
use crate::docker::units::human_size4;
use crate::engine::{EngineState, ImageState, Outcome, PullEvent};
use crate::feedback::{CommandRole, Feedback, Tone};
use crate::i18n::{tr, Lang, Msg};
use crate::lab::check::Why;
use crate::session::PromptInfo;

/// Prints an outcome: stdout then stderr, animating pulls when that stream is a terminal.
pub(crate) fn print_outcome(outcome: &Outcome, stdout_tty: bool, stderr_tty: bool) {
    // The real engine attached to the terminal: docker printed it all itself.
    if outcome.shown {
        return;
    }
    if let (Some(trace), true) = (&outcome.build, stderr_tty) {
        let width = width();
        let mut err = io::stderr().lock();
        let _ = animate_build(&mut err, trace, width);
        let _ = io::stdout().lock().write_all(outcome.stdout.as_bytes());
        return;
    }
    // `run` pulls on stderr, `pull` on stdout.
    let pulls_on_stderr = outcome
        .pulls
        .iter()
        .any(|p| outcome.stderr.contains(&p.header));
    let mut stdout = io::stdout().lock();
    if stdout_tty && !pulls_on_stderr && !outcome.pulls.is_empty() {
        let _ = animate(&mut stdout, &outcome.stdout, &outcome.pulls, width());
    } else {
        let _ = stdout.write_all(outcome.stdout.as_bytes());
    }
    let _ = stdout.flush();
    let mut stderr = io::stderr().lock();
    if stderr_tty && pulls_on_stderr {
        let _ = animate(&mut stderr, &outcome.stderr, &outcome.pulls, width());
    } else {
        let _ = stderr.write_all(outcome.stderr.as_bytes());
    }
}

fn width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(80)
}

/// Whether a line is one of a pull's per-layer progress lines (`d107e437f729: Waiting`).
fn is_layer_line(line: &str) -> bool {
    line.split_once(": ").is_some_and(|(id, _)| {
        id.len() == 12
            && id
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

/// Writes `text`, replacing each pull's layer lines by an animation that ends as Docker's
/// terminal output ends: one line per layer, `Already exists` or `Pull complete`.
pub(crate) fn animate(
    out: &mut dyn Write,
    text: &str,
    pulls: &[PullEvent],
    width: usize,
) -> io::Result<()> {
    let mut pulls = pulls.iter();
    let mut current: Option<&PullEvent> = None;
    for line in text.split_inclusive('\n') {
        if current.is_some() && is_layer_line(line.trim_end()) {
            continue;
        }
        out.write_all(line.as_bytes())?;
        if let Some(p) = pulls.clone().next().filter(|p| line.trim_end() == p.header) {
            pulls.next();
            current = Some(p);
            draw_layers(out, p, width)?;
        } else if !is_layer_line(line.trim_end()) {
            current = None;
        }
    }
    Ok(())
}

/// The per-layer animation: downloads three at a time, then extraction in order.
fn draw_layers(out: &mut dyn Write, pull: &PullEvent, width: usize) -> io::Result<()> {
    const FRAMES: usize = 12;
    let n = pull.layers.len();
    let status = |i: usize, frame: usize| -> String {
        let (id, size, exists) = &pull.layers[i];
        if *exists {
            return format!("{id}: Already exists");
        }
        // Layer i downloads during frames [start, start + FRAMES/2), three at a time.
        let rank = pull.layers[..i].iter().filter(|l| !l.2).count();
        let start = (rank / 3) * (FRAMES / 4);
        let new_layers = pull.layers.iter().filter(|l| !l.2).count();
        let extract_at = FRAMES + rank * 2;
        if frame < start {
            return if rank < 3 {
                format!("{id}: Pulling fs layer")
            } else {
                format!("{id}: Waiting")
            };
        }
        if frame < start + FRAMES / 2 {
            let done = (frame - start + 1) as f64 / (FRAMES / 2) as f64;
            let current = (*size as f64 * done) as u64;
            return format!("{id}: Downloading {}", progress(current, *size, width));
        }
        if frame < extract_at {
            return format!("{id}: Download complete");
        }
        if frame < extract_at + 2 && frame < FRAMES + new_layers * 2 {
            return format!("{id}: Extracting {}", progress(*size, *size, width));
        }
        format!("{id}: Pull complete")
    };
    let total_frames = FRAMES + pull.layers.iter().filter(|l| !l.2).count() * 2 + 1;
    for frame in 0..total_frames {
        if frame > 0 {
            write!(out, "\x1b[{n}A")?;
        }
        for i in 0..n {
            writeln!(out, "\x1b[2K{}", status(i, frame))?;
        }
        out.flush()?;
        sleep(Duration::from_millis(25));
    }
    Ok(())
}

/// `BuildKit`'s compact terminal view, redrawn as the steps complete one after the other and ending
/// on buildx's final screen (`[+] Building 9.7s (10/10) FINISHED`).
pub(crate) fn animate_build(
    out: &mut dyn Write,
    trace: &crate::build::progress::Trace,
    width: usize,
) -> io::Result<()> {
    use crate::build::progress::{render_tty, Trace};
    let mut shown = 0;
    for k in 1..=trace.vertices.len() {
        let partial = Trace {
            vertices: trace.vertices[..k].to_vec(),
        };
        let text = if k == trace.vertices.len() {
            render_tty(trace, width)
        } else {
            render_tty(&partial, width)
        };
        if shown > 0 {
            write!(out, "\x1b[{shown}A")?;
        }
        for line in text.lines() {
            writeln!(out, "\x1b[2K{line}")?;
        }
        shown = text.lines().count();
        out.flush()?;
        sleep(Duration::from_millis(40));
    }
    Ok(())
}

/// Docker's progress text: a 50-character bar on wide terminals, then `current/total`.
fn progress(current: u64, total: u64, width: usize) -> String {
    let pct = ((current as f64 / total.max(1) as f64 * 100.0) as usize / 2).min(50);
    let bar = if width > 110 {
        format!("[{}>{}] ", "=".repeat(pct), " ".repeat(50 - pct))
    } else {
        String::new()
    };
    format!(
        "{bar}{:>8}/{}",
        human_size4(current as f64),
        human_size4(total as f64)
    )
}

/// Prints feedback and builds prompts.
#[derive(Debug, Clone, Copy)]
pub struct Ui {
    /// Colour on standard output.
    pub colour: bool,
    /// Colour on standard error (decided apart: one may be redirected, not the other).
    pub err_colour: bool,
}

/// Whether standard output gets colour ([`crate::colour::decide`]).
pub(crate) fn colour_enabled() -> bool {
    crate::colour::enabled(crate::colour::Stream::Stdout)
}

impl Ui {
    /// The same choice for both streams.
    pub fn new(colour: bool) -> Ui {
        Ui {
            colour,
            err_colour: colour,
        }
    }

    /// Each stream's colour from the environment and whether it is a terminal.
    pub fn detect() -> Ui {
        use crate::colour::{enabled, Stream};
        Ui {
            colour: enabled(Stream::Stdout),
            err_colour: enabled(Stream::Stderr),
        }
    }

    /// The prompt: `[images 3/16] ~/Test $ `.
    pub fn prompt(&self, p: &PromptInfo) -> String {
        let mut s = String::new();
        if let Some((id, n, total)) = &p.lab {
            s.push_str(&paint(
                self.colour,
                style::PROMPT_LAB,
                &format!("[{id} {n}/{total}]"),
            ));
            s.push(' ');
        }
        s.push_str(&paint(self.colour, style::PROMPT_CWD, &p.cwd));
        s.push_str(" $ ");
        s
    }

    /// A tutor text as it will be printed.
    pub fn render(&self, tone: Tone, text: &str) -> String {
        let style = match tone {
            Tone::Plain => style::PLAIN,
            Tone::Info => style::INFO,
            Tone::Success => style::SUCCESS,
            Tone::Warning => style::WARNING,
            Tone::Error => style::ERROR,
            Tone::Hint => style::HINT,
            Tone::Step => style::STEP,
        };
        paint(self.colour, style, text)
    }

    /// Prints the session's answer, translated into `lang`.
    pub fn print(&self, lang: Lang, feedback: &[Feedback]) {
        let mut out = std::io::stdout().lock();
        for f in feedback {
            match f {
                Feedback::Docker(outcome) => {
                    drop(out);
                    print_outcome(
                        outcome,
                        io::stdout().is_terminal(),
                        io::stderr().is_terminal(),
                    );
                    out = std::io::stdout().lock();
                }
                Feedback::Layers(p) => {
                    let focus = p
                        .focus
                        .as_deref()
                        .and_then(|id| p.state.images.iter().find(|i| i.id == id));
                    let (plain, rich) = picture(lang, &p.state, focus);
                    let _ = out.write_all(if self.colour { rich } else { plain }.as_bytes());
                }
                other => {
                    for (tone, text) in lines(lang, other) {
                        let _ = writeln!(out, "{}", self.render(tone, &text));
                    }
                }
            }
        }
        let _ = out.flush();
    }

    /// Echoes a scripted line after its prompt (piped sessions read like a terminal log).
    pub fn echo(&self, prompt: &str, line: &str) {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{prompt}{line}");
        let _ = out.flush();
    }

    /// Plain lines (docklab's own subcommands).
    pub fn line(&self, text: &str) {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{text}");
    }

    pub fn error(&self, text: &str) {
        let mut err = std::io::stderr().lock();
        let _ = writeln!(err, "{}", paint(self.err_colour, style::ERROR, text));
    }
}

/// The lines one feedback prints, translated into `lang`, each with its tone. Docker's output
/// and the layer picture are not tutor lines: they give none.
pub fn lines(lang: Lang, feedback: &Feedback) -> Vec<(Tone, String)> {
    match feedback {
        Feedback::Tutor { tone, msg } => vec![(*tone, tr(lang, msg))],
        Feedback::Lab { tone, text } => vec![(*tone, text.clone())],
        Feedback::Command { role, line } => vec![match role {
            CommandRole::Solution => (Tone::Plain, format!("    {line}")),
            CommandRole::Skipped => (Tone::Hint, format!("$ {line}")),
            CommandRole::Cleanup => (Tone::Plain, format!("  {line}")),
        }],
        Feedback::Missing(why) => why_lines(lang, why)
            .into_iter()
            .map(|l| (Tone::Warning, format!("  - {l}")))
            .collect(),
        Feedback::Engine(e) => vec![(Tone::Error, tr(lang, &crate::i18n::engine_error(e)))],
        Feedback::Docker(_) | Feedback::Layers(_) | Feedback::Quit => Vec::new(),
    }
}

/// What unmet checks say, one line each, in `lang`: every failing check of an `all`, the
/// alternatives of an `any` indented under its header.
pub(crate) fn why_lines(lang: Lang, why: &Why) -> Vec<String> {
    let mut out = Vec::new();
    push_why(lang, why, &mut out);
    // Two checks can fail for one reason (the image missing for its count and for its
    // config): each line is said once.
    let mut seen = std::collections::HashSet::new();
    out.retain(|l| seen.insert(l.clone()));
    out
}

fn push_why(lang: Lang, why: &Why, out: &mut Vec<String>) {
    match why {
        Why::Msg(m) => out.push(tr(lang, m)),
        Why::All(ws) => {
            for w in ws {
                push_why(lang, w, out);
            }
        }
        Why::Any(ws) => {
            out.push(tr(lang, &Msg::AnyFail));
            for w in ws {
                out.extend(why_lines(lang, w).into_iter().map(|l| format!("  · {l}")));
            }
        }
        Why::Not(w) => {
            let inner = why_lines(lang, w);
            out.push(tr(
                lang,
                &Msg::NotFail {
                    inner: inner.join(" "),
                },
            ));
        }
    }
}

/// The layer picture in `lang`, plain and rich; 80 columns unless `COLUMNS` says otherwise.
pub fn picture(lang: Lang, state: &EngineState, focus: Option<&ImageState>) -> (String, String) {
    use crate::layers::picture::{render, summary, Labels, Style};
    let s = summary(state, focus);
    let running = |n: usize| tr(lang, &Msg::LayersRunning { n: n as i64 });
    let stopped = |n: usize| tr(lang, &Msg::LayersStopped { n: n as i64 });
    let labels = Labels {
        heading: vec![
            tr(
                lang,
                &Msg::LayersSummary {
                    images: s.images as i64,
                    layers: s.layers as i64,
                    shared: s.shared as i64,
                },
            ),
            tr(
                lang,
                &Msg::LayersDisk {
                    size: human_size4(s.disk as f64),
                    naive: human_size4(s.naive as f64),
                },
            ),
        ],
        dangling: tr(lang, &Msg::LayersDangling),
        intermediate: tr(lang, &Msg::LayersIntermediate),
        running: &running,
        stopped: &stopped,
        empty: tr(lang, &Msg::LayersEmpty),
    };
    let width = width();
    (
        render(state, focus, &labels, Style::PLAIN, width),
        render(state, focus, &labels, Style::RICH, width),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn animation_ends_on_dockers_final_screen() {
        let text = "Using default tag: latest\nlatest: Pulling from library/nginx\n\
            aaaaaaaaaaaa: Already exists\nbbbbbbbbbbbb: Pulling fs layer\nbbbbbbbbbbbb: Pull complete\n\
            Digest: sha256:x\n";
        let pull = PullEvent {
            header: "latest: Pulling from library/nginx".into(),
            layers: vec![
                ("aaaaaaaaaaaa".into(), 10, true),
                ("bbbbbbbbbbbb".into(), 20_000_000, false),
            ],
        };
        let mut out = Vec::new();
        animate(&mut out, text, &[pull], 120).expect("in memory");
        let screen = String::from_utf8(out).expect("utf-8");
        let last_frame = screen.rsplit("\x1b[2A").next().expect("frames");
        assert_eq!(
            last_frame,
            "\x1b[2Kaaaaaaaaaaaa: Already exists\n\x1b[2Kbbbbbbbbbbbb: Pull complete\nDigest: sha256:x\n"
        );
        assert!(screen.contains("Downloading [="));
        assert!(
            screen.starts_with("Using default tag: latest\nlatest: Pulling from library/nginx\n")
        );
    }

    #[test]
    fn build_animation_ends_on_buildx_final_screen() {
        use crate::build::progress::{render_tty, Trace, Vertex};
        let mut trace = Trace::default();
        trace.push(Vertex::new(
            "[internal] load build definition from Dockerfile",
            0,
        ));
        trace.push(Vertex::new(
            "[1/2] FROM docker.io/library/debian:trixie-slim",
            10,
        ));
        trace.push(Vertex::new("exporting to image", 100));
        let mut out = Vec::new();
        animate_build(&mut out, &trace, 80).expect("in memory");
        let screen = String::from_utf8(out).expect("utf-8");
        let last = screen.rsplit("\x1b[3A").next().expect("frames");
        let mut want = String::new();
        for l in render_tty(&trace, 80).lines() {
            want.push_str("\x1b[2K");
            want.push_str(l);
            want.push('\n');
        }
        assert_eq!(last, want);
        assert!(
            screen.contains("(1/1)"),
            "starts with the first step: {screen}"
        );
    }

    /// The layout the session's feedback used to carry pre-formatted, now laid out here: unmet
    /// checks as `  - ` lines (alternatives indented under their header), command lines by role,
    /// engine errors in the error tone.
    #[test]
    fn feedback_lines_are_laid_out_by_kind() {
        let absent = |r: &str| {
            Why::Msg(Msg::ImagePresentFail {
                reference: r.to_owned(),
            })
        };
        let why = Why::All(vec![
            absent("nginx:latest"),
            Why::Any(vec![absent("a:1"), absent("b:1")]),
        ]);
        let text = |f: &Feedback| -> Vec<(Tone, String)> { lines(Lang::En, f) };
        assert_eq!(
            text(&Feedback::Missing(why)),
            [
                (
                    Tone::Warning,
                    "  - The image nginx:latest is not there.".to_owned()
                ),
                (Tone::Warning, "  - None of these holds:".to_owned()),
                (
                    Tone::Warning,
                    "  -   · The image a:1 is not there.".to_owned()
                ),
                (
                    Tone::Warning,
                    "  -   · The image b:1 is not there.".to_owned()
                ),
            ]
        );
        let command = |role| Feedback::Command {
            role,
            line: "docker rmi x".to_owned(),
        };
        assert_eq!(
            text(&command(CommandRole::Solution)),
            [(Tone::Plain, "    docker rmi x".to_owned())]
        );
        assert_eq!(
            text(&command(CommandRole::Skipped)),
            [(Tone::Hint, "$ docker rmi x".to_owned())]
        );
        assert_eq!(
            text(&command(CommandRole::Cleanup)),
            [(Tone::Plain, "  docker rmi x".to_owned())]
        );
        let engine = text(&Feedback::Engine(
            crate::engine::EngineError::NotSimulated {
                command: "exec".to_owned(),
            },
        ));
        assert_eq!(engine.len(), 1);
        assert_eq!(engine[0].0, Tone::Error);
        assert_eq!(
            engine[0].1,
            tr(
                Lang::En,
                &Msg::NotSimulated {
                    command: "exec".to_owned()
                }
            )
        );
        assert!(text(&Feedback::Quit).is_empty());
        assert!(text(&Feedback::Docker(Outcome::ok("x\n"))).is_empty());
    }

    #[test]
    fn progress_matches_docker_layout() {
        assert_eq!(progress(0, 29_780_000, 80), "      0B/29.78MB");
        assert!(progress(14_890_000, 29_780_000, 120).starts_with("[=========================>"));
    }
}
