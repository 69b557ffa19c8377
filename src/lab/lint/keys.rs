//! The lab schema's key names, read from the serde types themselves: a derived `Deserialize`
//! hands its field names (or variant names) to the deserializer it is given, so a deserializer
//! that only records them gives the linter the very names serde accepts, renames included. The
//! linter keeps no second copy that could drift from the schema.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};

/// The names a type's derived `Deserialize` accepts: a struct's fields or an enum's variants,
/// in declaration order, as spelt in TOML. Empty for any other type.
pub(crate) fn names<T: for<'de> Deserialize<'de>>() -> &'static [&'static str] {
    match T::deserialize(Names) {
        Err(Stop(Some(names))) => names,
        _ => &[],
    }
}

/// Stops the deserialization as soon as the names are known.
#[derive(Debug)]
struct Stop(Option<&'static [&'static str]>);

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("only the names were read")
    }
}

impl std::error::Error for Stop {}

impl de::Error for Stop {
    fn custom<T: fmt::Display>(_msg: T) -> Self {
        Stop(None)
    }
}

/// A deserializer with no data: it answers the names it is asked for with an error that holds
/// them.
struct Names;

impl<'de> Deserializer<'de> for Names {
    type Error = Stop;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Stop> {
        Err(Stop(None))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Stop> {
        Err(Stop(Some(fields)))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Stop> {
        Err(Stop(Some(variants)))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map identifier ignored_any
    }
}

/// The names a struct's derived `Deserialize` cannot do without (no `Option`, no
/// `#[serde(default)]`), in declaration order. Serde says which field is missing one at a time:
/// the struct is deserialised from a table holding the required names found so far, each with
/// a stand-in value, until it deserialises.
pub(crate) fn required<T: for<'de> Deserialize<'de>>() -> Vec<&'static str> {
    let mut found: Vec<&'static str> = Vec::new();
    let all = names::<T>();
    while found.len() <= all.len() {
        match T::deserialize(StandIn::with_keys(&found)) {
            Err(Fail::Missing(field)) if !found.contains(&field) => found.push(field),
            _ => break,
        }
    }
    found
}

/// Why a stand-in deserialisation failed: a missing field, or anything else.
#[derive(Debug)]
enum Fail {
    Missing(&'static str),
    Other,
}

impl fmt::Display for Fail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("stand-in value refused")
    }
}

impl std::error::Error for Fail {}

impl de::Error for Fail {
    fn custom<T: fmt::Display>(_msg: T) -> Self {
        Fail::Other
    }

    fn missing_field(field: &'static str) -> Self {
        Fail::Missing(field)
    }
}

/// Some value of whatever type is asked for: an empty string, zero, an empty list, the first
/// variant of an enum, a struct with all its fields (or, at the top, with `keys` only).
struct StandIn<'k> {
    keys: Option<&'k [&'static str]>,
    depth: usize,
}

impl<'k> StandIn<'k> {
    fn with_keys(keys: &'k [&'static str]) -> Self {
        StandIn {
            keys: Some(keys),
            depth: 0,
        }
    }

    fn inner(&self) -> StandIn<'static> {
        StandIn {
            keys: None,
            depth: self.depth + 1,
        }
    }
}

/// Nested schemas are a few levels deep; a deeper request means a recursive type.
const MAX_DEPTH: usize = 8;

