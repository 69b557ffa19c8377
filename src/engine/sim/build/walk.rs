//! The walk both builders share: the stages the target needs, each stage's instructions in
//! order, base images resolved (pulled from the catalog when absent) and the layer steps (RUN,
//! COPY, ADD, WORKDIR) taken from the cache or made now.

use super::cache::{cache_id, key_of, CachedStep};
use super::image::{apply_config, before_workdir, config_bytes, empty_config, put_layer};
use super::kit::{buildkit_pull_error, context_ref};
use super::legacy::legacy_copy_shown;
use super::{
    makes_layer, Base, Run, BUILDKIT_COMMENT, MAX_HEREDOC_BYTES, MAX_LEGACY_COMMITTED_BYTES,
};
use crate::build::dockerfile::{
    self, buildkit_created_by, legacy_created_by, Dockerfile, Instruction, Node, Scope,
};
use crate::build::layer::{self, Plan};
use crate::build::progress::Vertex;
use crate::build::simulate::run_effect;
use crate::docker::reference::Reference;
use crate::docker::units::human_size4;
use crate::engine::sim::buildkit;
use crate::engine::sim::pull::pull_reference;
use crate::engine::sim::Ctx;
use crate::store::{CacheRecord, Digest, History, ImageConfig, StoreError};

impl Run {
    /// Builds the stages the target needs; the target's image, or the error text to print.
    pub(super) fn execute(
        &mut self,
        ctx: &mut Ctx<'_>,
        df: &Dockerfile,
        file: &str,
        text: &str,
        target: Option<&str>,
        build_args: &[(String, String)],
    ) -> Result<Result<Base, String>, StoreError> {
        let stages = df.stages();
        let target_stage = df
            .target_stage(file, target)
            .expect("checked before the build");
        let target_index = target_stage.index;
        let global = Scope::global(df, build_args);
        if self.legacy() {
            // The classic builder counts the global ARGs and every instruction of the stages up
            // to the target, and prints each global ARG as a step before evaluating it (moby
            // `dispatchDockerfileWithCancellation`).
            let meta: Vec<&Node> = df
                .meta_args()
                .iter()
                .filter(|n| matches!(n.instruction, Instruction::Arg(_)))
                .collect();
            self.steps = meta.len()
                + stages[..=target_index]
                    .iter()
                    .map(|s| 1 + s.instructions.len())
                    .sum::<usize>()
                + self.labels.len();
            let failed_line = global.as_ref().err().map(|e| e.line);
            for node in meta {
                if failed_line.is_some_and(|l| node.span.start_line > l) {
                    break;
                }
                self.step += 1;
                self.legacy_out.push_str(&format!(
                    "Step {}/{} : {}\n",
                    self.step, self.steps, node.original
                ));
            }
        }
        let global = match global {
            Ok(s) => s,
            Err(e) => return Ok(Err(e.render_cli(text))),
        };
        // Stages the target needs, through FROM <stage> and COPY --from=<stage>.
        let mut needed = vec![false; stages.len()];
        let mut todo = vec![target_index];
        while let Some(i) = todo.pop() {
            if needed[i] {
                continue;
            }
            needed[i] = true;
            let stage = &stages[i];
            if let Ok(from) = global.expand_from(stage.node, stage.from) {
                if let Some(s) = df.stage_by_ref(&from.image, i) {
                    todo.push(s.index);
                }
            }
            for node in stage.instructions {
                if let Instruction::Copy(c) = &node.instruction {
                    if let Some(s) = c.from.as_deref().and_then(|f| df.stage_by_ref(f, i)) {
                        todo.push(s.index);
                    }
                }
            }
        }
        let multi = needed.iter().filter(|n| **n).count() > 1;
        if !self.legacy() {
            // BuildKit resolves every base image first, then reads .dockerignore.
            for (i, stage) in stages.iter().enumerate() {
                if !needed[i] {
                    continue;
                }
                let Ok(from) = global.expand_from(stage.node, stage.from) else {
                    continue;
                };
                if from.image == "scratch" || df.stage_by_ref(&from.image, i).is_some() {
                    continue;
                }
                if let Ok(r) = Reference::parse(&from.image) {
                    let name = r.with_default_tag().full_string();
                    if !self
                        .trace
                        .vertices
                        .iter()
                        .any(|v| v.name.ends_with(&format!("load metadata for {name}")))
                    {
                        self.trace.push(Vertex::new(
                            format!("[internal] load metadata for {name}"),
                            if ctx.state.refs.contains_key(&name) {
                                0
                            } else {
                                600
                            },
                        ));
                    }
                }
            }
            self.note_source(ctx, "dockerignore", self.ignore_size, None);
            self.trace
                .push(Vertex::new("[internal] load .dockerignore", 0).status(
                    format!(
                        "transferring context: {}",
                        human_size4(self.ignore_size.max(2) as f64)
                    ),
                    0,
                ));
        }
        let mut result = None;
        for (i, stage) in stages.iter().enumerate() {
            if !needed[i] && !self.legacy() {
                continue;
            }
            let name = stage
                .name
                .map_or_else(|| format!("stage-{i}"), str::to_owned);
            let prefix = if multi {
                format!("{name} ")
            } else {
                String::new()
            };
            match self.build_stage(ctx, df, stage, &global, &prefix, text)? {
                Ok(image) => {
                    self.stages.insert(i, image.clone());
                    if let Some(n) = &stage.name {
                        self.stages_by_name.insert((*n).to_owned(), i);
                    }
                    if i == target_index {
                        result = Some(image);
                        break;
                    }
                }
                Err(e) => return Ok(Err(e)),
            }
        }
        Ok(Ok(result.expect("the target stage is built")))
    }

