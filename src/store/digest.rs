//! The `sha256:<hex>` digest that names every blob, image and layer.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

/// A validated `sha256:` digest with 64 lowercase hex digits, kept inline (no allocation: a store
/// of 10,000 images holds ~100,000 of them, and cloning or comparing one is a plain copy).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Digest([u8; DIGEST_LEN]);

/// The order of the text (every digest starts `sha256:`), its first 8 hex digits compared as one
/// integer: they almost always differ, and the maps and sorts of a large store compare digests
/// millions of times, each a call to `memcmp` of 71 bytes before.
impl Ord for Digest {
    fn cmp(&self, other: &Digest) -> std::cmp::Ordering {
        const HEAD: std::ops::Range<usize> = PREFIX.len()..PREFIX.len() + 8;
        let head = |d: &Digest| u64::from_be_bytes(d.0[HEAD].try_into().expect("8 bytes"));
        head(self)
            .cmp(&head(other))
            .then_with(|| self.0[HEAD.end..].cmp(&other.0[HEAD.end..]))
    }
}

impl PartialOrd for Digest {
    fn partial_cmp(&self, other: &Digest) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// Hashes 16 hex digits (64 bits of a sha256) rather than all 71 bytes: equal digests still
/// hash equally, and hash maps of digests (the usage index of `rmi` and `prune`) get 3× cheaper.
impl std::hash::Hash for Digest {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write(&self.0[PREFIX.len()..PREFIX.len() + 16]);
    }
}

const PREFIX: &str = "sha256:";
const DIGEST_LEN: usize = PREFIX.len() + 64;

/// Why a string is not a digest.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid digest {0:?}: expected sha256: followed by 64 lowercase hex digits")]
pub struct InvalidDigest(pub String);

impl Digest {
    /// The digest of `bytes`.
    pub fn of(bytes: &[u8]) -> Digest {
        Digest::from_hasher(Sha256::new_with_prefix(bytes))
    }

    /// The digest a finished hasher computed.
    pub fn from_hasher(hasher: Sha256) -> Digest {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut out = [0u8; DIGEST_LEN];
        out[..PREFIX.len()].copy_from_slice(PREFIX.as_bytes());
        for (i, b) in hasher.finalize().iter().enumerate() {
            out[PREFIX.len() + 2 * i] = HEX[usize::from(b >> 4)];
            out[PREFIX.len() + 2 * i + 1] = HEX[usize::from(b & 0xf)];
        }
        Digest(out)
    }

    /// A digest from its 64 hex digits alone (as the state file and blob names keep them).
    #[inline]
    pub fn from_hex(hex: &str) -> Result<Digest, InvalidDigest> {
        // No early exit: the loop vectorises, and valid digests (the common case) check every byte.
        let valid = hex.len() == 64
            && hex.bytes().fold(true, |ok, b| {
                ok & (b.is_ascii_digit() | (b'a'..=b'f').contains(&b))
            });
        if !valid {
            return Err(InvalidDigest(format!("{PREFIX}{hex}")));
        }
        let mut out = [0u8; DIGEST_LEN];
        out[..PREFIX.len()].copy_from_slice(PREFIX.as_bytes());
        out[PREFIX.len()..].copy_from_slice(hex.as_bytes());
        Ok(Digest(out))
    }

    /// The 64 hex digits.
    pub fn hex(&self) -> &str {
        std::str::from_utf8(&self.0[PREFIX.len()..]).expect("a digest is ASCII: checked when made")
    }

    /// The first 12 hex digits, as Docker shows IDs (only those checked as UTF-8: `image ls`
    /// takes 10,000 of them).
    pub fn short(&self) -> &str {
        std::str::from_utf8(&self.0[PREFIX.len()..PREFIX.len() + 12])
            .expect("a digest is ASCII: checked when made")
    }

    /// The 64 hex digits as bytes (no UTF-8 check: for writers of large files).
    pub fn hex_bytes(&self) -> &[u8] {
        &self.0[PREFIX.len()..]
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("a digest is ASCII: checked when it was made")
    }
}

/// Lowercase hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

impl FromStr for Digest {
    type Err = InvalidDigest;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.strip_prefix(PREFIX) {
            Some(h) => Digest::from_hex(h).map_err(|_| InvalidDigest(s.to_owned())),
            None => Err(InvalidDigest(s.to_owned())),
        }
    }
}

impl TryFrom<String> for Digest {
    type Error = InvalidDigest;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Digest> for String {
    fn from(d: Digest) -> String {
        d.as_str().to_owned()
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Digest({})", self.as_str())
    }
}

/// Docker's chain ID of a layer stack: `chain(L0) = diff(L0)`,
/// `chain(Ln) = sha256(chain(Ln-1) + " " + diff(Ln))`.
pub fn chain_ids(diff_ids: &[Digest]) -> Vec<Digest> {
    let mut out: Vec<Digest> = Vec::with_capacity(diff_ids.len());
    for diff in diff_ids {
        let next = match out.last() {
            None => diff.clone(),
            Some(parent) => Digest::of(format!("{parent} {diff}").as_bytes()),
        };
        out.push(next);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_of_empty_input() {
        assert_eq!(
            Digest::of(b"").as_str(),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn rejects_invalid_digests() {
        for bad in [
            "",
            "sha256:",
            "sha256:abc",
            "sha512:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85g",
            "sha256:../../../../etc/passwd/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        ] {
            assert!(bad.parse::<Digest>().is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn digests_order_as_their_text() {
        let mut digests: Vec<Digest> = (0..200).map(|i| Digest::of(&[i as u8])).collect();
        // Equal heads, different tails.
        for tail in ["0", "1", "f"] {
            let hex = format!("{}{}", "ab".repeat(16), tail.repeat(32));
            digests.push(Digest::from_hex(&hex).expect("hex"));
        }
        for a in &digests {
            for b in &digests {
                assert_eq!(a.cmp(b), a.as_str().cmp(b.as_str()), "{a} {b}");
            }
        }
        assert_eq!(digests[3].short(), &digests[3].hex()[..12]);
    }

    #[test]
    fn chain_ids_follow_docker() {
        // The empty layer's diff ID on top of itself, as in `docker inspect` RootFS of images that
        // have two WORKDIR layers: chain(L1) = sha256("<d> <d>").
        let d: Digest = "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef"
            .parse()
            .expect("valid digest");
        let chain = chain_ids(&[d.clone(), d.clone()]);
        assert_eq!(chain[0], d);
        assert_eq!(chain[1], Digest::of(format!("{d} {d}").as_bytes()));
    }
}
