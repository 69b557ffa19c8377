//! `docker save` / `docker load`: round trips, crafted archives that must be refused without
//! touching the store, and (with `DOCKLAB_TEST_DOCKER=1`) the real engine loading what docklab
//! saved.

use std::path::Path;
use std::process::Command;

fn docklab(home: &Path, dir: &Path, line: &str) -> (i32, String, String) {
    let words = shell_words::split(line).expect("splits");
    let out = Command::new(env!("CARGO_BIN_EXE_docklab"))
        .arg("docker")
        .args(&words)
        .env("DOCKLAB_HOME", home)
        .env("DOCKLAB_CLOCK", "2025-10-29T12:00:00Z")
        .env_remove("DOCKER_BUILDKIT")
        .current_dir(dir)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A ustar header block for `name` (type `kind`, `size` bytes, link target `link`).
fn header(name: &str, kind: u8, size: u64, link: &str) -> Vec<u8> {
    let mut h = vec![0u8; 512];
    h[..name.len()].copy_from_slice(name.as_bytes());
    h[100..107].copy_from_slice(b"0000644");
    h[108..115].copy_from_slice(b"0000000");
    h[116..123].copy_from_slice(b"0000000");
    h[124..135].copy_from_slice(format!("{size:011o}").as_bytes());
    h[136..147].copy_from_slice(b"00000000000");
    h[156] = kind;
    h[157..157 + link.len()].copy_from_slice(link.as_bytes());
    h[257..263].copy_from_slice(b"ustar\0");
    h[263..265].copy_from_slice(b"00");
    h[148..156].copy_from_slice(b"        ");
    let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
    h[148..155].copy_from_slice(format!("{sum:06o}\0").as_bytes());
    h
}

fn file(name: &str, body: &[u8]) -> Vec<u8> {
    let mut out = header(name, b'0', body.len() as u64, "");
    out.extend_from_slice(body);
    out.resize(out.len().div_ceil(512) * 512, 0);
    out
}

fn end(mut tar: Vec<u8>) -> Vec<u8> {
    tar.extend(vec![0u8; 1024]);
    tar
}

#[test]
fn crafted_archives_are_refused_and_leave_the_store_alone() {
    let home = tempfile::tempdir().expect("home");
    let dir = tempfile::tempdir().expect("dir");
    let manifest = br#"[{"Config":"c.json","RepoTags":["evil:1"],"Layers":["l.tar"]}]"#;
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("dotdot", end(file("../evil", b"x")), "would be written outside the target"),
        ("absolute", end(file("/etc/evil", b"x")), "would be written outside the target"),
        (
            "symlink",
            end([header("l.tar", b'2', 0, "../../etc/passwd"), file("manifest.json", manifest)].concat()),
            "points outside the archive",
        ),
        (
            "hardlink",
            end([header("l.tar", b'1', 0, "/etc/passwd"), file("manifest.json", manifest)].concat()),
            "points outside the archive",
        ),
        (
            "huge-pax",
            end(header("././@PaxHeader", b'x', 1 << 32, "")),
            "a metadata header of",
        ),
        ("truncated", file("manifest.json", &[b'x'; 2000])[..700].to_vec(), "truncated"),
        (
            "huge-entry",
            end(header("manifest.json", b'0', (1 << 33) - 1, "")),
            "truncated",
        ),
        (
            "huge-longname",
            end(header("././@LongLink", b'L', (1 << 33) - 1, "")),
            "a metadata header of",
        ),
        (
            "link-loop",
            end([
                header("a", b'2', 0, "b"),
                header("b", b'2', 0, "a"),
                header("manifest.json", b'2', 0, "a"),
            ]
            .concat()),
            "no manifest.json",
        ),
        (
            "symlinked-manifest",
            end(header("manifest.json", b'2', 0, "../../../../etc/passwd")),
            "points outside the archive",
        ),
        (
            "device",
            end([header("dev", b'3', 0, ""), file("manifest.json", manifest)].concat()),
            "is not a file, directory or link",
        ),
        ("not-tar", b"this is not a tar archive at all".repeat(40), "tar archive"),
        ("empty", Vec::new(), "tar archive"),
        (
            "bad-digest",
            end([
                file("manifest.json", manifest),
                file("c.json", br#"{"architecture":"amd64","config":{},"created":"2025-01-01T00:00:00Z","history":[],"os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:0000000000000000000000000000000000000000000000000000000000000000"]}}"#),
                file("l.tar", &end(Vec::new())),
            ]
            .concat()),
            "has digest sha256:",
        ),
    ];
    for (name, bytes, message) in cases {
        std::fs::write(dir.path().join(name), bytes).expect("write");
        let (code, stdout, stderr) = docklab(home.path(), dir.path(), &format!("load -i {name}"));
        assert_eq!(code, 1, "{name}: {stdout}{stderr}");
        assert!(stderr.contains(message), "{name}: {stderr}");
        let (_, images, _) = docklab(home.path(), dir.path(), "images -aq");
        assert_eq!(images, "", "{name} left an image");
    }
    let blobs = home.path().join("store/blobs/sha256");
    let left: Vec<_> = std::fs::read_dir(&blobs)
        .map(|d| d.flatten().collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "blobs left behind: {left:?}");
}

#[test]
fn save_then_load_round_trips_and_real_docker_accepts_it() {
    let home = tempfile::tempdir().expect("home");
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(
        dir.path().join("Dockerfile"),
        "FROM debian:trixie-slim\nCOPY page.html /srv/\nCMD [\"cat\", \"/srv/page.html\"]\n",
    )
    .expect("write");
    std::fs::write(dir.path().join("page.html"), "<p>hi</p>\n").expect("write");
    let (code, id, err) = docklab(home.path(), dir.path(), "build -q -t dl-archive-test:1 .");
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = docklab(home.path(), dir.path(), "save -o img.tar dl-archive-test:1");
    assert_eq!(code, 0, "{err}");
    let other = tempfile::tempdir().expect("home");
    let (code, out, err) = docklab(other.path(), dir.path(), "load -i img.tar");
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "Loaded image: dl-archive-test:1\n");
    let (_, again, _) = docklab(
        other.path(),
        dir.path(),
        "images -q --no-trunc dl-archive-test:1",
    );
    assert_eq!(again, id);

    if std::env::var("DOCKLAB_TEST_DOCKER").as_deref() != Ok("1") {
        println!("notice: set DOCKLAB_TEST_DOCKER=1 to load the archive into the real docker too");
        return;
    }
    let out = Command::new("docker")
        .args(["load", "-i"])
        .arg(dir.path().join("img.tar"))
        .output()
        .expect("docker runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "Loaded image: dl-archive-test:1\n"
    );
    let inspect = Command::new("docker")
        .args(["image", "inspect", "-f", "{{.Id}}", "dl-archive-test:1"])
        .output()
        .expect("docker runs");
    assert_eq!(String::from_utf8_lossy(&inspect.stdout), id);
    let _ = Command::new("docker")
        .args(["rmi", "dl-archive-test:1"])
        .output();
}
