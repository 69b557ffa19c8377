//! `image ls` reads the store's image listing (`state.list`, written with each rewrite of the
//! state file) and the journal's changes since, instead of the state's images and references
//! whole: it must print exactly what the state read whole gives, after every kind of change, and
//! fsck must notice and mend a listing that disagrees with the state file.

use std::path::Path;

use crate::support::docklab_at;

fn run(home: &Path, cwd: &Path, clock: &str, args: &[&str], env: &[(&str, &str)]) -> String {
    let o = docklab_at(home)
        .env("DOCKLAB_CLOCK", clock)
        .env_remove("DOCKER_BUILDKIT")
        .current_dir(cwd)
        .args(args)
        .envs(env.iter().copied())
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    assert_eq!(o.status.code(), Some(0), "{args:?}: {stderr}");
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The `image ls` forms whose output is compared.
const LISTINGS: &[&[&str]] = &[
    &["docker", "images"],
    &["docker", "images", "-a"],
    &["docker", "images", "-a", "--digests", "--no-trunc"],
    &["docker", "images", "-q"],
    &["docker", "images", "--filter", "dangling=true"],
    &["docker", "images", "--filter", "dangling=false", "-a"],
    &["docker", "images", "--filter", "reference=a*"],
    &["docker", "images", "alpine"],
    &[
        "docker",
        "images",
        "--format",
        "{{.Repository}}:{{.Tag}} {{.ID}} {{.Digest}} {{.CreatedAt}} {{.Size}}",
    ],
];

/// Every listing form, read through the listing, then with the listing set aside (the state
/// read whole): the same text.
fn assert_listings_agree(home: &Path, cwd: &Path, clock: &str, step: &str) {
    let listing = home.join("store/state.list");
    let aside = home.join("store/state.list.aside");
    for args in LISTINGS {
        let through = run(home, cwd, clock, args, &[]);
        let had = listing.exists();
        if had {
            std::fs::rename(&listing, &aside).expect("set aside");
        }
        let whole = run(home, cwd, clock, args, &[]);
        if had {
            std::fs::rename(&aside, &listing).expect("put back");
        }
        assert_eq!(through, whole, "after {step}, {args:?}");
    }
}

/// The generation a state file or a listing names.
fn generation(path: &Path, prefix: &str) -> Option<u64> {
    let text = std::fs::read_to_string(path).ok()?;
    text.lines()
        .find_map(|l| l.strip_prefix(prefix))
        .and_then(|g| g.trim().parse().ok())
}

/// A command, its environment and the clock it runs at.
type Step<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)], &'a str);

