//! `docklab lab generate --seed N`: a practice lab drawn from a seed. A random but plausible
//! start state (images of the offline catalog, extra tags, a small build, containers running
//! and stopped, prepared by `[start]`'s images, files and commands) and one goal drawn from the
//! course's skills, with checks on the end state, hints, a named mistake and a reference
//! solution. The same seed gives the same file, byte for byte: the random numbers come from
//! splitmix64, written here, not from a crate whose algorithm could change between versions.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::docker::reference::Reference;

/// splitmix64 (Steele, Lea, Flood 2014): tiny, fast, and fixed forever.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0; 0 gives 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        // The modulo bias is below 2^-50 for the small n used here.
        (self.next_u64() % n as u64) as usize
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi.saturating_sub(lo) + 1)
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// Fisher–Yates.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }

    /// `n` distinct items, in a random order.
    pub fn sample<T: Clone>(&mut self, items: &[T], n: usize) -> Vec<T> {
        let mut all = items.to_vec();
        self.shuffle(&mut all);
        all.truncate(n);
        all
    }
}

/// Catalog images whose program keeps running in a detached container.
const SERVERS: &[&str] = &[
    "nginx",
    "nginx:alpine",
    "httpd",
    "httpd:alpine",
    "redis",
    "memcached",
    "postgres",
];

/// Catalog images whose program ends at once (a shell with no terminal, a message).
const TOOLS: &[&str] = &[
    "alpine",
    "busybox",
    "debian:trixie-slim",
    "debian:bookworm-slim",
    "ubuntu",
    "hello-world",
    "python:3-slim",
    "rockylinux:9",
    "almalinux",
    "oraclelinux:9",
    "archlinux",
    "debian",
];

/// Large catalog images (tens of MB and more), for the space to free.
const BIG: &[&str] = &[
    "ubuntu",
    "debian",
    "python:3-slim",
    "rockylinux:9",
    "almalinux",
    "archlinux",
    "postgres",
    "httpd",
];

/// Bases for the practice build: small images with a shell.
const BASES: &[&str] = &["alpine", "busybox", "debian:trixie-slim"];

const REPOS: &[&str] = &[
    "web", "shop", "api", "site", "blog", "cache", "store", "tools", "front", "backend",
];
const TAGS: &[&str] = &[
    "v1", "v2", "1.0", "2.1", "prod", "test", "stable", "dev", "old",
];
const APPS: &[&str] = &["app", "hello", "notes", "greeter", "report", "motd"];
const NAMES: &[&str] = &[
    "web", "front", "cache", "db", "queue", "proxy", "job", "batch", "probe", "once", "trial",
    "monitor",
];

/// The goal kinds, one per skill of the course.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Goal {
    /// Free at least X MB without removing image Y.
    FreeSpace,
    /// Leave exactly these tags.
    ExactTags,
    /// Remove every dangling image but keep the build cache.
    DanglingKeepCache,
    /// Remove an image a stopped container uses.
    UsedByStopped,
    /// Keep only the images running containers need.
    KeepRunning,
}

const GOALS: &[Goal] = &[
    Goal::FreeSpace,
    Goal::ExactTags,
    Goal::DanglingKeepCache,
    Goal::UsedByStopped,
    Goal::KeepRunning,
];

/// The practice build: `repo:tag` from `dir`, on `base`; `rebuilt`: built once from `dir/old`
/// first, so the first image is left dangling; `old_container`: a stopped container of that
/// first image, which keeps it.
#[derive(Debug, Clone)]
struct Build {
    reference: String,
    dir: String,
    base: String,
    rebuilt: bool,
    old_container: Option<String>,
}

/// The start state being drawn.
#[derive(Debug, Clone, Default)]
struct Plan {
    /// Pulled catalog references, in order.
    images: Vec<String>,
    /// (new tag, image it names), in order.
    tags: Vec<(String, String)>,
    build: Option<Build>,
    /// (container name, image reference) running.
    running: Vec<(String, String)>,
    /// (container name, image reference) stopped.
    stopped: Vec<(String, String)>,
}

impl Plan {
    /// Every reference naming the same image as `image` (itself and its extra tags).
    fn refs_of(&self, image: &str) -> Vec<String> {
        std::iter::once(image.to_owned())
            .chain(
                self.tags
                    .iter()
                    .filter(|(_, target)| target == image)
                    .map(|(t, _)| t.clone()),
            )
            .collect()
    }

    /// Catalog images a container uses or a build is based on.
    fn held(&self) -> BTreeSet<String> {
        self.running
            .iter()
            .chain(&self.stopped)
            .map(|(_, r)| r.clone())
            .chain(self.build.iter().map(|b| b.base.clone()))
            .collect()
    }

    /// How many images (distinct IDs) the start state has: the catalog images, the build and,
    /// when it was rebuilt, its first, dangling, image.
    fn image_count(&self) -> usize {
        self.images.len()
            + self
                .build
                .as_ref()
                .map_or(0, |b| 1 + usize::from(b.rebuilt))
    }

