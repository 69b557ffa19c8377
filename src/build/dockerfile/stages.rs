//! Build stages, `--target`, ARG scoping and build-time expansion of instruction words.
//!
//! BuildKit's rules, as the builder needs them:
//! - ARGs before the first FROM are *meta args*: visible in FROM lines only, unless a stage
//!   redeclares them (`ARG NAME` without a default then takes the global value);
//! - `--build-arg` overrides an ARG's default, only for ARGs that are declared;
//! - in a stage, ENV, LABEL, ADD, COPY, EXPOSE, USER, WORKDIR, VOLUME, STOPSIGNAL and ARG are
//!   expanded against the stage's environment (base image ENV, ENV, declared ARGs); RUN, CMD,
//!   ENTRYPOINT, SHELL, HEALTHCHECK, ONBUILD and MAINTAINER are not (the shell does it);
//! - an ENV overrides an ARG of the same name whatever their order.

use super::ast::{
    Add, Arg, ArgDef, Copy, Dockerfile, Env, Expose, From, InlineSource, Instruction, KeyValue,
    Label, Node, StopSignal, User, Volume, Workdir,
};
use super::error::{ErrorKind, ParseError};
use super::parser::suggest;
use super::shell::{ExpandError, Lexer};

/// One `FROM` and what follows it.
#[derive(Debug, Clone, Copy)]
pub struct Stage<'a> {
    /// 0-based position among stages (`COPY --from=0`).
    pub index: usize,
    /// `AS name`, lower-cased.
    pub name: Option<&'a str>,
    /// The FROM instruction's node.
    pub node: &'a Node,
    /// The FROM instruction.
    pub from: &'a From,
    /// The stage's instructions after FROM.
    pub instructions: &'a [Node],
}

impl Dockerfile {
    /// ARG instructions before the first FROM.
    pub fn meta_args(&self) -> &[Node] {
        let first = self
            .nodes
            .iter()
            .position(|n| matches!(n.instruction, Instruction::From(_)))
            .unwrap_or(self.nodes.len());
        &self.nodes[..first]
    }

    /// Every stage in order.
    pub fn stages(&self) -> Vec<Stage<'_>> {
        let starts: Vec<usize> = self
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| matches!(n.instruction, Instruction::From(_)))
            .map(|(i, _)| i)
            .collect();
        starts
            .iter()
            .enumerate()
            .map(|(index, &start)| {
                let end = starts.get(index + 1).copied().unwrap_or(self.nodes.len());
                let node = &self.nodes[start];
                let Instruction::From(from) = &node.instruction else {
                    unreachable!("stage starts are FROM nodes")
                };
                Stage {
                    index,
                    name: from.name.as_deref(),
                    node,
                    from,
                    instructions: &self.nodes[start + 1..end],
                }
            })
            .collect()
    }

    /// The stage `docker build --target` builds: the named one, or the last.
    pub fn target_stage(&self, file: &str, target: Option<&str>) -> Result<Stage<'_>, ParseError> {
        let stages = self.stages();
        let found = match target.filter(|t| !t.is_empty()) {
            None => stages.last().copied(),
            Some(t) => stages
                .iter()
                .find(|s| s.name.is_some_and(|n| n.eq_ignore_ascii_case(t)))
                .copied(),
        };
        found.ok_or_else(|| {
            let target = target.unwrap_or_default().to_owned();
            let names: Vec<&str> = stages.iter().filter_map(|s| s.name).collect();
            let mut e = ParseError::new(
                ErrorKind::TargetNotFound {
                    suggestion: suggest(&target, &names, true),
                    target,
                },
                0,
                0,
                0,
            );
            file.clone_into(&mut e.file);
            e
        })
    }

    /// The stage a `COPY --from=NAME` or `FROM NAME` refers to, if it names an earlier stage
    /// (by name or index); `None` means an image.
    pub fn stage_by_ref(&self, reference: &str, before: usize) -> Option<Stage<'_>> {
        let stages = self.stages();
        let by_index = reference
            .parse::<usize>()
            .ok()
            .and_then(|i| stages.get(i).copied());
        by_index
            .or_else(|| {
                stages
                    .iter()
                    .find(|s| s.name.is_some_and(|n| n.eq_ignore_ascii_case(reference)))
                    .copied()
            })
            .filter(|s| s.index < before)
    }
}

/// Variables in scope while a stage is built, and the build args given on the command line.
#[derive(Debug, Clone)]
pub struct Scope {
    lexer: Lexer,
    build_args: Vec<(String, String)>,
    /// Meta args with their values (after `--build-arg`).
    global: Vec<(String, String)>,
    /// Environment from the base image and ENV instructions.
    env: Vec<(String, String)>,
    /// ARGs declared in this stage, in order, with their values (BuildKit's `buildArgs`).
    args: Vec<(String, Option<String>)>,
    workdir: String,
    shell: Vec<String>,
}