#[test]
fn image_ls_through_the_listing_prints_what_the_whole_state_gives() {
    let home = tempfile::tempdir().expect("home");
    let dir = tempfile::tempdir().expect("cwd");
    std::fs::write(
        dir.path().join("Dockerfile"),
        "FROM alpine\nRUN echo one > /one\nRUN echo two > /two\nCMD [\"sh\"]\n",
    )
    .expect("Dockerfile");
    let legacy = [("DOCKER_BUILDKIT", "0")];
    // (command, environment, clock): the clock moves on for some steps and stands still for
    // others, so that images created in one second are ordered by their sequence numbers.
    let steps: &[Step] = &[
        (&["docker", "pull", "alpine"], &[], "2025-10-29T12:00:00Z"),
        (
            &["docker", "pull", "hello-world"],
            &[],
            "2025-10-29T12:00:00Z",
        ),
        (&["store", "compact"], &[], "2025-10-29T12:00:00Z"),
        (&["docker", "pull", "busybox"], &[], "2025-10-29T12:01:00Z"),
        (
            &["docker", "tag", "alpine", "a:1"],
            &[],
            "2025-10-29T12:01:00Z",
        ),
        (
            &["docker", "tag", "alpine", "b/c:2"],
            &[],
            "2025-10-29T12:01:00Z",
        ),
        (
            &["docker", "tag", "hello-world", "a:2"],
            &[],
            "2025-10-29T12:02:00Z",
        ),
        // A tag moved from one image to another.
        (
            &["docker", "tag", "busybox", "a:2"],
            &[],
            "2025-10-29T12:02:00Z",
        ),
        // A legacy build: intermediate images, children of each other.
        (
            &["docker", "build", "-t", "built", "."],
            &legacy,
            "2025-10-29T12:03:00Z",
        ),
        (
            &["docker", "build", "-t", "kit:1", "."],
            &[],
            "2025-10-29T12:03:00Z",
        ),
        (&["store", "compact"], &[], "2025-10-29T12:04:00Z"),
        (
            &["docker", "tag", "built", "localhost:5000/x/y:z"],
            &[],
            "2025-10-29T12:04:00Z",
        ),
        (&["docker", "rmi", "a:1"], &[], "2025-10-29T12:05:00Z"),
        // The same name built again: the old image is left dangling.
        (
            &["docker", "build", "-t", "kit:1", "--build-arg", "X=1", "."],
            &legacy,
            "2025-10-29T12:06:00Z",
        ),
        (
            &["docker", "rmi", "hello-world"],
            &[],
            "2025-10-29T12:07:00Z",
        ),
        (
            &["docker", "rmi", "-f", "busybox"],
            &[],
            "2025-10-29T12:07:00Z",
        ),
        (
            &["docker", "image", "prune", "-f"],
            &[],
            "2025-10-29T12:08:00Z",
        ),
        (
            &["docker", "tag", "alpine", "after/prune:1"],
            &[],
            "2025-10-29T12:08:00Z",
        ),
    ];
    for (args, env, clock) in steps {
        run(home.path(), dir.path(), clock, args, env);
        assert_listings_agree(home.path(), dir.path(), clock, &args.join(" "));
    }
    // The listing was there to be read, for the state file's generation, with changes in the
    // journal beside it.
    let store = home.path().join("store");
    assert!(store.join("state.journal").exists());
    assert_eq!(
        generation(&store.join("state.list"), "docklab-list 1 "),
        generation(&store.join("state.v4"), "generation "),
    );
}

#[test]
fn a_listing_that_disagrees_with_the_state_is_mended_by_fsck() {
    let home = tempfile::tempdir().expect("home");
    let dir = tempfile::tempdir().expect("cwd");
    let clock = "2025-10-29T12:00:00Z";
    let go = |args: &[&str]| run(home.path(), dir.path(), clock, args, &[]);
    go(&["docker", "pull", "alpine"]);
    go(&["store", "compact"]);
    let before = go(&["docker", "images"]);
    let path = home.path().join("store/state.list");
    let listing = std::fs::read_to_string(&path).expect("a listing");
    // An image's size changed by hand: `image ls` reads the listing, so it shows it...
    let row = listing.lines().nth(1).expect("a row").to_owned();
    let mut fields: Vec<&str> = row.split(' ').collect();
    fields[4] = "123456789";
    std::fs::write(&path, listing.replacen(&row, &fields.join(" "), 1)).expect("edit");
    assert!(go(&["docker", "images"]).contains("123MB"));
    // ...until fsck finds it is not what the state file makes, and writes it again.
    let fsck = go(&["store", "fsck"]);
    assert!(fsck.contains("state.list"), "{fsck}");
    assert_eq!(std::fs::read_to_string(&path).expect("listing"), listing);
    assert_eq!(go(&["docker", "images"]), before);
    assert!(
        !go(&["store", "fsck"]).contains("state.list"),
        "mended once"
    );
    // A listing cut short, or of another generation, is not read.
    std::fs::write(&path, &listing[..listing.len() / 2]).expect("cut");
    assert_eq!(go(&["docker", "images"]), before);
    std::fs::write(
        &path,
        listing.replacen("docklab-list 1 ", "docklab-list 1 9", 1),
    )
    .expect("another generation");
    assert_eq!(go(&["docker", "images"]), before);
    assert!(go(&["store", "fsck"]).contains("state.list"));
    assert_eq!(std::fs::read_to_string(&path).expect("listing"), listing);
}