    fn all_tags(&self) -> Vec<String> {
        let mut all: Vec<String> = self
            .images
            .iter()
            .cloned()
            .chain(self.tags.iter().map(|(t, _)| t.clone()))
            .chain(self.build.iter().map(|b| b.reference.clone()))
            .map(|r| norm(&r))
            .collect();
        all.sort();
        all.dedup();
        all
    }
}

fn norm(r: &str) -> String {
    crate::lab::check::normalise_ref(r)
}

/// The bytes the catalog images `refs` take together, each layer (same layers below it) once.
fn catalog_size<'a>(refs: impl Iterator<Item = &'a String>) -> u64 {
    let catalog = crate::catalog::catalog();
    let mut seen = BTreeSet::new();
    let mut total = 0;
    for r in refs {
        let Ok(parsed) = Reference::parse(r) else {
            continue;
        };
        let tag = parsed.tag().unwrap_or("latest").to_owned();
        let Some(image) = catalog.find(parsed.path(), &tag) else {
            continue;
        };
        let mut chain = String::new();
        for layer in &image.layers {
            chain.push_str(&layer.diff_id);
            if seen.insert(chain.clone()) {
                total += layer.size;
            }
        }
    }
    total
}

/// A generated lab's texts and checks, before they are written out.
struct Step {
    title: (String, String),
    text: (String, String),
    hints: Vec<(String, String)>,
    solution: Vec<String>,
    checks: Vec<String>,
    /// (id, `when` check, explanation fr, en).
    mistake: (String, String, String, String),
}

/// The practice lab of `seed`, as a lab file's text.
pub fn generate(seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let goal = *rng.pick(GOALS);
    let plan = draw_plan(&mut rng, goal);
    let step = match goal {
        Goal::FreeSpace => free_space(&mut rng, &plan),
        Goal::ExactTags => exact_tags(&mut rng, &plan),
        Goal::DanglingKeepCache => dangling(&plan),
        Goal::UsedByStopped => used_by_stopped(&mut rng, &plan),
        Goal::KeepRunning => keep_running(&plan),
    };
    render(seed, &plan, &step)
}

/// The lab id of a seed's practice lab.
pub fn lab_id(seed: u64) -> String {
    format!("practice-{seed}")
}

/// The seed of a practice lab id: `practice-` then the seed in decimal, as [`lab_id`] writes
/// it (one id per seed: no leading zero, no sign).
pub fn seed_of(id: &str) -> Option<u64> {
    let digits = id.strip_prefix("practice-")?;
    let seed: u64 = digits.parse().ok()?;
    (seed.to_string() == digits).then_some(seed)
}

/// A seed for the shell's `practice`, from the clock: the second, modulo a million, so that it
/// is short enough to read out and type (`practice 418305`).
pub fn clock_seed(now: jiff::Timestamp) -> u64 {
    now.as_second().rem_euclid(1_000_000).unsigned_abs()
}

impl crate::lab::Catalog {
    /// Adds the practice lab of `seed` (after the others) unless the catalog lists it already:
    /// the shell's `practice`, so that `labs` and `progress` show it at once.
    pub fn add_practice(&mut self, seed: u64, origin: crate::lab::Origin) {
        let id = lab_id(seed);
        if self.labs.iter().any(|l| l.id == id) {
            return;
        }
        if let Some(lab) = practice_lab(&id) {
            self.insert(lab.clone(), origin);
        }
    }

    /// Adds the practice labs started in `home` (those with a run directory), after the others,
    /// in seed order: `labs`, `grade` and `report` show them once started.
    #[must_use]
    pub fn with_practice_runs(mut self, home: &std::path::Path) -> crate::lab::Catalog {
        let Ok(entries) = std::fs::read_dir(home.join("runs")) else {
            return self;
        };
        let mut seeds: Vec<u64> = entries
            .filter_map(|e| seed_of(e.ok()?.file_name().to_str()?))
            .collect();
        seeds.sort_unstable();
        for seed in seeds {
            let id = lab_id(seed);
            let file = home.join("practice").join(format!("{id}.toml"));
            self.add_practice(seed, crate::lab::Origin::File(file));
        }
        self
    }
}

/// The practice lab of a `practice-N` id, generated once per seed and kept for the process:
/// every catalog knows every practice lab, so that `start practice-N`, `verify` and `grade`
/// find it with no file.
pub fn practice_lab(id: &str) -> Option<&'static crate::lab::Lab> {
    use std::collections::BTreeMap;
    use std::sync::{Mutex, OnceLock, PoisonError};
    static CACHE: OnceLock<Mutex<BTreeMap<u64, &'static crate::lab::Lab>>> = OnceLock::new();
    let seed = seed_of(id)?;
    let mut cache = CACHE
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    if let Some(lab) = cache.get(&seed) {
        return Some(lab);
    }
    let lab = crate::lab::Lab::parse(&format!("{id}.toml"), &generate(seed)).ok()?;
    // A few kB per seed a process asks for; never freed, like the catalog.
    let lab: &'static crate::lab::Lab = Box::leak(Box::new(lab));
    cache.insert(seed, lab);
    Some(lab)
}

