//! A set of rows as TUNE sends it (INTEGRATIONS.md §1.2): a list, an object keyed by id
//! (the keys are ignored), or, when empty, `[]`, `{}`, `null` or `""`.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// The rows, in the order sent.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Rows<T>(pub(crate) Vec<T>);

impl<T> Default for Rows<T> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Rows<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RowsVisitor(PhantomData))
    }
}

struct RowsVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for RowsVisitor<T> {
    type Value = Rows<T>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a list of rows or an object of rows keyed by id")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut rows = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(row) = seq.next_element()? {
            rows.push(row);
        }
        Ok(Rows(rows))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut rows = Vec::with_capacity(map.size_hint().unwrap_or(0));
        while let Some((IgnoredAny, row)) = map.next_entry::<IgnoredAny, T>()? {
            rows.push(row);
        }
        Ok(Rows(rows))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Rows::default())
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Rows::default())
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
        if text.is_empty() {
            Ok(Rows::default())
        } else {
            Err(E::invalid_type(de::Unexpected::Str(text), &self))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_shape_reads() {
        let cases = [
            ("[1, 2]", vec![1, 2], "a list"),
            (
                r#"{"532": 1, "533": 2}"#,
                vec![1, 2],
                "an object keyed by id",
            ),
            ("[]", vec![], "an empty list"),
            ("{}", vec![], "an empty object"),
            ("null", vec![], "null"),
            (r#""""#, vec![], "an empty string"),
        ];
        for (json, expected, description) in cases {
            let rows: Rows<u32> =
                serde_json::from_str(json).unwrap_or_else(|error| panic!("{description}: {error}"));
            assert_eq!(rows.0, expected, "{description}");
        }
    }

    #[test]
    fn other_shapes_are_refused() {
        for (json, description) in [(r#""x""#, "text"), ("7", "a number"), ("true", "a boolean")] {
            assert!(
                serde_json::from_str::<Rows<u32>>(json).is_err(),
                "{description}"
            );
        }
    }
}
