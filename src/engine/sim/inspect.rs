//! `docker inspect`, `docker image inspect` and `docker container inspect`: the documents of
//! [`super::images`] and [`super::containers`], printed as JSON or through a Go template.

use serde_json::Value;

use super::containers;
use super::images::image_json;
use super::{usage_error, Ctx, Outcome};
use crate::docker::cli::Invocation;
use crate::docker::json;
use crate::docker::template::{Template, Value as Go};
use crate::store::StoreError;

/// Which objects `inspect` looks for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum InspectKind {
    Image,
    Container,
    Any,
}

/// `docker inspect`, `docker image inspect`, `docker container inspect`
pub(super) fn inspect(
    ctx: &mut Ctx<'_>,
    inv: &Invocation,
    kind: InspectKind,
) -> Result<Outcome, StoreError> {
    if inv.args.is_empty() {
        return Ok(usage_error(inv, "requires at least 1 argument"));
    }
    let mut values = Vec::new();
    // Whether the daemon's document escapes `<`, `>`, `&` (image: yes; container: no).
    let mut escaped = Vec::new();
    let mut errors = Vec::new();
    for name in &inv.args {
        let container = if kind == InspectKind::Image {
            None
        } else {
            containers::find(ctx, name)
        };
        if let Some(i) = container {
            values.push(containers::inspect_json(ctx, i)?);
            escaped.push(false);
            continue;
        }
        if kind != InspectKind::Container {
            match ctx.find_image(name) {
                Ok(id) => {
                    values.push(image_json(ctx, &id)?);
                    escaped.push(true);
                    continue;
                }
                Err(e) => {
                    if kind == InspectKind::Image {
                        errors.push(format!("Error response from daemon: {}", e.message()));
                        continue;
                    }
                }
            }
        }
        errors.push(match kind {
            InspectKind::Image => crate::docker::errors::DockerError::NoSuchImage {
                reference: name.clone(),
            }
            .stderr()
            .trim_end()
            .to_owned(),
            InspectKind::Container => {
                crate::docker::errors::DockerError::NoSuchContainer { name: name.clone() }
                    .stderr()
                    .trim_end()
                    .to_owned()
            }
            InspectKind::Any => {
                crate::docker::errors::DockerError::NoSuchObject { name: name.clone() }
                    .stderr()
                    .trim_end()
                    .to_owned()
            }
        });
    }
    let mut out = Outcome::default();
    match inv.flags.value("format") {
        None | Some("" | "json") => {
            // `json.Indent` over the daemon's documents, each escaped as the daemon wrote it.
            if values.is_empty() {
                "[]".clone_into(&mut out.stdout);
            } else {
                let items: Vec<String> = values
                    .iter()
                    .zip(&escaped)
                    .map(|(v, &esc)| {
                        json::indented_with(v, esc)
                            .lines()
                            .map(|l| format!("    {l}"))
                            .collect::<Vec<_>>()
                            .join("\n")
                    })
                    .collect();
                out.stdout = format!("[\n{}\n]", items.join(",\n"));
            }
            out.stdout.push('\n');
        }
        Some(f) => {
            let template = match Template::parse_go(f) {
                Ok(t) => t,
                // `inspect` exits 64 on a template that does not parse (`ls --format`: 1).
                Err(e) => return Ok(Outcome::error(format!("{e}\n"), 64)),
            };
            for v in &values {
                // docker/cli's `TemplateInspector`: the typed document first; when that fails,
                // the raw JSON as maps, a missing key then being an error. A typed document has
                // every field of its Go struct, those the JSON omits at their zero value
                // (`{{.Config.Entrypoint}}` is `[]`): they are added for a second try only, so
                // that `{{json .Config}}` keeps omitting them as the CLI's `omitempty` does.
                let line = template
                    .execute_value(&typed(v, "types.ImageInspect"))
                    .or_else(|_| {
                        template.execute_value(&with_zero_fields(typed(v, "types.ImageInspect"), v))
                    })
                    .or_else(|_| template.execute_value_strict(&Go::from_json(v)));
                match line {
                    Ok(line) => {
                        out.stdout.push_str(&line);
                        out.stdout.push('\n');
                    }
                    Err(e) => {
                        // Nothing rendered: the inspector still writes an empty line.
                        if out.stdout.is_empty() {
                            out.stdout.push('\n');
                        }
                        return Ok(Outcome {
                            stdout: out.stdout,
                            ..Outcome::error(format!("{e}\n"), 1)
                        });
                    }
                }
            }
        }
    }
    // The template inspector's flush: nothing rendered (every object missing) is an empty line.
    if values.is_empty()
        && inv
            .flags
            .value("format")
            .is_some_and(|f| !f.is_empty() && f != "json")
    {
        out.stdout.push('\n');
    }
    if !errors.is_empty() {
        out.stderr = errors.join("\n") + "\n";
        out.exit_code = 1;
    }
    Ok(out)
}

