//! The OCI index's JSON written by hand, byte for byte as `serde_json` writes it (compact for the
//! digest of a manifest list, pretty for `index.json`): at 10,000 images the list is megabytes,
//! and the generic serialiser was most of a save's time. Tests compare both on every shape.

use super::{Descriptor, Index};

/// A JSON string, escaped as `serde_json` escapes it.
fn string(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let special = |b: &u8| *b < 0x20 || *b == b'"' || *b == b'\\';
    out.push(b'"');
    let mut rest = s.as_bytes();
    while let Some(i) = rest.iter().position(special) {
        out.extend_from_slice(&rest[..i]);
        let b = rest[i];
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0c => out.extend_from_slice(b"\\f"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            _ => {
                out.extend_from_slice(b"\\u00");
                out.push(HEX[usize::from(b >> 4)]);
                out.push(HEX[usize::from(b & 0xf)]);
            }
        }
        rest = &rest[i + 1..];
    }
    out.extend_from_slice(rest);
    out.push(b'"');
}

/// A string known to need no escape (a key of ours, a digest's hex digits).
fn plain(out: &mut Vec<u8>, s: &str) {
    debug_assert!(!s.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\'));
    out.push(b'"');
    out.extend_from_slice(s.as_bytes());
    out.push(b'"');
}

fn number(out: &mut Vec<u8>, n: u64) {
    super::format::push_number(out, n);
}

/// Line breaks and indentation for the pretty form; nothing for the compact one.
struct Layout {
    pretty: bool,
    depth: usize,
}

impl Layout {
    fn open(&mut self, out: &mut Vec<u8>, bracket: u8) {
        out.push(bracket);
        self.depth += 1;
    }

    fn close(&mut self, out: &mut Vec<u8>, bracket: u8, empty: bool) {
        self.depth -= 1;
        if !empty {
            self.newline(out);
        }
        out.push(bracket);
    }

    fn newline(&self, out: &mut Vec<u8>) {
        if self.pretty {
            out.push(b'\n');
            out.resize(out.len() + 2 * self.depth, b' ');
        }
    }

    /// Before a member or an element: the comma after the previous one, then the line break.
    fn item(&self, out: &mut Vec<u8>, first: bool) {
        if !first {
            out.push(b',');
        }
        self.newline(out);
    }

    /// One of our own keys (plain ASCII): written as it is.
    fn key(&self, out: &mut Vec<u8>, first: bool, key: &str) {
        self.item(out, first);
        plain(out, key);
        out.extend_from_slice(if self.pretty { b": " } else { b":" });
    }

    fn map(&mut self, out: &mut Vec<u8>, map: &std::collections::BTreeMap<String, String>) {
        self.open(out, b'{');
        for (n, (k, v)) in map.iter().enumerate() {
            self.item(out, n == 0);
            string(out, k);
            out.extend_from_slice(if self.pretty { b": " } else { b":" });
            string(out, v);
        }
        self.close(out, b'}', map.is_empty());
    }

    fn descriptor(&mut self, out: &mut Vec<u8>, d: &Descriptor) {
        self.open(out, b'{');
        self.key(out, true, "mediaType");
        string(out, &d.media_type);
        self.key(out, false, "digest");
        plain(out, d.digest.as_str());
        self.key(out, false, "size");
        number(out, d.size);
        if !d.annotations.is_empty() {
            self.key(out, false, "annotations");
            self.map(out, &d.annotations);
        }
        self.close(out, b'}', false);
    }

    fn list(&mut self, out: &mut Vec<u8>, manifests: &[Descriptor]) {
        self.open(out, b'[');
        for (n, d) in manifests.iter().enumerate() {
            self.item(out, n == 0);
            self.descriptor(out, d);
        }
        self.close(out, b']', manifests.is_empty());
    }
}

/// A manifest list as `serde_json::to_vec` writes it.
pub(super) fn compact_list(manifests: &[Descriptor]) -> Vec<u8> {
    let mut out = Vec::with_capacity(manifests.len() * 260 + 2);
    Layout {
        pretty: false,
        depth: 0,
    }
    .list(&mut out, manifests);
    out
}

/// An index as `serde_json::to_vec_pretty` writes it.
pub(super) fn pretty_index(index: &Index) -> Vec<u8> {
    let mut out = Vec::with_capacity(index.manifests.len() * 330 + 256);
    let mut layout = Layout {
        pretty: true,
        depth: 0,
    };
    layout.open(&mut out, b'{');
    layout.key(&mut out, true, "schemaVersion");
    number(&mut out, u64::from(index.schema_version));
    layout.key(&mut out, false, "mediaType");
    string(&mut out, &index.media_type);
    layout.key(&mut out, false, "manifests");
    layout.list(&mut out, &index.manifests);
    if !index.annotations.is_empty() {
        layout.key(&mut out, false, "annotations");
        layout.map(&mut out, &index.annotations);
    }
    layout.close(&mut out, b'}', false);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Digest;

    fn descriptor(n: usize, name: Option<&str>) -> Descriptor {
        Descriptor {
            media_type: "application/vnd.oci.image.manifest.v1+json".to_owned(),
            digest: Digest::of(format!("manifest {n}").as_bytes()),
            size: n as u64 * 977,
            annotations: name
                .map(|n| [("org.opencontainers.image.ref.name".to_owned(), n.to_owned())].into())
                .unwrap_or_default(),
        }
    }

    #[test]
    fn the_json_is_serde_jsons_byte_for_byte() {
        let odd = "quote\" back\\slash\ttab\nnew\rret\u{8}\u{c}\u{1}\u{1f}\u{7f} é ☃ 🐳";
        let lists = [
            vec![],
            vec![descriptor(0, None)],
            vec![
                descriptor(1, Some("docker.io/library/nginx:latest")),
                descriptor(2, None),
                descriptor(3, Some(odd)),
                descriptor(4, Some("")),
            ],
        ];
        for manifests in lists {
            assert_eq!(
                String::from_utf8(compact_list(&manifests)).expect("utf-8"),
                serde_json::to_string(&manifests).expect("serialises")
            );
            for annotations in [
                std::collections::BTreeMap::new(),
                [("io.docklab.index.previous".to_owned(), odd.to_owned())].into(),
                [
                    ("a".to_owned(), "1".to_owned()),
                    ("b".to_owned(), String::new()),
                ]
                .into(),
            ] {
                let index = Index {
                    schema_version: 2,
                    media_type: "application/vnd.oci.image.index.v1+json".to_owned(),
                    manifests: manifests.clone(),
                    annotations,
                };
                assert_eq!(
                    String::from_utf8(pretty_index(&index)).expect("utf-8"),
                    serde_json::to_string_pretty(&index).expect("serialises")
                );
            }
        }
    }
}
