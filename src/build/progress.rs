//! BuildKit's progress as data ([`Trace`]: vertices, their statuses, cached or not, simulated
//! durations) and its two renderings: buildx's `plain` printer (`#N …` blocks, BuildKit's
//! `progressui/printer.go`) and the final screen of its `tty` view (`[+] Building 1.2s (10/10)
//! FINISHED`). Durations are simulated, so the text is deterministic.

// "BuildKit" is a product name, not code.
#![allow(clippy::doc_markdown)]

use std::fmt::Write as _;

/// One status line under a vertex (`transferring dockerfile: 459B`, `writing image sha256:…`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub id: String,
    /// Duration in milliseconds; the plain printer shows it only above 10 ms.
    pub millis: u64,
}

/// One vertex (`[internal] load build context`, `[2/4] RUN …`, `exporting to image`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vertex {
    pub name: String,
    pub statuses: Vec<Status>,
    pub cached: bool,
    pub millis: u64,
    /// What the step printed (a RUN's output), each line with its time from the vertex's start
    /// in milliseconds: `#N 0.051 TEXT` in plain progress.
    pub logs: Vec<(u64, String)>,
    /// The vertex failed with this message (the build stops there).
    pub error: Option<String>,
}

impl Vertex {
    pub fn new(name: impl Into<String>, millis: u64) -> Vertex {
        Vertex {
            name: name.into(),
            statuses: Vec::new(),
            cached: false,
            millis,
            logs: Vec::new(),
            error: None,
        }
    }

    #[must_use]
    pub fn status(mut self, id: impl Into<String>, millis: u64) -> Vertex {
        self.statuses.push(Status {
            id: id.into(),
            millis,
        });
        self
    }
}

/// A whole build's progress.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Trace {
    pub vertices: Vec<Vertex>,
}

impl Trace {
    pub fn push(&mut self, v: Vertex) {
        self.vertices.push(v);
    }

    /// Total simulated time: the vertices run one after the other.
    pub fn total_millis(&self) -> u64 {
        self.vertices.iter().map(|v| v.millis).sum()
    }
}

fn secs(millis: u64) -> String {
    format!("{:.1}s", millis as f64 / 1000.0)
}

/// buildx's `--progress=plain` output (what `auto` prints when stderr is not a terminal).
pub fn render_plain(trace: &Trace) -> String {
    let mut out = String::from("#0 building with \"default\" instance using docker driver\n");
    for (i, v) in trace.vertices.iter().enumerate() {
        let n = i + 1;
        let _ = write!(out, "\n#{n} {}\n", v.name);
        for (millis, line) in &v.logs {
            let _ = writeln!(out, "#{n} {:.3} {line}", *millis as f64 / 1000.0);
        }
        for s in &v.statuses {
            let tm = if s.millis > 10 {
                format!(" {}", secs(s.millis))
            } else {
                String::new()
            };
            let _ = writeln!(out, "#{n} {}{tm} done", s.id);
        }
        if let Some(e) = &v.error {
            let _ = writeln!(out, "#{n} ERROR: {e}");
        } else if v.cached {
            let _ = writeln!(out, "#{n} CACHED");
        } else {
            let _ = writeln!(out, "#{n} DONE {}", secs(v.millis));
        }
    }
    out
}

/// The last frame of buildx's terminal view, `width` columns wide.
pub fn render_tty(trace: &Trace, width: usize) -> String {
    let width = width.max(40);
    let n = trace.vertices.len();
    let failed = trace.vertices.iter().any(|v| v.error.is_some());
    let done = trace.vertices.iter().filter(|v| v.error.is_none()).count();
    // buildx says FINISHED whether the build succeeded or not.
    let _ = failed;
    let head = format!(
        "[+] Building {} ({done}/{n}) FINISHED",
        secs(trace.total_millis())
    );
    let right = "docker:default";
    let pad = width
        .saturating_sub(head.chars().count() + right.len())
        .max(1);
    let mut out = format!("{head}{}{right}\n", " ".repeat(pad));
    let line = |out: &mut String, text: &str, tm: &str| {
        let room = width.saturating_sub(tm.len() + 1);
        let mut text: String = text.chars().take(room).collect();
        let fill = room.saturating_sub(text.chars().count());
        text.push_str(&" ".repeat(fill));
        let _ = writeln!(out, "{text} {tm}");
    };
    for v in &trace.vertices {
        let name = if v.cached {
            format!(" => CACHED {}", v.name)
        } else if v.error.is_some() {
            format!(" => ERROR {}", v.name)
        } else {
            format!(" => {}", v.name)
        };
        line(&mut out, &name, &secs(v.millis));
        for s in &v.statuses {
            line(&mut out, &format!(" => => {}", s.id), &secs(s.millis));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trace() -> Trace {
        let mut t = Trace::default();
        t.push(
            Vertex::new("[internal] load build definition from Dockerfile", 0)
                .status("transferring dockerfile: 459B", 0),
        );
        let mut cached = Vertex::new("[2/4] RUN mkdir -p /x", 0);
        cached.cached = true;
        t.push(cached);
        let mut run = Vertex::new("[3/4] RUN echo hi", 100);
        run.logs.push((51, "hi".to_owned()));
        t.push(run);
        t.push(
            Vertex::new("exporting to image", 100)
                .status("exporting layers", 100)
                .status("writing image sha256:abc", 0),
        );
        t
    }

    #[test]
    fn plain_follows_buildkits_printer() {
        assert_eq!(
            render_plain(&trace()),
            "#0 building with \"default\" instance using docker driver\n\n\
             #1 [internal] load build definition from Dockerfile\n\
             #1 transferring dockerfile: 459B done\n#1 DONE 0.0s\n\n\
             #2 [2/4] RUN mkdir -p /x\n#2 CACHED\n\n\
             #3 [3/4] RUN echo hi\n#3 0.051 hi\n#3 DONE 0.1s\n\n\
             #4 exporting to image\n#4 exporting layers 0.1s done\n\
             #4 writing image sha256:abc done\n#4 DONE 0.1s\n"
        );
    }

    #[test]
    fn tty_frame_aligns_times_on_the_right() {
        let text = render_tty(&trace(), 60);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("[+] Building 0.2s (4/4) FINISHED"));
        assert!(lines[0].ends_with("docker:default"));
        assert!(lines[3].starts_with(" => CACHED [2/4] RUN mkdir -p /x"));
        assert!(lines.iter().all(|l| l.chars().count() == 60), "{text}");
    }
}
