//! A list of the state (containers, build cache records) read from its section of the state file
//! when a command first uses it: a store built by a thousand builds holds thousands of cache
//! records, which `history` or `tag` never look at. It dereferences to the `Vec` it stands for,
//! and notes whether a command changed it (through `DerefMut`), so that a save writes it only
//! then.

use std::cell::OnceCell;

use super::table::Section;

/// How a section of such records is read.
pub trait Records: Sized {
    /// Every record of `text` (whole lines, the first of them line `first_line` of the file).
    fn parse_section(text: &str, first_line: usize) -> Result<Vec<Self>, String>;
}

/// See the module's documentation.
pub struct Lazy<T> {
    value: OnceCell<Vec<T>>,
    source: Option<Section>,
    changed: bool,
}

impl<T: Records> Lazy<T> {
    /// The records of `section`, read on first use.
    pub(crate) fn on_disk(section: Section) -> Lazy<T> {
        Lazy {
            value: OnceCell::new(),
            source: Some(section),
            changed: false,
        }
    }

    fn get(&self) -> &Vec<T> {
        self.value.get_or_init(|| {
            let Some(section) = &self.source else {
                return Vec::new();
            };
            let parsed = section.bytes().and_then(|bytes| {
                let text = std::str::from_utf8(&bytes)
                    .map_err(|e| format!("line {}: not UTF-8: {e}", section.first_line))?;
                T::parse_section(text, section.first_line)
            });
            parsed.unwrap_or_else(|e| {
                section.fail(e);
                Vec::new()
            })
        })
    }
}

impl<T> Lazy<T> {
    /// Whether a command changed the records (or may have: it had them to change).
    pub fn changed(&self) -> bool {
        self.changed
    }

    /// The section it reads from, when it was never read nor changed: what a save copies as it
    /// is.
    pub(crate) fn unread_section(&self) -> Option<&Section> {
        if self.value.get().is_some() {
            None
        } else {
            self.source.as_ref()
        }
    }
}

impl<T> From<Vec<T>> for Lazy<T> {
    fn from(records: Vec<T>) -> Lazy<T> {
        Lazy {
            value: OnceCell::from(records),
            source: None,
            changed: false,
        }
    }
}

impl<T> Default for Lazy<T> {
    fn default() -> Lazy<T> {
        Lazy::from(Vec::new())
    }
}

impl<T: Records> std::ops::Deref for Lazy<T> {
    type Target = Vec<T>;
    fn deref(&self) -> &Vec<T> {
        self.get()
    }
}

impl<T: Records> std::ops::DerefMut for Lazy<T> {
    fn deref_mut(&mut self) -> &mut Vec<T> {
        self.get();
        self.changed = true;
        self.value.get_mut().expect("read just above")
    }
}

impl<'a, T: Records> IntoIterator for &'a Lazy<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.get().iter()
    }
}

impl<T: Records + Clone> Clone for Lazy<T> {
    fn clone(&self) -> Lazy<T> {
        Lazy::from(self.get().clone())
    }
}

impl<T: Records + PartialEq> PartialEq for Lazy<T> {
    fn eq(&self, other: &Lazy<T>) -> bool {
        self.get() == other.get()
    }
}

impl<T: Records + std::fmt::Debug> std::fmt::Debug for Lazy<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.get().fmt(f)
    }
}

impl<T: Records + serde::Serialize> serde::Serialize for Lazy<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.get().serialize(s)
    }
}

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Lazy<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Lazy<T>, D::Error> {
        Vec::deserialize(d).map(Lazy::from)
    }
}