fn draw_plan(rng: &mut Rng, goal: Goal) -> Plan {
    let mut plan = Plan::default();
    let n_servers = rng.range(1, 2);
    let servers = rng.sample(SERVERS, n_servers);
    let n_tools = rng.range(2, 4);
    let mut tools: Vec<String> = rng
        .sample(TOOLS, n_tools)
        .into_iter()
        .map(str::to_owned)
        .collect();
    let mut names = rng.sample(NAMES, NAMES.len());
    let mut repos = rng.sample(REPOS, REPOS.len());
    // A build, except where it would only get in the way; always for the dangling goal.
    let wants_build = match goal {
        Goal::DanglingKeepCache => true,
        Goal::UsedByStopped => false,
        _ => rng.below(2) == 0,
    };
    if wants_build {
        let base = (*rng.pick(BASES)).to_owned();
        if !tools.iter().any(|t| norm(t) == norm(&base)) {
            tools.push(base.clone());
        }
        let app = *rng.pick(APPS);
        let rebuilt = goal == Goal::DanglingKeepCache || rng.below(2) == 0;
        let old_container = (goal == Goal::DanglingKeepCache && rng.below(2) == 0)
            .then(|| names.pop().unwrap_or_default().to_owned());
        plan.build = Some(Build {
            reference: format!("{app}:{}", rng.pick(&["1", "1.0", "v1", "latest"])),
            dir: app.to_owned(),
            base,
            rebuilt,
            old_container,
        });
    }
    plan.images = servers
        .iter()
        .map(|s| (*s).to_owned())
        .chain(tools.iter().cloned())
        .collect();
    rng.shuffle(&mut plan.images);
    // Extra tags on catalog images: more for the tag goal.
    let n_tags = if goal == Goal::ExactTags {
        rng.range(3, 4)
    } else {
        rng.range(0, 2)
    };
    for _ in 0..n_tags {
        let target = rng.pick(&plan.images).clone();
        let tag = format!("{}:{}", repos.pop().unwrap_or_default(), rng.pick(TAGS));
        plan.tags.push((tag, target));
    }
    // Containers: every server runs (one, at least), some tools ran and stopped.
    for s in &servers {
        if plan.running.is_empty() || rng.below(3) > 0 {
            plan.running
                .push((names.pop().unwrap_or_default().to_owned(), (*s).to_owned()));
        }
    }
    let n_stopped = match goal {
        Goal::UsedByStopped | Goal::KeepRunning => rng.range(1, 2),
        _ => rng.range(0, 1),
    };
    for t in rng.sample(&tools, n_stopped) {
        plan.stopped
            .push((names.pop().unwrap_or_default().to_owned(), t));
    }
    // Space to free: two large images nothing uses.
    if goal == Goal::FreeSpace {
        let mut big: Vec<&str> = BIG
            .iter()
            .copied()
            .filter(|b| !plan.images.iter().any(|i| norm(i) == norm(b)))
            .collect();
        rng.shuffle(&mut big);
        for b in big.into_iter().take(2) {
            let at = rng.below(plan.images.len() + 1);
            plan.images.insert(at, b.to_owned());
        }
    }
    plan
}

fn list(items: &[String]) -> String {
    items.join(", ")
}