    /// Resolves a stage's base: another stage, `scratch`, or an image (pulled when missing).
    #[allow(clippy::too_many_lines)]
    fn build_stage(
        &mut self,
        ctx: &mut Ctx<'_>,
        df: &Dockerfile,
        stage: &dockerfile::Stage<'_>,
        global: &Scope,
        prefix: &str,
        text: &str,
    ) -> Result<Result<Base, String>, StoreError> {
        let from = match global.expand_from(stage.node, stage.from) {
            Ok(f) => f,
            Err(e) => return Ok(Err(e.render_cli(text))),
        };
        let legacy = self.legacy();
        if !legacy {
            self.step = 1;
            self.steps = 1 + stage
                .instructions
                .iter()
                .filter(|n| makes_layer(&n.instruction))
                .count();
        } else {
            self.step += 1;
            self.legacy_out.push_str(&format!(
                "Step {}/{} : {}\n",
                self.step, self.steps, stage.node.original
            ));
        }
        self.stage_from = None;
        self.pending_from = None;
        let mut base = if from.image == "scratch" {
            if !legacy {
                self.trace.push(Vertex::new(
                    format!("[{prefix}{}/{}] FROM scratch", self.step, self.steps),
                    0,
                ));
            } else {
                self.legacy_out.push_str(" ---> \n");
            }
            Base {
                config: empty_config(),
                chains: Vec::new(),
                id: None,
                key: key_of(&["scratch"]),
            }
        } else if let Some(s) = df.stage_by_ref(&from.image, stage.index) {
            let built = self.stages.get(&s.index).cloned();
            let Some(built) = built else {
                return Ok(Err(format!(
                    "ERROR: failed to solve: stage {} was not built\n",
                    from.image
                )));
            };
            if !legacy {
                let mut v = Vertex::new(
                    format!("[{prefix}{}/{}] FROM {}", self.step, self.steps, from.image),
                    0,
                );
                v.cached = true;
                self.trace.push(v);
            } else if let Some(id) = &built.id {
                self.legacy_out.push_str(&format!(
                    " ---> {}\n",
                    crate::engine::sim::truncate_id(id.as_str())
                ));
            }
            built
        } else {
            match self.resolve_image(ctx, &from.image, stage.node, prefix, text)? {
                Ok(b) => b,
                Err(e) => return Ok(Err(e)),
            }
        };
        let env: Vec<(String, String)> = base
            .config
            .config
            .env
            .clone()
            .unwrap_or_default()
            .iter()
            .map(|kv| {
                let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                (k.to_owned(), v.to_owned())
            })
            .collect();
        let mut scope = global.stage(&env, base.config.config.working_dir.as_deref());
        let mut cmd_set = false;
        let uses_context = stage.instructions.iter().any(|n| match &n.instruction {
            Instruction::Copy(c) => c.from.is_none() && !c.sources.is_empty(),
            Instruction::Add(a) => !a.sources.is_empty(),
            _ => false,
        });
        if uses_context && !legacy {
            // BuildKit transfers the context while the first steps run.
            self.note_context(ctx);
        }
        for node in stage.instructions {
            let before = scope.clone();
            let ins = match scope.apply(node) {
                Ok(i) => i,
                Err(e) => return Ok(Err(e.render_cli(text))),
            };
            let created_by = if legacy {
                legacy_created_by(&ins, &node.instruction, &before, None)
            } else {
                buildkit_created_by(&ins, &before)
            };
            let created = crate::docker::units::rfc3339_nano(ctx.now);
            apply_config(&mut base.config.config, &ins, &scope, &mut cmd_set);
            let size = config_bytes(&base.config, &scope);
            if legacy {
                self.committed_config_bytes = self.committed_config_bytes.saturating_add(size);
            }
            let inline = match &ins {
                Instruction::Copy(c) => c.inline.as_slice(),
                Instruction::Add(a) => a.inline.as_slice(),
                _ => &[],
            };
            self.heredoc_bytes = inline
                .iter()
                .fold(self.heredoc_bytes, |n, s| n.saturating_add(s.content.len()));
            let too_large = if size > dockerfile::error::MAX_CONFIG_BYTES {
                Some(dockerfile::error::ErrorKind::ConfigTooLarge)
            } else if self.heredoc_bytes > MAX_HEREDOC_BYTES {
                Some(dockerfile::error::ErrorKind::HeredocsTooLarge(
                    MAX_HEREDOC_BYTES,
                ))
            } else if self.committed_config_bytes > MAX_LEGACY_COMMITTED_BYTES {
                Some(dockerfile::error::ErrorKind::IntermediateImagesTooLarge(
                    MAX_LEGACY_COMMITTED_BYTES,
                ))
            } else {
                None
            };
            if let Some(kind) = too_large {
                let e = dockerfile::ParseError::new(
                    kind,
                    node.span.start_line,
                    node.span.end_line,
                    node.span.column,
                );
                return Ok(Err(e.render_cli(text)));
            }
            if legacy {
                self.step += 1;
                self.legacy_out.push_str(&format!(
                    "Step {}/{} : {}\n",
                    self.step, self.steps, node.original
                ));
            }
            if makes_layer(&ins) {
                match self.layer_step(
                    ctx, &mut base, node, &ins, &before, created_by, created, prefix,
                )? {
                    Ok(()) => {}
                    Err(e) => return Ok(Err(e)),
                }
            } else {
                let Some(created_by) = created_by else {
                    if legacy && matches!(ins, Instruction::Onbuild(_)) {
                        continue;
                    }
                    continue;
                };
                base.key = key_of(&[&base.key, &created_by]);
                base.config.history.push(History {
                    // BuildKit's exporter gives metadata rows a layer's time
                    // (`buildkit::fill_created`).
                    created: legacy.then_some(created),
                    created_by: Some(created_by),
                    comment: (!legacy).then(|| BUILDKIT_COMMENT.to_owned()),
                    empty_layer: true,
                });
                if legacy {
                    self.legacy_commit(ctx, &mut base, false)?;
                }
            }
        }
        Ok(Ok(base))
    }