/// The fields of the Go structs behind an inspect document that its JSON may omit, with their
/// zero values as a template prints them: Docker 28's image `Config`
/// (`dockerspec.DockerOCIImageConfig`) and top level (`image.InspectResponse`), a container's
/// `Config` (`container.Config`).
fn with_zero_fields(doc: Go, json: &Value) -> Go {
    /// A Go field's kind, for its zero value.
    #[derive(Clone, Copy)]
    enum Kind {
        Str,
        Slice,
        Map,
        Pointer,
        Bool,
    }
    use Kind::{Bool as BOOL, Map as MAP, Pointer as POINTER, Slice as SLICE, Str as STRING};
    const IMAGE_TOP: &[(&str, Kind)] = &[
        ("Parent", STRING),
        ("Comment", STRING),
        ("DockerVersion", STRING),
        ("Author", STRING),
        ("Variant", STRING),
        ("OsVersion", STRING),
        ("Descriptor", POINTER),
        ("Manifests", SLICE),
    ];
    const IMAGE_CONFIG: &[(&str, Kind)] = &[
        ("User", STRING),
        ("ExposedPorts", MAP),
        ("Env", SLICE),
        ("Entrypoint", SLICE),
        ("Cmd", SLICE),
        ("Volumes", MAP),
        ("WorkingDir", STRING),
        ("Labels", MAP),
        ("StopSignal", STRING),
        ("ArgsEscaped", BOOL),
        ("Healthcheck", POINTER),
        ("OnBuild", SLICE),
        ("Shell", SLICE),
    ];
    const CONTAINER_CONFIG: &[(&str, Kind)] = &[
        ("Hostname", STRING),
        ("Domainname", STRING),
        ("User", STRING),
        ("ExposedPorts", MAP),
        ("Env", SLICE),
        ("Cmd", SLICE),
        ("Healthcheck", POINTER),
        ("Image", STRING),
        ("Volumes", MAP),
        ("WorkingDir", STRING),
        ("Entrypoint", SLICE),
        ("OnBuild", SLICE),
        ("Labels", MAP),
        ("StopSignal", STRING),
        ("Shell", SLICE),
    ];
    fn fill(fields: &mut Vec<(String, Go)>, zeros: &[(&str, Kind)]) {
        for (name, kind) in zeros {
            if fields.iter().any(|(k, _)| k == name) {
                continue;
            }
            let zero = match kind {
                Kind::Str => Go::String(String::new()),
                Kind::Slice => Go::NilSlice,
                Kind::Map => Go::NilMap,
                Kind::Pointer => Go::NilPointer,
                Kind::Bool => Go::Bool(false),
            };
            fields.push(((*name).to_owned(), zero));
        }
    }
    let container = json.get("State").is_some();
    let Go::Struct {
        type_name,
        mut fields,
    } = doc
    else {
        return doc;
    };
    if !container {
        fill(&mut fields, IMAGE_TOP);
    }
    for (name, value) in &mut fields {
        if let (true, Go::Struct { fields: inner, .. }) = (name == "Config", value) {
            fill(
                inner,
                if container {
                    CONTAINER_CONFIG
                } else {
                    IMAGE_CONFIG
                },
            );
        }
    }
    Go::Struct { type_name, fields }
}

/// Inspect documents as `docker inspect --format` sees them: Go structs (fields in declaration
/// order, so `{{json .Config}}` keeps Docker's order), whose map-typed fields (labels, exposed
/// ports, volumes, graph driver data) stay maps.
fn typed(v: &Value, type_name: &str) -> crate::docker::template::Value {
    use crate::docker::template::Value as Go;
    const MAPS: &[&str] = &[
        "Labels",
        "ExposedPorts",
        "Volumes",
        "Data",
        "Options",
        "PortBindings",
        "Ports",
        "Networks",
        "DriverOpts",
    ];
    // Go slices and pointers a document may hold as `null`: typed, they print `[]` and `<nil>`.
    const SLICES: &[&str] = &["Entrypoint", "Cmd", "Env", "OnBuild", "Shell", "Mounts"];
    const POINTERS: &[&str] = &["Healthcheck", "StopTimeout"];
    fn convert(v: &Value, name: &str, type_name: &str) -> Go {
        match v {
            Value::Null if MAPS.contains(&name) => Go::NilMap,
            Value::Null if SLICES.contains(&name) => Go::NilSlice,
            Value::Null if POINTERS.contains(&name) => Go::NilPointer,
            // A Go map: sorted keys, its values (port bindings, endpoint settings) structs.
            Value::Object(map) if MAPS.contains(&name) => {
                let mut entries: Vec<(String, Go)> = map
                    .iter()
                    .map(|(k, v)| (k.clone(), convert(v, "", "")))
                    .collect();
                entries.sort_by(|a, b| a.0.cmp(&b.0));
                Go::Map(entries)
            }
            Value::Object(map) => Go::Struct {
                type_name: type_name.to_owned(),
                fields: map
                    .iter()
                    .map(|(k, v)| (k.clone(), convert(v, k, k)))
                    .collect(),
            },
            Value::Array(items) => Go::List(items.iter().map(|i| convert(i, "", "")).collect()),
            other => Go::from_json(other),
        }
    }
    convert(v, "", type_name)
}
