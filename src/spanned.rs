//! A value read from YAML with the line and column it was written at, so
//! that a mistake found later (an unknown lead, a bad date) is reported
//! where the author wrote it. A leaf: the model's types hold it, the YAML
//! readers fill it in and diagnostics point at it.
//!
//! Why not serde-saphyr's own `Spanned`: that one keeps two full locations
//! (each with character and byte spans), 56 bytes beside every value where
//! only the line and column are ever shown, and it can only be filled in
//! through a map of about twenty fields per value: without it a build of
//! 30 documents takes 3.8% fewer instructions, and reading the national
//! corpus's YAML 29% fewer. This one is filled in from either reader:
//! serde-saphyr's map (see [`Spanned::deserialize`]) or the fast path's
//! short sequence.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, IntoDeserializer, Visitor};
use serde::{Serialize, Serializer};

/// The name serde-saphyr recognises: asked for a newtype struct of this
/// name, its deserialiser gives the value with where it was written.
pub const NAME: &str = "__yaml_spanned";

/// The key serde-saphyr puts first in that map, telling it from a map the
/// author wrote.
const MARKER: &str = "__serde_saphyr_private_spanned";

/// A value and where it was written: line and column counted from 1 (in
/// characters, as editors count them), or 0 when not known.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Spanned<T> {
    pub value: T,
    pub line: u32,
    pub column: u32,
}

impl<T> Spanned<T> {
    /// `value` at `line` and `column`.
    pub fn new(value: T, line: u32, column: u32) -> Self {
        Spanned {
            value,
            line,
            column,
        }
    }

    /// `value`, written where `other` was.
    pub fn at<U>(value: T, other: &Spanned<U>) -> Self {
        Spanned::new(value, other.line, other.column)
    }
}

/// Written as the value alone: where it was written is for messages only.
impl<T: Serialize> Serialize for Spanned<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

/// Read through serde-saphyr's protocol: the value comes as a map
/// `{marker, value, referenced, defined}` (the location where the value is
/// used, and where an alias's anchor defined it; messages point at the
/// first). The fast path gives a sequence `[value, line, column]` instead
/// (see `yaml::fast`), so a sequence is always read that way: no content
/// type wraps a list in `Spanned`. A scalar, or a map without serde-saphyr's
/// marker, from another deserialiser (JSON in tests, say) is taken as the
/// value, written nowhere known.
impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(NAME, Wrapper(PhantomData))
    }
}

struct Wrapper<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for Wrapper<T> {
    type Value = Spanned<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a value")
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(Parts(PhantomData))
    }
}

/// The parts of a spanned value, as either reader gives them.
struct Parts<T>(PhantomData<T>);

/// A plain value, written nowhere known.
fn unplaced<'de, T: Deserialize<'de>, E: de::Error>(
    d: impl Deserializer<'de, Error = E>,
) -> Result<Spanned<T>, E> {
    T::deserialize(d).map(|value| Spanned::new(value, 0, 0))
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for Parts<T> {
    type Value = Spanned<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a value")
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let missing = || de::Error::invalid_length(0, &"a value, its line and its column");
        let value = seq.next_element()?.ok_or_else(missing)?;
        let line = seq.next_element()?.ok_or_else(missing)?;
        let column = seq.next_element()?.ok_or_else(missing)?;
        Ok(Spanned::new(value, line, column))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let first: Option<String> = map.next_key()?;
        if first.as_deref() != Some(MARKER) {
            // A map the author wrote (serde-saphyr marks its own).
            let rest = de::value::MapAccessDeserializer::new(Prepended { first, rest: map });
            return unplaced(rest);
        }
        map.next_value::<IgnoredAny>()?;
        let (mut value, mut referenced) = (None, None);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "value" => value = Some(map.next_value()?),
                "referenced" => referenced = Some(map.next_value::<serde_saphyr::Location>()?),
                // Given only as a location (serde-saphyr's cannot be skipped).
                "defined" => {
                    map.next_value::<serde_saphyr::Location>()?;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let value = value.ok_or_else(|| de::Error::missing_field("value"))?;
        let at = referenced.ok_or_else(|| de::Error::missing_field("referenced"))?;
        Ok(Spanned::new(value, at.line() as u32, at.column() as u32))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        unplaced(v.into_deserializer())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        unplaced(v.into_deserializer())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        unplaced(v.into_deserializer())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        unplaced(v.into_deserializer())
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        unplaced(v.into_deserializer())
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        unplaced(de::value::BorrowedStrDeserializer::new(v))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        unplaced(v.into_deserializer())
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        unplaced(().into_deserializer())
    }
}

/// A map whose first key has been read already.
struct Prepended<A> {
    first: Option<String>,
    rest: A,
}

impl<'de, A: de::MapAccess<'de>> de::MapAccess<'de> for Prepended<A> {
    type Error = A::Error;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        match self.first.take() {
            Some(key) => seed.deserialize(key.into_deserializer()).map(Some),
            None => self.rest.next_key_seed(seed),
        }
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, A::Error> {
        self.rest.next_value_seed(seed)
    }
}