    /// FROM an image: found locally, or pulled from the catalog as BuildKit would.
    #[allow(
        clippy::too_many_lines,
        reason = "FROM resolved in BuildKit's order: a stage, scratch, a local image, a pull"
    )]
    fn resolve_image(
        &mut self,
        ctx: &mut Ctx<'_>,
        image: &str,
        node: &Node,
        prefix: &str,
        text: &str,
    ) -> Result<Result<Base, String>, StoreError> {
        let legacy = self.legacy();
        let reference = match Reference::parse(image) {
            Ok(r) => r.with_default_tag(),
            Err(e) => {
                let msg = if legacy {
                    format!("{e}\n")
                } else {
                    format!(
                        "{}ERROR: failed to solve: failed to parse stage name {image:?}: {e}\n",
                        dockerfile::error::source_excerpt(
                            "Dockerfile",
                            text,
                            node.span.start_line,
                            node.span.end_line
                        )
                    )
                };
                return Ok(Err(msg));
            }
        };
        let full = reference.full_string();
        let mut pulled_now = false;
        let mut downloads: Vec<(String, u64)> = Vec::new();
        let local = ctx.state.refs.get(&full).cloned();
        let in_cache = if local.is_none() && !legacy {
            buildkit::cached_base(&ctx.state, &full).filter(|(id, _, _)| ctx.config(id).is_ok())
        } else {
            None
        };
        // A base tagged in the image store is resolved there, and BuildKit names it without a
        // digest; one it resolves through the registry (or its cache of a base it pulled) with
        // the manifest digest.
        let tagged_locally = local.is_some();
        let (id, manifest, chains) = if let Some(id) = local {
            let record = &ctx.state.images[&id];
            (id.clone(), record.manifest.clone(), record.layers.clone())
        } else if let Some((id, manifest, top)) = in_cache {
            let chains = buildkit::chain_of(&ctx.state, &top);
            (id, manifest, chains)
        } else {
            let refs_before = ctx.state.refs.clone();
            let images_before: std::collections::BTreeSet<Digest> =
                ctx.state.images.keys().cloned().collect();
            match pull_reference(ctx, &reference)? {
                Ok(p) => {
                    pulled_now = true;
                    let record = ctx.state.images[&p.id].clone();
                    if legacy {
                        self.legacy_out.push_str(&p.text);
                    } else {
                        // BuildKit pulls into its own cache: the image store gets no tag and
                        // no image, `docker images` does not list the base.
                        ctx.state.refs = refs_before;
                        if !images_before.contains(&p.id) {
                            ctx.state.images.remove(&p.id);
                        }
                        let config_size = ctx
                            .store
                            .blob_file(&p.id)
                            .ok()
                            .and_then(|f| f.metadata().ok())
                            .map_or(0, |m| m.len());
                        // Named by their registry blob digests, as `docker pull` names them.
                        let fetched: Vec<(String, u64)> = p
                            .blobs
                            .iter()
                            .zip(&p.event.layers)
                            .filter(|(_, (_, _, exists))| !exists)
                            .map(|(blob, (_, size, _))| (blob.clone(), *size))
                            .collect();
                        downloads = buildkit::download_statuses(
                            record.manifest.as_ref().map(|m| (m, record.manifest_size)),
                            (&p.id, config_size),
                            &fetched,
                        );
                    }
                    (p.id, record.manifest, record.layers)
                }
                Err(message) => {
                    if legacy {
                        return Ok(Err(format!("{message}\n")));
                    }
                    let bk = buildkit_pull_error(&reference);
                    if let Some(v) = self
                        .trace
                        .vertices
                        .iter_mut()
                        .find(|v| v.name == format!("[internal] load metadata for {full}"))
                    {
                        v.error = Some(bk.clone());
                    }
                    let excerpt = dockerfile::error::source_excerpt(
                        "Dockerfile",
                        text,
                        node.span.start_line,
                        node.span.end_line,
                    );
                    // The vertex is not complete; the rest of the trace is cut here.
                    let cut = self
                        .trace
                        .vertices
                        .iter()
                        .position(|v| v.error.is_some())
                        .map_or(self.trace.vertices.len(), |p| p + 1);
                    self.trace.vertices.truncate(cut);
                    return Ok(Err(format!(
                        "------\n > [internal] load metadata for {full}:\n------\n{excerpt}ERROR: failed to solve: {image}: failed to resolve source metadata for {full}: {bk}\n"
                    )));
                }
            }
        };
        let config: ImageConfig = ctx.config(&id)?;
        if legacy {
            self.legacy_out.push_str(&format!(
                " ---> {}\n",
                crate::engine::sim::truncate_id(id.as_str())
            ));
        } else {
            let shown = match &manifest {
                Some(m) if !tagged_locally => format!("{full}@{m}"),
                _ => full.clone(),
            };
            let mut v = Vertex::new(
                format!("[{prefix}{}/{}] FROM {shown}", self.step, self.steps),
                downloads.iter().map(|(_, ms)| ms).sum(),
            );
            if pulled_now {
                v = v.status(format!("resolve {shown}"), 0);
            }
            for (line, millis) in downloads {
                v = v.status(line, millis);
            }
            // The base's snapshot is cached once a build has used it.
            let from_key = buildkit::base_key(&full, &id, manifest.as_ref());
            v.cached = !pulled_now && self.records_have(ctx, &from_key);
            self.note_pulled_base(ctx, &full, &id, manifest.as_ref(), chains.last());
            self.trace.push(v);
            self.stage_from = Some(self.trace.vertices.len() - 1);
            self.pending_from = self.stage_from;
        }
        Ok(Ok(Base {
            config,
            chains,
            id: Some(id.clone()),
            key: key_of(&["image", id.as_str()]),
        }))
    }

    /// RUN, COPY, ADD and WORKDIR: a layer, from the cache or made now.
    #[allow(clippy::too_many_arguments)]
    #[allow(
        clippy::too_many_lines,
        reason = "one arm per layer-making instruction, sharing the cache-key bookkeeping"
    )]
    fn layer_step(
        &mut self,
        ctx: &mut Ctx<'_>,
        base: &mut Base,
        node: &Node,
        ins: &Instruction,
        before: &Scope,
        created_by: Option<String>,
        created: String,
        prefix: &str,
    ) -> Result<Result<(), String>, StoreError> {
        let legacy = self.legacy();
        let mut plan = Plan::default();
        let mut shown_size = None;
        let mut millis = 50;
        let mut needs_context = false;
        // What the RUN prints and its exit code, when its commands are simple enough.
        let mut emulated: Option<(String, crate::build::shell::Emulated)> = None;
        match ins {
            Instruction::Run(r) => {
                let command = match &r.command {
                    dockerfile::CommandLine::Shell(s) => s.clone(),
                    dockerfile::CommandLine::Exec(v) => v.join(" "),
                };
                let default_shell = base
                    .config
                    .config
                    .shell
                    .as_ref()
                    .is_none_or(|sh| sh.len() == 2 && sh[0] == "/bin/sh" && sh[1] == "-c");
                if let (dockerfile::CommandLine::Shell(s), true) = (&r.command, default_shell) {
                    let lists = buildkit::apt_lists_kept(&base.config);
                    emulated = crate::build::shell::emulate(s, lists)
                        .map(|e| (format!("/bin/sh -c {s}"), e));
                }
                let effect = run_effect(&command);
                millis = effect.millis;
                shown_size = Some(effect.size);
                let by = created_by.clone().unwrap_or_default();
                // The time of the run is part of the layer, as the files a real RUN writes carry
                // it: a RUN executed again (`--no-cache`) makes a new layer, a cached one does not.
                let describe = format!(
                    "docklab simulated RUN (nothing was executed)\ncommand: {by}\nrun at: {created}\nsimulated size: {} bytes\n",
                    effect.size
                );
                let name = format!(".docklab/run-{}", &key_of(&[&base.key, &by])[..12]);
                plan = layer::plan_bytes(&name, describe.into_bytes(), 0o644);
            }
            Instruction::Workdir(_) => {
                let dir = before_workdir(before, ins);
                if dir != "/" {
                    plan = layer::plan_bytes(
                        &format!("{}/.", dir.trim_end_matches('/')),
                        Vec::new(),
                        0o755,
                    );
                    plan.entries.pop();
                    let mut acc = String::new();
                    plan.entries.clear();
                    // The classic builder creates the directory in a container, now: its mtime
                    // makes each executed WORKDIR a new layer (a cached one is reused).
                    let (mtime, mtime_nsec) = match created.parse::<jiff::Timestamp>() {
                        Ok(t) if legacy => (
                            u64::try_from(t.as_second()).unwrap_or(0),
                            u32::try_from(t.subsec_nanosecond()).unwrap_or(0),
                        ),
                        _ => (0, 0),
                    };
                    for c in dir.split('/').filter(|c| !c.is_empty()) {
                        if !acc.is_empty() {
                            acc.push('/');
                        }
                        acc.push_str(c);
                        plan.entries.push(layer::Entry {
                            path: acc.clone(),
                            source: layer::Source::Dir,
                            mode: 0o755,
                            mtime,
                            mtime_nsec,
                            size: 0,
                        });
                    }
                }
                shown_size = Some(0);
                millis = 20;
            }
            Instruction::Copy(c) if c.from.is_some() => {
                let from = c.from.clone().unwrap_or_default();
                match self.plan_copy_from(ctx, &from, &c.sources, &c.dest, before.workdir())? {
                    Ok(p) => plan = p,
                    Err(e) => return Ok(Err(e)),
                }
            }
            Instruction::Copy(_) | Instruction::Add(_) => {
                let (sources, inline, dest, chmod) = match ins {
                    Instruction::Copy(c) => (&c.sources, &c.inline, &c.dest, &c.chmod),
                    Instruction::Add(a) => (&a.sources, &a.inline, &a.dest, &a.chmod),
                    _ => unreachable!("matched above"),
                };
                if let Some(url) = sources.iter().find(|s| {
                    s.starts_with("http://") || s.starts_with("https://") || s.starts_with("git@")
                }) {
                    return Ok(Err(format!(
                        "ERROR: failed to solve: docklab cannot download {url}: the simulated engine has no network; download it yourself and ADD the local file\n"
                    )));
                }
                let chmod = chmod
                    .as_deref()
                    .and_then(|m| u32::from_str_radix(m, 8).ok());
                needs_context = !sources.is_empty();
                if !sources.is_empty() {
                    match layer::plan_copy(
                        &self.root,
                        sources,
                        dest,
                        before.workdir(),
                        &self.ignore,
                        chmod,
                    ) {
                        Ok(p) => plan = p,
                        Err(layer::CopyError::Context(e)) => {
                            if legacy {
                                return Ok(Err(
                                    crate::docker::errors::BuildError::LegacyCopyMissing {
                                        source: legacy_copy_shown(sources, &e).to_owned(),
                                    }
                                    .line(false),
                                ));
                            }
                            return Ok(Err(e.render_cli(&context_ref(ctx))));
                        }
                        Err(e) => return Ok(Err(format!("ERROR: failed to solve: {e}\n"))),
                    }
                }
                for s in inline {
                    let dest_dir = if dest.ends_with('/') {
                        dest.clone()
                    } else {
                        format!("{dest}/")
                    };
                    let target = if inline.len() == 1 && sources.is_empty() && !dest.ends_with('/')
                    {
                        dest.clone()
                    } else {
                        format!("{dest_dir}{}", s.name)
                    };
                    let abs = if target.starts_with('/') {
                        target
                    } else {
                        format!("{}/{target}", before.workdir().trim_end_matches('/'))
                    };
                    let p = layer::plan_bytes(
                        &abs,
                        s.content.clone().into_bytes(),
                        chmod.unwrap_or(0o644),
                    );
                    plan.shown_size += p.shown_size;
                    plan.sources_key.push_str(&s.content);
                    plan.entries.extend(p.entries);
                    plan.entries.sort_by(|a, b| a.path.cmp(&b.path));
                    plan.entries.dedup_by(|a, b| a.path == b.path);
                }
                millis = 40 + plan.shown_size / 400_000;
            }
            _ => {}
        }
        let shown_size = shown_size.unwrap_or(plan.shown_size);
        if needs_context && !legacy {
            self.context_transfer += plan.transfer_size;
            self.note_context(ctx);
            self.note_context_bytes(plan.shown_size);
        }
        let by = created_by.clone().unwrap_or_default();
        let step_key = key_of(&[&base.key, &by, &plan.sources_key]);
        let label = format!(
            "[{prefix}{}/{}] {}",
            {
                if !legacy {
                    self.step += 1;
                }
                self.step
            },
            self.steps,
            node.original
        );
        let legacy_copy_source =
            if legacy && matches!(ins, Instruction::Copy(_) | Instruction::Add(_)) {
                let kind = if plan
                    .entries
                    .iter()
                    .filter(|e| {
                        matches!(
                            e.source,
                            layer::Source::File(_)
                                | layer::Source::Bytes(_)
                                | layer::Source::Special(_)
                        )
                    })
                    .count()
                    == 1
                {
                    "file"
                } else {
                    "dir"
                };
                Some(format!("{kind}:{}", key_of(&[&plan.sources_key])))
            } else {
                None
            };
        let history_by = if legacy {
            legacy_created_by(
                ins,
                &node.instruction,
                before,
                legacy_copy_source.as_deref(),
            )
            .unwrap_or(by.clone())
        } else {
            by.clone()
        };
        let cached = if self.no_cache {
            None
        } else if legacy {
            Self::legacy_cached(ctx, base, &history_by, true)?.map(CachedStep::Image)
        } else {
            ctx.state
                .build_cache
                .iter()
                .find(|r| {
                    r.key == step_key
                        && r.layer
                            .as_ref()
                            .is_some_and(|l| ctx.state.layers.contains_key(l))
                })
                .and_then(|r| Some(CachedStep::Layer(r.layer.clone()?, r.created.clone())))
        };
        match cached {
            Some(CachedStep::Image(id)) => {
                self.legacy_out.push_str(&format!(
                    " ---> Using cache\n ---> {}\n",
                    crate::engine::sim::truncate_id(id.as_str())
                ));
                let record = ctx.state.images[&id].clone();
                base.config = ctx.config(&id)?;
                base.chains = record.layers;
                base.id = Some(id);
                base.key = step_key;
                let _ = history_by;
                return Ok(Ok(()));
            }
            Some(CachedStep::Layer(chain, made)) => {
                // The layer keeps the time it was made (BuildKit's `createdAt`).
                let diff = ctx.state.layers[&chain].diff_id.clone();
                self.push_layer_history(base, chain, diff, history_by, made, legacy);
                let mut v = Vertex::new(label, 0);
                v.cached = true;
                self.trace.push(v);
                // The base's snapshot is not loaded for a step found in the cache.
                if let Some(from) = self.pending_from.take() {
                    if let Some(f) = self.trace.vertices.get_mut(from) {
                        f.cached = false;
                    }
                }
                let now = crate::docker::units::rfc3339_nano(ctx.now);
                if let Some(r) = ctx.state.build_cache.iter_mut().find(|r| r.key == step_key) {
                    r.usage_count += 1;
                    r.last_used = now;
                }
                base.key = step_key;
                return Ok(Ok(()));
            }
            None => {}
        }
        // This step runs on the base's snapshot, which a cached FROM loads (`CACHED`).
        self.pending_from = None;
        let output = emulated
            .as_ref()
            .map(|(_, e)| e.lines.clone())
            .unwrap_or_default();
        if let Some((shell_line, e)) = emulated.as_ref().filter(|(_, e)| e.exit != 0) {
            self.fail_code = Some(e.exit);
            if legacy {
                let cid = ctx.new_id("container");
                self.legacy_out
                    .push_str(&format!(" ---> Running in {}\n", &cid[..12]));
                for (_, line) in &output {
                    self.legacy_out.push_str(line);
                    self.legacy_out.push('\n');
                }
                return Ok(Err(format!(
                    "The command '{shell_line}' returned a non-zero code: {}\n",
                    e.exit
                )));
            }
            let error = buildkit::run_error(shell_line, e.exit);
            let mut v = Vertex::new(label.clone(), millis);
            v.logs = output.clone();
            v.error = Some(error.clone());
            self.trace.push(v);
            return Ok(Err(buildkit::run_failure_text(
                &label,
                &output,
                &error,
                &self.file,
                &self.source,
                (node.span.start_line, node.span.end_line),
            )));
        }
        let parent = base.chains.last().cloned();
        if legacy {
            // The classic builder commits a container's changes: the directories it made or
            // wrote into carry the time of the build, so a layer made again without the cache
            // is a new layer, as on Docker.
            let now = u64::try_from(ctx.now.as_second()).unwrap_or(0);
            let nsec = u32::try_from(ctx.now.subsec_nanosecond()).unwrap_or(0);
            for entry in &mut plan.entries {
                if matches!(entry.source, layer::Source::Dir) {
                    entry.mtime = now;
                    entry.mtime_nsec = nsec;
                }
            }
        }
        let (diff, chain) = put_layer(ctx, &plan, parent.as_ref(), shown_size)?;
        self.push_layer_history(
            base,
            chain.clone(),
            diff,
            history_by,
            created.clone(),
            legacy,
        );
        if legacy {
            // The classic builder runs RUN, and creates WORKDIR's directory, in a container.
            if matches!(ins, Instruction::Run(_) | Instruction::Workdir(_)) {
                let cid = ctx.new_id("container");
                self.legacy_out
                    .push_str(&format!(" ---> Running in {}\n", &cid[..12]));
                for (_, line) in &output {
                    self.legacy_out.push_str(line);
                    self.legacy_out.push('\n');
                }
                self.legacy_out.push_str(&format!(
                    " ---> Removed intermediate container {}\n",
                    &cid[..12]
                ));
            }
            base.key = step_key;
            self.legacy_commit(ctx, base, true)?;
            return Ok(Ok(()));
        }
        let mut v = Vertex::new(label, millis);
        v.logs = output;
        self.trace.push(v);
        let rid = cache_id(ctx);
        self.records.push(CacheRecord {
            id: rid,
            key: step_key.clone(),
            kind: "regular".to_owned(),
            description: by,
            size: shown_size,
            created: created.clone(),
            last_used: created,
            usage_count: 1,
            layer: Some(chain),
            shared: true,
            in_use: false,
        });
        base.key = step_key;
        Ok(Ok(()))
    }

    fn push_layer_history(
        &self,
        base: &mut Base,
        chain: Digest,
        diff: Digest,
        created_by: String,
        created: String,
        legacy: bool,
    ) {
        base.chains.push(chain);
        base.config.rootfs.diff_ids.push(diff);
        base.config.history.push(History {
            created: Some(created),
            created_by: Some(created_by),
            comment: (!legacy).then(|| BUILDKIT_COMMENT.to_owned()),
            empty_layer: false,
        });
    }
}
