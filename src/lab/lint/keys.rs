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