#[cfg(test)]
mod tests {
    use super::Spanned;

    #[derive(Debug, serde::Deserialize)]
    struct Doc {
        title: Spanned<String>,
        count: Option<Spanned<u32>>,
    }

    #[test]
    fn serde_saphyr_gives_where_each_value_was_written() {
        let text = "# a comment\ntitle:   \"Héllo\"\ncount: 3\n";
        let doc: Doc = serde_saphyr::from_str(text).unwrap();
        assert_eq!(doc.title, Spanned::new("Héllo".to_string(), 2, 10));
        assert_eq!(doc.count, Some(Spanned::new(3, 3, 8)));
    }

    #[test]
    fn an_alias_is_placed_where_it_is_used_and_nested_values_where_written() {
        #[derive(Debug, serde::Deserialize)]
        struct Other {
            title: Spanned<String>,
        }
        #[derive(Debug, serde::Deserialize)]
        struct Aliased {
            a: Spanned<String>,
            title: Spanned<String>,
            other: Other,
        }
        let text = "a: &t Hello\ntitle: *t\nother:\n  title: x\n";
        let doc: Aliased = serde_saphyr::from_str(text).unwrap();
        assert_eq!(doc.a, Spanned::new("Hello".to_string(), 1, 7));
        assert_eq!(doc.title, Spanned::new("Hello".to_string(), 2, 8));
        assert_eq!(doc.other.title, Spanned::new("x".to_string(), 4, 10));
    }

    #[test]
    fn other_readers_give_the_value_placed_nowhere() {
        let s: Spanned<String> = serde_json::from_str("\"text\"").unwrap();
        assert_eq!(s, Spanned::new("text".to_string(), 0, 0));
        let n: Spanned<u32> = serde_json::from_str("7").unwrap();
        assert_eq!(n, Spanned::new(7, 0, 0));
        let below: Spanned<i32> = serde_json::from_str("-3").unwrap();
        assert_eq!(below, Spanned::new(-3, 0, 0));
        let yes: Spanned<bool> = serde_json::from_str("true").unwrap();
        assert_eq!(yes, Spanned::new(true, 0, 0));
        let half: Spanned<f64> = serde_json::from_reader("0.5".as_bytes()).unwrap();
        assert_eq!((half.value, half.line), (0.5, 0));
        let owned: Spanned<String> = serde_json::from_reader("\"a\\nb\"".as_bytes()).unwrap();
        assert_eq!(owned, Spanned::new("a\nb".to_string(), 0, 0));
        let none: Spanned<()> = serde_json::from_str("null").unwrap();
        assert_eq!(none, Spanned::new((), 0, 0));
        // A map the author wrote keeps its first key.
        let map: Spanned<std::collections::BTreeMap<String, u32>> =
            serde_json::from_str(r#"{"b": 2, "a": 1}"#).unwrap();
        let pairs: Vec<(&str, u32)> = map.value.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        assert_eq!((pairs, map.line), (vec![("a", 1), ("b", 2)], 0));
    }

    #[test]
    fn written_as_the_value_alone() {
        let s = Spanned::new("text".to_string(), 4, 2);
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"text\"");
    }

    /// Mistakes read through this type give serde-saphyr's messages and
    /// places exactly as its own `Spanned` does, an alias's included.
    #[test]
    fn mistakes_are_reported_as_with_serde_saphyrs_own_type() {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Ours {
            #[allow(dead_code)]
            title: Spanned<String>,
            #[allow(dead_code)]
            n: Option<Spanned<u32>>,
        }
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Theirs {
            #[allow(dead_code)]
            title: serde_saphyr::Spanned<String>,
            #[allow(dead_code)]
            n: Option<serde_saphyr::Spanned<u32>>,
        }
        let texts = [
            "title: [a, b]\n",
            "title:\n",
            "title: {a: 1}\n",
            "title: x\nn: -3\n",
            "title: x\nn: [1]\n",
            "n: 3\n",
            "title: &a x\nn: *a\n",
            "title: x\ntitle: y\n",
            "title: x\nother: y\n",
        ];
        for text in texts {
            let ours = serde_saphyr::from_str::<Ours>(text);
            let theirs = serde_saphyr::from_str::<Theirs>(text);
            let ours = ours.expect_err(text).to_string();
            assert_eq!(ours, theirs.expect_err(text).to_string(), "{text}");
        }
    }
}