fn free_space(rng: &mut Rng, plan: &Plan) -> Step {
    let held = plan.held();
    let all: Vec<String> = plan.images.clone();
    // The images nothing holds, largest first (alone; shared layers stay with the others).
    let mut free: Vec<(u64, String)> = all
        .iter()
        .filter(|r| !held.contains(*r))
        .map(|r| {
            let others: Vec<String> = all.iter().filter(|o| *o != r).cloned().collect();
            (
                catalog_size(all.iter()) - catalog_size(others.iter()),
                r.clone(),
            )
        })
        .collect();
    free.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    // Keep: an image nothing holds if there are two of them, else a held one.
    let keep = if free.len() >= 2 {
        free.remove(rng.below(free.len())).1
    } else {
        held.iter()
            .find(|h| all.contains(*h))
            .cloned()
            .unwrap_or_else(|| all[0].clone())
    };
    let remove: Vec<String> = free.iter().take(2).map(|(_, r)| r.clone()).collect();
    let kept: Vec<String> = all
        .iter()
        .filter(|r| !remove.contains(r))
        .cloned()
        .collect();
    let before = catalog_size(all.iter());
    let after = catalog_size(kept.iter());
    // A margin of 1 MB covers the practice build's small layers.
    let limit = after.div_ceil(1_000_000) + 1;
    let to_free = before / 1_000_000 - limit.min(before / 1_000_000);
    let refs: Vec<String> = remove.iter().flat_map(|r| plan.refs_of(r)).collect();
    Step {
        title: (
            format!("Libérer {to_free} MB"),
            format!("Free {to_free} MB"),
        ),
        text: (
            format!(
                "Le disque manque de place. Ramenez la taille totale des images à au plus {limit} MB (la ligne Images de docker system df, colonne SIZE), soit environ {to_free} MB libérés, sans supprimer l'image {keep} et sans arrêter de conteneur."
            ),
            format!(
                "The disk is short of space. Bring the total size of the images down to at most {limit} MB (the Images line of docker system df, SIZE column), about {to_free} MB freed, without removing the image {keep} and without stopping any container."
            ),
        ),
        hints: vec![
            (
                "docker system df donne le total ; docker images donne la taille de chaque image, mais les couches partagées n'y sont comptées qu'une fois dans le total.".to_owned(),
                "docker system df gives the total; docker images gives each image's size, but shared layers count only once in the total.".to_owned(),
            ),
            (
                "Une image utilisée par un conteneur, ou sur laquelle une image construite repose, libère peu ou rien. Cherchez les grosses images que rien n'utilise (docker ps -a montre les conteneurs) ; une image à plusieurs tags ne part qu'avec son dernier tag.".to_owned(),
                "An image a container uses, or that a built image rests on, frees little or nothing. Look for the large images nothing uses (docker ps -a shows the containers); an image with several tags goes only with its last tag.".to_owned(),
            ),
            (
                format!("Par exemple : docker rmi {}", refs.join(" ")),
                format!("For example: docker rmi {}", refs.join(" ")),
            ),
        ],
        solution: vec![format!("docker rmi {}", refs.join(" "))],
        checks: vec![
            format!("{{ images_size_mb = {{ at_most = {limit} }} }}"),
            format!("{{ image_present = {} }}", q(&keep)),
        ]
        .into_iter()
        .chain(
            plan.running
                .iter()
                .map(|(_, r)| format!("{{ container_running = {} }}", q(r))),
        )
        .collect(),
        mistake: (
            "removed-kept-image".to_owned(),
            format!("{{ image_absent = {} }}", q(&keep)),
            format!("L'image {keep} devait rester. docker pull {keep} la ramène ; libérez la place avec d'autres images."),
            format!("The image {keep} had to stay. docker pull {keep} brings it back; free the space with other images."),
        ),
    }
}

