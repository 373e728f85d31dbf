//! Offer metadata (SPEC §2): string keys to string values, at most 50 keys, keys of 1–40
//! characters, values of at most 500. Updates are merges (SPEC §3.4).

use std::collections::BTreeMap;

use crate::error::InputError;
use crate::input::{MetadataInput, Sent};
use crate::text::is_storable;

/// The most keys an offer's metadata holds.
pub const METADATA_MAX_KEYS: usize = 50;
/// The longest metadata key, in characters.
pub const METADATA_KEY_MAX_CHARS: usize = 40;
/// The longest metadata value, in characters.
pub const METADATA_VALUE_MAX_CHARS: usize = 500;

/// Valid metadata: a string-to-string map within the limits.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Metadata(BTreeMap<String, String>);

impl Metadata {
    /// Metadata sent on create: every value a string, within the limits.
    pub fn from_input(entries: MetadataInput) -> Result<Self, InputError> {
        check_metadata(&entries, MetadataRules::Create).map_err(InputError::InvalidMetadata)?;
        Ok(Self(
            entries
                .into_iter()
                .filter_map(|(key, value)| value.into_value().map(|value| (key, value)))
                .collect(),
        ))
    }

    /// Checks a map read back from storage against the same limits.
    pub fn from_map(entries: BTreeMap<String, String>) -> Result<Self, InputError> {
        let sent: MetadataInput = entries
            .iter()
            .map(|(key, value)| (key.clone(), Sent::Value(value.clone())))
            .collect();
        check_metadata(&sent, MetadataRules::Create).map_err(InputError::InvalidMetadata)?;
        Ok(Self(entries))
    }

    /// The entries, sorted by key.
    pub fn entries(&self) -> &BTreeMap<String, String> {
        &self.0
    }
}

/// A metadata merge sent on update: keys to set (added or overwritten) and keys to remove
/// (sent with `null`). Keys not mentioned stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MetadataPatch {
    /// Keys to add or overwrite, with their new values.
    pub set: BTreeMap<String, String>,
    /// Keys to remove.
    pub remove: Vec<String>,
}

impl MetadataPatch {
    /// A merge sent on update: strings to set, `null`s to remove.
    pub fn from_input(entries: MetadataInput) -> Result<Self, InputError> {
        check_metadata(&entries, MetadataRules::Merge).map_err(InputError::InvalidMetadata)?;
        let mut patch = Self::default();
        for (key, value) in entries {
            match value {
                Sent::Value(text) => {
                    patch.set.insert(key, text);
                }
                _ => patch.remove.push(key),
            }
        }
        Ok(patch)
    }
}

/// What values a metadata object may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MetadataRules {
    /// Strings only.
    Create,
    /// Strings, or `null` to remove a key.
    Merge,
}

/// Checks metadata against the §2 limits; the reason it breaks one, for the message.
pub(crate) fn check_metadata(
    entries: &MetadataInput,
    rules: MetadataRules,
) -> Result<(), &'static str> {
    if entries.len() > METADATA_MAX_KEYS {
        return Err(TOO_MANY_KEYS);
    }
    for (key, value) in entries {
        if !is_storable(key) {
            return Err(NO_NUL);
        }
        if !(1..=METADATA_KEY_MAX_CHARS).contains(&key.chars().count()) {
            return Err("keys must be 1 to 40 characters");
        }
        match (value, rules) {
            (Sent::Value(text), _) if !is_storable(text) => return Err(NO_NUL),
            (Sent::Value(text), _) if text.chars().count() > METADATA_VALUE_MAX_CHARS => {
                return Err("values must be at most 500 characters")
            }
            (Sent::Value(_), _) | (Sent::Null, MetadataRules::Merge) => {}
            (_, MetadataRules::Create) => return Err("values must be strings"),
            (_, MetadataRules::Merge) => {
                return Err("values must be strings, or null to remove a key")
            }
        }
    }
    Ok(())
}

/// The reason for a merge whose result would hold more than the allowed keys.
const TOO_MANY_KEYS: &str = "may hold at most 50 keys";
/// The reason for a NUL character in a key or value.
const NO_NUL: &str = "keys and values must not contain NUL characters";

/// The error for a merge whose result would hold more than the allowed keys; the store
/// reports it when the merged metadata breaks the limit.
pub fn too_many_keys() -> InputError {
    InputError::InvalidMetadata(TOO_MANY_KEYS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(pairs: &[(&str, Sent<String>)]) -> MetadataInput {
        pairs
            .iter()
            .map(|(key, value)| ((*key).to_owned(), value.clone()))
            .collect()
    }

    fn keys(count: usize) -> MetadataInput {
        (0..count)
            .map(|i| (format!("k{i}"), Sent::from("v")))
            .collect()
    }

    #[test]
    fn create_metadata_limits() {
        let long_key = "k".repeat(41);
        let cases = [
            (MetadataInput::new(), true, "empty object"),
            (
                entries(&[("vertical", "finance".into()), ("geo", "US".into())]),
                true,
                "strings",
            ),
            (keys(50), true, "50 keys"),
            (keys(51), false, "51 keys"),
            (entries(&[("", "v".into())]), false, "empty key"),
            (
                entries(&[(&"k".repeat(40), "v".into())]),
                true,
                "40-character key",
            ),
            (
                entries(&[(&long_key, "v".into())]),
                false,
                "41-character key",
            ),
            (
                entries(&[("k", "é".repeat(500).as_str().into())]),
                true,
                "500-character value",
            ),
            (
                entries(&[("k", "v".repeat(501).as_str().into())]),
                false,
                "501-character value",
            ),
            (entries(&[("k", Sent::WrongType)]), false, "number value"),
            (entries(&[("k", Sent::Null)]), false, "null value on create"),
            (entries(&[("k", "a\0b".into())]), false, "NUL in a value"),
        ];
        for (input, ok, description) in cases {
            let result = Metadata::from_input(input);
            assert_eq!(result.is_ok(), ok, "{description}: {result:?}");
            if let Err(error) = result {
                assert_eq!(error.code(), "invalid_metadata", "{description}");
            }
        }
    }

    #[test]
    fn patch_splits_values_from_removals() {
        let patch =
            MetadataPatch::from_input(entries(&[("geo", "CA".into()), ("vertical", Sent::Null)]))
                .expect("valid");
        assert_eq!(patch.set.get("geo").map(String::as_str), Some("CA"));
        assert_eq!(patch.remove, vec!["vertical".to_owned()]);
        assert!(MetadataPatch::from_input(entries(&[("k", Sent::WrongType)])).is_err());
    }
}