fn set(list: &mut Vec<(String, String)>, k: &str, v: String) {
    match list.iter_mut().find(|(key, _)| key == k) {
        Some(slot) => slot.1 = v,
        None => list.push((k.to_owned(), v)),
    }
}

fn expand_err(node: &Node, e: ExpandError) -> ParseError {
    ParseError::new(
        ErrorKind::Expand(e),
        node.span.start_line,
        node.span.end_line,
        node.span.column,
    )
}

impl Scope {
    /// The global scope: meta args evaluated with `build_args` (`--build-arg K=V`, in order).
    pub fn global(
        dockerfile: &Dockerfile,
        build_args: &[(String, String)],
    ) -> Result<Self, ParseError> {
        let mut s = Self {
            lexer: Lexer::new(dockerfile.escape),
            build_args: build_args.to_vec(),
            global: Vec::new(),
            env: Vec::new(),
            args: Vec::new(),
            workdir: "/".to_owned(),
            shell: vec!["/bin/sh".to_owned(), "-c".to_owned()],
        };
        for node in dockerfile.meta_args() {
            if let Instruction::Arg(arg) = &node.instruction {
                for def in &arg.args {
                    let env = s.global.clone();
                    let key = s.word(node, &def.key, &env)?;
                    let value = match s.build_arg(&key) {
                        Some(v) => Some(v),
                        None => match &def.default {
                            Some(d) => Some(s.word(node, d, &env)?),
                            None => None,
                        },
                    };
                    if let Some(v) = value {
                        set(&mut s.global, &key, v);
                    }
                }
            }
        }
        Ok(s)
    }

    #[cfg(test)]
    /// The meta args and their values.
    pub fn meta_values(&self) -> &[(String, String)] {
        &self.global
    }

    /// FROM's image and platform with meta args substituted.
    pub fn expand_from(&self, node: &Node, from: &From) -> Result<From, ParseError> {
        let env = self.global.clone();
        Ok(From {
            image: self.word(node, &from.image, &env)?,
            name: from.name.clone(),
            platform: match &from.platform {
                Some(p) => Some(self.word(node, p, &env)?),
                None => None,
            },
        })
    }

    /// A fresh stage scope on top of this global one, with the base image's `ENV` and
    /// working directory.
    #[must_use]
    pub fn stage(&self, base_env: &[(String, String)], base_workdir: Option<&str>) -> Self {
        Self {
            env: base_env.to_vec(),
            args: Vec::new(),
            workdir: base_workdir
                .filter(|w| !w.is_empty())
                .unwrap_or("/")
                .to_owned(),
            shell: vec!["/bin/sh".to_owned(), "-c".to_owned()],
            ..self.clone()
        }
    }

    fn build_arg(&self, key: &str) -> Option<String> {
        self.build_args
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    }

    /// Bytes of this stage's ENV and ARG names and values, for the image config's limit.
    pub fn bytes(&self) -> usize {
        let env: usize = self.env.iter().map(|(k, v)| k.len() + v.len()).sum();
        let args: usize = self
            .args
            .iter()
            .map(|(k, v)| k.len() + v.as_ref().map_or(0, String::len))
            .sum();
        env + args
    }

    /// The environment words are expanded against: ARG values, then ENV over them.
    pub fn environment(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = self
            .args
            .iter()
            .filter_map(|(k, v)| v.clone().map(|v| (k.clone(), v)))
            .filter(|(k, _)| !self.env.iter().any(|(e, _)| e == k))
            .collect();
        out.extend(self.env.iter().cloned());
        out
    }

    pub(crate) fn build_args_ref(&self) -> &[(String, String)] {
        &self.build_args
    }

    pub(crate) fn declared_args(&self) -> &[(String, Option<String>)] {
        &self.args
    }

    /// ENV set so far (base image's included).
    pub fn env(&self) -> &[(String, String)] {
        &self.env
    }

    /// ARGs declared in the stage with their values, as RUN sees them: BuildKit's
    /// `|N K=V …` prefix uses these (an ENV of the same name wins).
    pub fn run_args(&self) -> Vec<(String, String)> {
        self.args
            .iter()
            .map(|(k, v)| {
                let value = self
                    .env
                    .iter()
                    .find(|(e, _)| e == k)
                    .map(|(_, v)| v.clone())
                    .or_else(|| v.clone())
                    .unwrap_or_default();
                (k.clone(), value)
            })
            .collect()
    }

    /// The working directory after the instructions applied so far.
    pub fn workdir(&self) -> &str {
        &self.workdir
    }

    /// The shell for shell-form commands (`SHELL`, default `/bin/sh -c`).
    pub fn shell(&self) -> &[String] {
        &self.shell
    }

    fn word(&self, node: &Node, w: &str, env: &[(String, String)]) -> Result<String, ParseError> {
        self.lexer
            .process_word(w, env)
            .map_err(|e| expand_err(node, e))
    }