fn exact_tags(rng: &mut Rng, plan: &Plan) -> Step {
    // Remove some extra tags (never an image's last one), and add one.
    let mut drop: Vec<String> = plan
        .tags
        .iter()
        .filter(|_| rng.below(3) > 0)
        .map(|(t, _)| t.clone())
        .collect();
    if drop.is_empty() {
        drop.push(plan.tags[0].0.clone());
    }
    let target = rng.pick(&plan.images).clone();
    let used: BTreeSet<String> = plan.all_tags().into_iter().collect();
    let new_tag = (0..64_usize)
        .map(|i| {
            format!(
                "{}:{}",
                REPOS[(i + rng.below(REPOS.len())) % REPOS.len()],
                rng.pick(&["prod", "stable", "2.0", "v3", "release"])
            )
        })
        .find(|t| !used.contains(&norm(t)))
        .unwrap_or_else(|| "practice:new".to_owned());
    let mut want: Vec<String> = plan
        .all_tags()
        .into_iter()
        .filter(|t| !drop.iter().any(|d| norm(d) == *t))
        .collect();
    want.push(norm(&new_tag));
    want.sort();
    let quoted: Vec<String> = want.iter().map(|t| q(t)).collect();
    let dropped = list(&drop);
    Step {
        title: ("Exactement ces tags".to_owned(), "Exactly these tags".to_owned()),
        text: (
            format!(
                "Faites en sorte que le moteur ait exactement ces tags, ni plus ni moins : {}. Le nouveau tag {new_tag} doit désigner l'image {target}. Aucune image ne doit disparaître.",
                list(&want)
            ),
            format!(
                "Make the engine hold exactly these tags, no more, no fewer: {}. The new tag {new_tag} must name the image {target}. No image may disappear.",
                list(&want)
            ),
        ),
        hints: vec![
            (
                "docker images liste les tags ; comparez avec la liste demandée : certains sont en trop, un manque.".to_owned(),
                "docker images lists the tags; compare them with the list asked for: some are too many, one is missing.".to_owned(),
            ),
            (
                "docker rmi sur un tag qu'une image partage avec d'autres ne fait que retirer ce tag (Untagged) ; docker tag SOURCE CIBLE ajoute un tag.".to_owned(),
                "docker rmi on a tag an image shares with others only removes that tag (Untagged); docker tag SOURCE TARGET adds a tag.".to_owned(),
            ),
            (
                format!("docker rmi {} puis docker tag {target} {new_tag}", drop.join(" ")),
                format!("docker rmi {}, then docker tag {target} {new_tag}", drop.join(" ")),
            ),
        ],
        solution: vec![
            format!("docker rmi {}", drop.join(" ")),
            format!("docker tag {target} {new_tag}"),
        ],
        checks: vec![
            format!("{{ tags_exactly = [{}] }}", quoted.join(", ")),
            format!("{{ same_image = [{}, {}] }}", q(&target), q(&new_tag)),
            format!("{{ image_count = {{ equals = {} }} }}", plan.image_count()),
        ],
        mistake: (
            "image-lost".to_owned(),
            format!(
                "{{ any = [{}] }}",
                plan.images
                    .iter()
                    .filter(|i| want.contains(&norm(i)))
                    .map(|i| format!("{{ image_absent = {} }}", q(i)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            format!("Une image a disparu : docker rmi sur le dernier tag d'une image supprime l'image. docker pull la ramène ; seuls {dropped} devaient partir."),
            format!("An image is gone: docker rmi on an image's last tag deletes the image. docker pull brings it back; only {dropped} had to go."),
        ),
    }
}

fn dangling(plan: &Plan) -> Step {
    let build = plan.build.as_ref();
    let reference = build.map_or_else(String::new, |b| b.reference.clone());
    let holder = build.and_then(|b| b.old_container.clone());
    let mut solution = Vec::new();
    if let Some(h) = &holder {
        solution.push(format!("docker rm {h}"));
    }
    solution.push("docker image prune -f".to_owned());
    let tags: Vec<String> = plan.all_tags().iter().map(|t| q(t)).collect();
    let (extra_fr, extra_en) = match &holder {
        Some(h) => (
            format!(" Attention : le conteneur arrêté {h} a été créé à partir de l'ancienne version, qu'il retient ; il peut partir."),
            format!(" Mind you: the stopped container {h} was created from the old version, which it holds; it may go."),
        ),
        None => (String::new(), String::new()),
    };
    Step {
        title: (
            "En suspens, mais garder le cache".to_owned(),
            "Dangling, but keep the cache".to_owned(),
        ),
        text: (
            format!(
                "L'image {reference} a été construite deux fois : la première image a perdu son tag et reste en suspens (<none>). Supprimez toutes les images en suspens, mais gardez le cache de construction (la prochaine construction de {reference} doit rester rapide) et toutes les images qui ont un tag.{extra_fr}"
            ),
            format!(
                "The image {reference} was built twice: the first image lost its tag and is left dangling (<none>). Remove every dangling image, but keep the build cache (the next build of {reference} must stay fast) and every tagged image.{extra_en}"
            ),
        ),
        hints: vec![
            (
                "docker images -f dangling=true montre les images en suspens ; docker system df montre le cache (Build Cache).".to_owned(),
                "docker images -f dangling=true shows the dangling images; docker system df shows the cache (Build Cache).".to_owned(),
            ),
            (
                "docker image prune supprime les images en suspens qu'aucun conteneur n'utilise, et ne touche pas au cache ; system prune et builder prune, eux, le vident. Une image qu'un conteneur, même arrêté, utilise reste : supprimez d'abord le conteneur (docker ps -a).".to_owned(),
                "docker image prune removes the dangling images no container uses and leaves the cache alone; system prune and builder prune empty it. An image a container uses, even a stopped one, stays: remove the container first (docker ps -a).".to_owned(),
            ),
            (solution.join(" ; "), solution.join("; ")),
        ],
        solution,
        checks: vec![
            "{ image_count = { dangling = true, equals = 0 } }".to_owned(),
            "{ build_cache_empty = false }".to_owned(),
            format!("{{ tags_exactly = [{}] }}", tags.join(", ")),
        ],
        mistake: (
            "cache-emptied".to_owned(),
            "{ build_cache_empty = true }".to_owned(),
            format!("Le cache de construction est vide : system prune ou builder prune l'ont vidé, et la prochaine construction repartira de zéro. Reconstruisez pour le remplir (docker build -t {reference} {}).", build.map_or("", |b| b.dir.as_str())),
            format!("The build cache is empty: system prune or builder prune emptied it, and the next build starts from scratch. Rebuild to fill it (docker build -t {reference} {}).", build.map_or("", |b| b.dir.as_str())),
        ),
    }
}

fn used_by_stopped(rng: &mut Rng, plan: &Plan) -> Step {
    let (name, image) = rng.pick(&plan.stopped).clone();
    let refs = plan.refs_of(&image);
    let solution = vec![format!("docker rmi -f {}", refs.join(" "))];
    let mut checks: Vec<String> = refs
        .iter()
        .map(|r| format!("{{ image_absent = {} }}", q(r)))
        .collect();
    checks.push("{ image_count = { dangling = true, equals = 0 } }".to_owned());
    // Gone, not renamed: one image fewer than at the start (at least).
    checks.push(format!(
        "{{ image_count = {{ at_most = {} }} }}",
        plan.image_count() - 1
    ));
    checks.extend(
        plan.running
            .iter()
            .map(|(_, r)| format!("{{ container_running = {} }}", q(r))),
    );
    let (tags_fr, tags_en) = if refs.len() > 1 {
        (
            format!(" (et ses autres tags : {})", list(&refs[1..])),
            format!(" (and its other tags: {})", list(&refs[1..])),
        )
    } else {
        (String::new(), String::new())
    };
    Step {
        title: (
            format!("Supprimer {image}, qu'un conteneur arrêté utilise"),
            format!("Remove {image}, which a stopped container uses"),
        ),
        text: (
            format!(
                "Supprimez l'image {image}{tags_fr} pour de bon : ni tag ni image <none> ne doit en rester. Le conteneur arrêté {name} l'utilise ; vous pouvez le garder ou le supprimer. Les conteneurs en marche continuent de tourner."
            ),
            format!(
                "Remove the image {image}{tags_en} for good: no tag and no <none> image of it may be left. The stopped container {name} uses it; you may keep it or remove it. The running containers keep running."
            ),
        ),
        hints: vec![
            (
                format!("docker rmi {image} refuse (must be forced) : le conteneur arrêté {name} l'utilise (docker ps -a)."),
                format!("docker rmi {image} refuses (must be forced): the stopped container {name} uses it (docker ps -a)."),
            ),
            (
                format!("Deux chemins : supprimer d'abord le conteneur (docker rm {name}), puis l'image ; ou forcer avec docker rmi -f, qui supprime l'image et laisse le conteneur, dont la colonne IMAGE de docker ps -a ne montre plus qu'un ID. Une image à plusieurs tags ne part qu'avec le dernier."),
                format!("Two ways: remove the container first (docker rm {name}), then the image; or force it with docker rmi -f, which deletes the image and leaves the container, whose IMAGE column in docker ps -a then shows only an ID. An image with several tags goes only with the last one."),
            ),
            (solution.join(" ; "), solution.join("; ")),
        ],
        solution,
        checks,
        mistake: (
            "refused".to_owned(),
            "{ command_ran = { command = \"docker rmi\", status = \"failure\", scope = \"last\" } }".to_owned(),
            format!("docker rmi a refusé : une image qu'un conteneur utilise, même arrêté, ne se supprime pas sans -f. Supprimez d'abord le conteneur ({name}) ou forcez avec -f ; l'image d'un conteneur en marche, elle, ne se supprime pas, même avec -f."),
            format!("docker rmi refused: an image a container uses, even a stopped one, is not removed without -f. Remove the container ({name}) first or force it with -f; the image of a running container cannot be deleted, even with -f."),
        ),
    }
}

fn keep_running(plan: &Plan) -> Step {
    let needed: BTreeSet<String> = plan.running.iter().map(|(_, r)| norm(r)).collect();
    let servers: Vec<String> = needed.iter().cloned().collect();
    let stopped: Vec<String> = plan.stopped.iter().map(|(n, _)| n.clone()).collect();
    let solution = vec![
        "docker rm $(docker ps -aq --filter status=exited)".to_owned(),
        "docker image prune -a -f".to_owned(),
    ];
    let mut checks = vec![format!(
        "{{ image_count = {{ equals = {} }} }}",
        needed.len()
    )];
    checks.extend(
        plan.running
            .iter()
            .map(|(_, r)| format!("{{ container_running = {} }}", q(r))),
    );
    let first = &plan.running[0];
    Step {
        title: (
            "Seulement ce qui tourne".to_owned(),
            "Only what runs".to_owned(),
        ),
        text: (
            format!(
                "Ne gardez que les images dont les conteneurs en marche ont besoin ({}) : {}, aucune autre, pas même en suspens. Les conteneurs en marche doivent continuer de tourner ; les conteneurs arrêtés ({}) peuvent partir.",
                list(&servers),
                if needed.len() == 1 { "une seule image".to_owned() } else { format!("{} images en tout", needed.len()) },
                list(&stopped)
            ),
            format!(
                "Keep only the images the running containers need ({}): {}, no other, not even a dangling one. The running containers must keep running; the stopped containers ({}) may go.",
                list(&servers),
                if needed.len() == 1 { "a single image".to_owned() } else { format!("{} images in all", needed.len()) },
                list(&stopped)
            ),
        ),
        hints: vec![
            (
                "docker ps montre ce qui tourne, docker ps -a aussi ce qui est arrêté. Une image qu'un conteneur arrêté utilise n'est pas libre.".to_owned(),
                "docker ps shows what runs, docker ps -a also what stopped. An image a stopped container uses is not free.".to_owned(),
            ),
            (
                "docker image prune -a supprime toutes les images qu'aucun conteneur n'utilise ; supprimez d'abord les conteneurs arrêtés (docker rm, ou docker system prune -a, qui vide aussi le cache).".to_owned(),
                "docker image prune -a removes every image no container uses; remove the stopped containers first (docker rm, or docker system prune -a, which also empties the cache).".to_owned(),
            ),
            (solution.join(" ; "), solution.join("; ")),
        ],
        solution,
        checks,
        mistake: (
            "stopped-a-server".to_owned(),
            format!("{{ not = {{ container_running = {} }} }}", q(&first.1)),
            format!("Le conteneur {} ne tourne plus, or il devait continuer. Relancez-en un : docker run -d --name {}-2 {}.", first.0, first.0, first.1),
            format!("The container {} is not running any more, and it had to. Start one again: docker run -d --name {}-2 {}.", first.0, first.0, first.1),
        ),
    }
}

/// A TOML basic string.
fn q(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// French typography: a narrow no-break space before `:` `;` `!` `?` used as punctuation
/// (followed by a space or the end), never in `web:1`.
fn fr(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        if c == ' '
            && matches!(chars.get(i + 1), Some(':' | ';' | '!' | '?'))
            && matches!(chars.get(i + 2), None | Some(' ' | '\n'))
        {
            out.push('\u{202f}');
        } else {
            out.push(c);
        }
    }
    out
}

fn text(key: &str, (f, e): &(String, String)) -> String {
    format!("{key} = {{ fr = {}, en = {} }}\n", q(&fr(f)), q(e))
}

fn dockerfile(base: &str, file: &str, message: &str) -> String {
    format!("FROM {base}\nCOPY {file} /{file}\nCMD [\"echo\", \"{message}\"]\n")
}

fn render(seed: u64, plan: &Plan, step: &Step) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# A practice lab generated by `docklab lab generate --seed {seed}`: the same seed gives\n# the same file. See labs/README.md."
    );
    out.push_str("format_version = 1\n");
    let _ = writeln!(out, "id = {}", q(&lab_id(seed)));
    out.push_str(&text(
        "title",
        &(
            format!("Entraînement n°\u{a0}{seed}"),
            format!("Practice #{seed}"),
        ),
    ));
    // The intro describes the start state.
    let running: Vec<String> = plan
        .running
        .iter()
        .map(|(n, i)| format!("{n} ({i})"))
        .collect();
    let stopped: Vec<String> = plan
        .stopped
        .iter()
        .map(|(n, i)| format!("{n} ({i})"))
        .collect();
    let none = |v: &[String], french: bool| {
        if v.is_empty() {
            if french { "aucun" } else { "none" }.to_owned()
        } else {
            list(v)
        }
    };
    let tags: Vec<String> = plan
        .tags
        .iter()
        .map(|(t, i)| format!("{t} → {i}"))
        .collect();
    let (build_fr, build_en) = match &plan.build {
        Some(b) => (
            format!(
                " Une image {} a été construite dans ~/{} à partir de {}{}.",
                b.reference,
                b.dir,
                b.base,
                if b.rebuilt { ", deux fois" } else { "" }
            ),
            format!(
                " An image {} was built in ~/{} from {}{}.",
                b.reference,
                b.dir,
                b.base,
                if b.rebuilt { ", twice" } else { "" }
            ),
        ),
        None => (String::new(), String::new()),
    };
    let intro = (
        format!(
            "Un entraînement tiré au hasard (graine {seed}) : observez d'abord l'état du moteur (docker images, docker ps -a, docker system df), puis atteignez l'objectif. Images téléchargées : {}. Tags ajoutés : {}.{build_fr} Conteneurs en marche : {} ; arrêtés : {}.",
            list(&plan.images),
            none(&tags, true),
            none(&running, true),
            none(&stopped, true)
        ),
        format!(
            "A practice drawn at random (seed {seed}): look at the engine's state first (docker images, docker ps -a, docker system df), then reach the goal. Pulled images: {}. Tags added: {}.{build_en} Running containers: {}; stopped: {}.",
            list(&plan.images),
            none(&tags, false),
            none(&running, false),
            none(&stopped, false)
        ),
    );
    out.push_str(&text("intro", &intro));
    out.push_str("\n[start]\n");
    let images: Vec<String> = plan.images.iter().map(|i| q(i)).collect();
    let _ = writeln!(out, "images = [{}]", images.join(", "));
    let mut commands: Vec<String> = plan
        .tags
        .iter()
        .map(|(t, i)| format!("docker tag {i} {t}"))
        .collect();
    let mut files = Vec::new();
    if let Some(b) = &plan.build {
        let message = format!("{} {seed}", b.dir);
        files.push((
            format!("{}/message.txt", b.dir),
            format!("{message} (v2)\n"),
        ));
        files.push((
            format!("{}/Dockerfile", b.dir),
            dockerfile(&b.base, "message.txt", &message),
        ));
        if b.rebuilt {
            files.push((
                format!("{}/old/message.txt", b.dir),
                format!("{message} (v1)\n"),
            ));
            files.push((
                format!("{}/old/Dockerfile", b.dir),
                dockerfile(&b.base, "message.txt", &message),
            ));
            commands.push(format!("docker build -t {} {}/old", b.reference, b.dir));
            if let Some(c) = &b.old_container {
                commands.push(format!("docker run --name {c} {}", b.reference));
            }
        }
        commands.push(format!("docker build -t {} {}", b.reference, b.dir));
    }
    for (n, i) in &plan.running {
        commands.push(format!("docker run -d --name {n} {i}"));
    }
    for (n, i) in &plan.stopped {
        commands.push(format!("docker run --name {n} {i}"));
    }
    out.push_str("commands = [\n");
    for c in &commands {
        let _ = writeln!(out, "  {},", q(c));
    }
    out.push_str("]\n");
    for (path, content) in &files {
        out.push_str("\n[[start.file]]\n");
        let _ = writeln!(out, "path = {}", q(path));
        let _ = writeln!(out, "text = {}", q(content));
    }
    out.push_str("\n[[step]]\nid = \"goal\"\n");
    out.push_str(&text("title", &step.title));
    out.push_str(&text("text", &step.text));
    out.push_str("hints = [\n");
    for (f, e) in &step.hints {
        let _ = writeln!(out, "  {{ fr = {}, en = {} }},", q(&fr(f)), q(e));
    }
    out.push_str("]\n");
    let solution: Vec<String> = step.solution.iter().map(|s| q(s)).collect();
    let _ = writeln!(out, "solution = [{}]", solution.join(", "));
    out.push_str("check = [\n");
    for c in &step.checks {
        let _ = writeln!(out, "  {c},");
    }
    out.push_str("]\n");
    let (id, when, mfr, men) = &step.mistake;
    out.push_str("\n[[step.mistake]]\n");
    let _ = writeln!(out, "id = {}", q(id));
    let _ = writeln!(out, "when = {when}");
    out.push_str(&text("explain", &(mfr.clone(), men.clone())));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix64_is_the_published_sequence() {
        // The first outputs of splitmix64 seeded with 0 (Vigna's reference implementation).
        let mut r = Rng::new(0);
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(r.next_u64(), 0x6E78_9E6A_A1B9_65F4);
        assert_eq!(r.next_u64(), 0x06C4_5D18_8009_454F);
    }

    #[test]
    fn same_seed_same_lab_and_seeds_differ() {
        assert_eq!(generate(7), generate(7));
        let labs: BTreeSet<String> = (0..50).map(generate).collect();
        assert_eq!(labs.len(), 50);
    }

    #[test]
    fn every_goal_is_drawn_and_every_lab_parses_and_lints() {
        let mut titles = BTreeSet::new();
        for seed in 0..60 {
            let text = generate(seed);
            let lab = crate::lab::Lab::parse("generated.toml", &text)
                .unwrap_or_else(|e| panic!("seed {seed}: {e}\n{text}"));
            assert_eq!(lab.id, lab_id(seed));
            titles.insert(lab.steps[0].id.clone() + &lab.steps[0].title.en);
            let diags = crate::lab::lint::lint("generated.toml", &text);
            assert!(
                diags.is_empty(),
                "seed {seed}: {}\n{text}",
                diags
                    .iter()
                    .map(|d| d.render(crate::i18n::Lang::En))
                    .collect::<Vec<_>>()
                    .join("\n")
            );
        }
        for kind in [
            "Free",
            "Exactly",
            "Dangling",
            "stopped container uses",
            "Only what runs",
        ] {
            assert!(
                titles.iter().any(|t| t.contains(kind)),
                "{kind}: {titles:?}"
            );
        }
    }

    #[test]
    fn practice_ids_and_seeds() {
        assert_eq!(seed_of("practice-42"), Some(42));
        assert_eq!(seed_of(&lab_id(u64::MAX)), Some(u64::MAX));
        for bad in [
            "practice-042",
            "practice-+4",
            "practice-",
            "practice-x",
            "images",
            "practice-18446744073709551616",
        ] {
            assert_eq!(seed_of(bad), None, "{bad}");
        }
        let lab = practice_lab("practice-9").expect("generated");
        assert_eq!(lab.id, "practice-9");
        assert!(std::ptr::eq(
            lab,
            practice_lab("practice-9").expect("cached")
        ));
        assert!(practice_lab("practice-09").is_none());
        let t: jiff::Timestamp = "2025-10-29T12:00:00Z".parse().expect("timestamp");
        assert_eq!(clock_seed(t), 1_761_739_200 % 1_000_000);
    }

    /// The French texts follow French typography, as the shipped labs' test asks.
    #[test]
    fn french_texts_follow_french_typography() {
        for seed in 0..60 {
            let lab = crate::lab::Lab::parse("g.toml", &generate(seed)).expect("parses");
            let step = &lab.steps[0];
            let texts = [&lab.title, &lab.intro, &step.title, &step.text]
                .into_iter()
                .chain(&step.hints)
                .chain(step.mistakes.iter().map(|m| &m.explain));
            for t in texts {
                let fr = &t.fr;
                for bad in [" :", " ;", " !", " ?"] {
                    let at = fr.match_indices(bad).find(|(i, m)| {
                        matches!(fr[i + m.len()..].chars().next(), None | Some(' '))
                    });
                    assert!(at.is_none(), "seed {seed}: {bad:?} in {fr}");
                }
                assert!(
                    !fr.contains("étiquette") && !t.en.is_empty(),
                    "seed {seed}: {fr}"
                );
            }
        }
    }

    #[test]
    fn toml_strings_are_escaped() {
        assert_eq!(q("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\"");
        assert_eq!(
            fr("Bien : oui ; web:1 ?"),
            "Bien\u{202f}: oui\u{202f}; web:1\u{202f}?"
        );
    }
}