impl<'de> Deserializer<'de> for StandIn<'_> {
    type Error = Fail;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fail> {
        visitor.visit_unit()
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fail> {
        visitor.visit_bool(false)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fail> {
        visitor.visit_str("")
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fail> {
        visitor.visit_str("")
    }

    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fail> {
        visitor.visit_u64(0)
    }

    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fail> {
        visitor.visit_u64(0)
    }

    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fail> {
        visitor.visit_u64(0)
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fail> {
        visitor.visit_u64(0)
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fail> {
        visitor.visit_i64(0)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fail> {
        visitor.visit_none()
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fail> {
        visitor.visit_seq(Items {
            left: 0,
            depth: self.depth,
        })
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, Fail> {
        visitor.visit_seq(Items {
            left: len,
            depth: self.depth,
        })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Fail> {
        if self.depth > MAX_DEPTH {
            return Err(Fail::Other);
        }
        let keys: Vec<&'static str> = self.keys.map_or_else(|| fields.to_vec(), <[_]>::to_vec);
        visitor.visit_map(Entries {
            keys: keys.into_iter(),
            depth: self.depth,
        })
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Fail> {
        if self.depth > MAX_DEPTH {
            return Err(Fail::Other);
        }
        let variant = variants.first().ok_or(Fail::Other)?;
        visitor.visit_enum(Variant {
            name: variant,
            value: self.inner(),
        })
    }

    serde::forward_to_deserialize_any! {
        i8 i16 i32 i128 u128 f32 f64 char bytes byte_buf unit unit_struct newtype_struct
        tuple_struct map identifier ignored_any
    }
}

/// A key or variant name.
struct Name(&'static str);

impl<'de> Deserializer<'de> for Name {
    type Error = Fail;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fail> {
        visitor.visit_str(self.0)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier
        ignored_any
    }
}

struct Items {
    left: usize,
    depth: usize,
}

impl<'de> de::SeqAccess<'de> for Items {
    type Error = Fail;

    fn next_element_seed<T: de::DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Fail> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        seed.deserialize(StandIn {
            keys: None,
            depth: self.depth + 1,
        })
        .map(Some)
    }
}

struct Entries {
    keys: std::vec::IntoIter<&'static str>,
    depth: usize,
}

impl<'de> de::MapAccess<'de> for Entries {
    type Error = Fail;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Fail> {
        self.keys
            .next()
            .map(|k| seed.deserialize(Name(k)))
            .transpose()
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Fail> {
        seed.deserialize(StandIn {
            keys: None,
            depth: self.depth + 1,
        })
    }
}

struct Variant {
    name: &'static str,
    value: StandIn<'static>,
}

impl<'de> de::EnumAccess<'de> for Variant {
    type Error = Fail;
    type Variant = StandIn<'static>;

    fn variant_seed<V: de::DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, StandIn<'static>), Fail> {
        Ok((seed.deserialize(Name(self.name))?, self.value))
    }
}

impl<'de> de::VariantAccess<'de> for StandIn<'static> {
    type Error = Fail;

    fn unit_variant(self) -> Result<(), Fail> {
        Ok(())
    }

    fn newtype_variant_seed<T: de::DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Fail> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, Fail> {
        Deserializer::deserialize_tuple(self, len, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Fail> {
        Deserializer::deserialize_struct(self, "", fields, visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::check::{
        BaseImage, Bounds, CommandRan, FileContains, ImageConfig, ImageCount, LayerCount, Scope,
        SharedLayers, Status,
    };
    use crate::lab::{Check, Forbid, Lab, Mistake, Start, Step, Text};

    /// Each name serde lists is accepted by serde and an unknown one is refused, for every table
    /// of the schema: the lists are the schema's.
    #[test]
    fn every_listed_key_is_the_schemas() {
        fn accepts<T: for<'de> Deserialize<'de>>(key: &str) -> bool {
            // A key serde does not know fails with "unknown field"; a known key with a wrong
            // value fails otherwise.
            let text = format!("{key} = []\n");
            match toml::from_str::<T>(&text) {
                Ok(_) => true,
                Err(e) => !e.to_string().contains("unknown field"),
            }
        }
        fn check<T: for<'de> Deserialize<'de>>() {
            let names = names::<T>();
            assert!(!names.is_empty(), "{}", std::any::type_name::<T>());
            for key in names {
                assert!(accepts::<T>(key), "{key} in {}", std::any::type_name::<T>());
            }
            assert!(!accepts::<T>("zzz"), "{}", std::any::type_name::<T>());
        }
        check::<Lab>();
        check::<Start>();
        check::<Step>();
        check::<Mistake>();
        check::<Forbid>();
        check::<Text>();
        check::<ImageCount>();
        check::<LayerCount>();
        check::<SharedLayers>();
        check::<ImageConfig>();
        check::<BaseImage>();
        check::<FileContains>();
        check::<CommandRan>();
        check::<Bounds>();
    }

    /// The required keys are the fields without `Option` or `#[serde(default)]`, in order.
    #[test]
    fn required_keys_are_the_schemas() {
        assert_eq!(
            required::<Lab>(),
            ["format_version", "id", "title", "intro", "step"]
        );
        assert_eq!(
            required::<Step>(),
            ["id", "title", "text", "solution", "check"]
        );
        assert_eq!(required::<Start>(), [] as [&str; 0]);
        assert_eq!(required::<Text>(), ["fr", "en"]);
        assert_eq!(required::<Mistake>(), ["id", "when", "explain"]);
        assert_eq!(required::<Forbid>(), ["command", "explain"]);
        assert_eq!(required::<ImageCount>(), [] as [&str; 0]);
        assert_eq!(required::<LayerCount>(), ["image"]);
        assert_eq!(required::<SharedLayers>(), ["images"]);
        assert_eq!(required::<ImageConfig>(), ["image"]);
        assert_eq!(required::<BaseImage>(), ["image", "base"]);
        assert_eq!(required::<FileContains>(), ["path", "text"]);
        assert_eq!(required::<CommandRan>(), ["command"]);
        // Each is really required: serde refuses the table without it.
        let text = "format_version = 1\nid = \"x\"\ntitle = { fr = \"a\", en = \"a\" }\nintro = { fr = \"a\", en = \"a\" }\nstep = []\n";
        toml::from_str::<Lab>(text).expect("a complete lab table");
        for key in required::<Lab>() {
            let without: String = text
                .split_inclusive('\n')
                .filter(|l| !l.starts_with(&format!("{key} ")))
                .collect();
            let err = toml::from_str::<Lab>(&without).expect_err("a required key is missing");
            assert!(
                err.to_string().contains(&format!("missing field `{key}`")),
                "{err}"
            );
        }
    }

    #[test]
    fn renames_and_variants_are_serdes() {
        assert!(names::<Lab>().contains(&"step"), "`steps` is renamed");
        assert!(names::<Step>().contains(&"mistake"));
        assert_eq!(names::<Status>(), ["success", "failure", "any"]);
        assert_eq!(names::<Scope>(), ["step", "lab", "last"]);
        let kinds = names::<Check>();
        assert_eq!(kinds.first(), Some(&"image_present"));
        assert!(kinds.contains(&"build_cache_empty"));
        for kind in kinds {
            let text = format!("c = {{ {kind} = \"x\" }}\n");
            #[derive(Debug, serde::Deserialize)]
            #[allow(dead_code)] // only whether it parses matters
            struct W {
                c: Check,
            }
            if let Err(e) = toml::from_str::<W>(&text) {
                let unknown = format!("unknown variant `{kind}`");
                assert!(!e.to_string().contains(&unknown), "{kind}: {e}");
            }
        }
        assert_eq!(names::<String>(), [] as [&str; 0]);
    }
}