    /// Expands `node`'s words as BuildKit does at this point of the stage, then records what
    /// the instruction changes in the scope (ENV, ARG, WORKDIR, SHELL). Returns the
    /// instruction with expanded words (unchanged for non-expanding instructions).
    pub fn apply(&mut self, node: &Node) -> Result<Instruction, ParseError> {
        let env = self.environment();
        let w = |s: &str| self.word(node, s, &env);
        let opt = |s: &Option<String>| s.as_deref().map(w).transpose();
        let out = match &node.instruction {
            Instruction::Env(e) => {
                let vars = kvs(&e.vars, &w)?;
                Instruction::Env(Env { vars })
            }
            Instruction::Label(l) => Instruction::Label(Label {
                labels: kvs(&l.labels, &w)?,
            }),
            Instruction::Copy(c) => Instruction::Copy(Copy {
                sources: c.sources.iter().map(|s| w(s)).collect::<Result<_, _>>()?,
                inline: self.inline(node, &c.inline, &env)?,
                dest: w(&c.dest)?,
                from: opt(&c.from)?,
                chown: opt(&c.chown)?,
                chmod: opt(&c.chmod)?,
                ..c.clone()
            }),
            Instruction::Add(a) => Instruction::Add(Add {
                sources: a.sources.iter().map(|s| w(s)).collect::<Result<_, _>>()?,
                inline: self.inline(node, &a.inline, &env)?,
                dest: w(&a.dest)?,
                chown: opt(&a.chown)?,
                chmod: opt(&a.chmod)?,
                checksum: opt(&a.checksum)?,
                ..a.clone()
            }),
            Instruction::Expose(e) => {
                let mut ports = Vec::new();
                for p in &e.ports {
                    ports.extend(
                        self.lexer
                            .process_words(p, env.as_slice())
                            .map_err(|er| expand_err(node, er))?,
                    );
                }
                Instruction::Expose(Expose { ports })
            }
            Instruction::User(u) => Instruction::User(User { user: w(&u.user)? }),
            Instruction::Workdir(d) => Instruction::Workdir(Workdir { path: w(&d.path)? }),
            Instruction::Volume(v) => Instruction::Volume(Volume {
                paths: v.paths.iter().map(|p| w(p)).collect::<Result<_, _>>()?,
                json: v.json,
            }),
            Instruction::StopSignal(s) => Instruction::StopSignal(StopSignal {
                signal: w(&s.signal)?,
            }),
            Instruction::Arg(a) => {
                let mut args = Vec::new();
                for def in &a.args {
                    let key = w(&def.key)?;
                    let value = if let Some(v) = self.build_arg(&key) {
                        Some(v)
                    } else if let Some(d) = &def.default {
                        Some(w(d)?)
                    } else {
                        self.global
                            .iter()
                            .find(|(k, _)| *k == key)
                            .map(|(_, v)| v.clone())
                    };
                    args.push(ArgDef {
                        key,
                        default: value,
                    });
                }
                Instruction::Arg(Arg { args })
            }
            other => other.clone(),
        };
        match &out {
            Instruction::Env(e) => {
                for kv in &e.vars {
                    set(&mut self.env, &kv.key, kv.value.clone());
                }
            }
            Instruction::Arg(a) => {
                for def in &a.args {
                    match self.args.iter_mut().find(|(k, _)| *k == def.key) {
                        Some(slot) => slot.1.clone_from(&def.default),
                        None => self.args.push((def.key.clone(), def.default.clone())),
                    }
                }
            }
            Instruction::Workdir(d) => self.workdir = resolve_workdir(&self.workdir, &d.path),
            Instruction::Shell(s) => self.shell.clone_from(&s.shell),
            _ => {}
        }
        Ok(out)
    }

    fn inline(
        &self,
        node: &Node,
        inline: &[InlineSource],
        env: &[(String, String)],
    ) -> Result<Vec<InlineSource>, ParseError> {
        let raw = Lexer {
            raw_quotes: true,
            raw_escapes: true,
            ..self.lexer
        };
        inline
            .iter()
            .map(|s| {
                Ok(InlineSource {
                    content: if s.expand {
                        raw.process_word(&s.content, env)
                            .map_err(|e| expand_err(node, e))?
                    } else {
                        s.content.clone()
                    },
                    ..s.clone()
                })
            })
            .collect()
    }
}

fn kvs(
    list: &[KeyValue],
    w: &impl Fn(&str) -> Result<String, ParseError>,
) -> Result<Vec<KeyValue>, ParseError> {
    list.iter()
        .map(|kv| {
            Ok(KeyValue {
                key: w(&kv.key)?,
                value: w(&kv.value)?,
                legacy: kv.legacy,
            })
        })
        .collect()
}

/// WORKDIR relative to the previous one, cleaned like Go's `path.Clean`.
pub fn resolve_workdir(current: &str, path: &str) -> String {
    let joined = if path.starts_with('/') {
        path.to_owned()
    } else {
        format!("{current}/{path}")
    };
    clean_path(&joined)
}

/// Go's `path.Clean` for an absolute path.
pub fn clean_path(p: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for c in p.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    format!("/{}", parts.join("/"))
}
