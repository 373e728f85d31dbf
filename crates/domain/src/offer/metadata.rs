//! Offer metadata (SPEC §2): string keys to string values, at most 50 keys, keys of 1–40
//! characters, values of at most 500. Updates are merges (SPEC §3.4).

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::error::InputError;
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
    /// Reads metadata sent on create: an object whose values are all strings.
    pub fn from_json(value: &Value) -> Result<Self, InputError> {
        let object = as_object(value)?;
        if object.len() > METADATA_MAX_KEYS {
            return Err(too_many_keys());
        }
        let mut entries = BTreeMap::new();
        for (key, value) in object {
            check_key(key)?;
            let Value::String(text) = value else {
                return Err(InputError::InvalidMetadata("values must be strings"));
            };
            check_value(text)?;
            entries.insert(key.clone(), text.clone());
        }
        Ok(Self(entries))
    }

    /// Checks a map read back from storage against the same limits.
    pub fn from_map(entries: BTreeMap<String, String>) -> Result<Self, InputError> {
        if entries.len() > METADATA_MAX_KEYS {
            return Err(too_many_keys());
        }
        for (key, value) in &entries {
            check_key(key)?;
            check_value(value)?;
        }
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
    /// Reads a merge: an object whose values are strings or `null`.
    pub fn from_json(value: &Value) -> Result<Self, InputError> {
        let object = as_object(value)?;
        if object.len() > METADATA_MAX_KEYS {
            return Err(too_many_keys());
        }
        let mut patch = Self::default();
        for (key, value) in object {
            check_key(key)?;
            match value {
                Value::String(text) => {
                    check_value(text)?;
                    patch.set.insert(key.clone(), text.clone());
                }
                Value::Null => patch.remove.push(key.clone()),
                _ => {
                    return Err(InputError::InvalidMetadata(
                        "values must be strings, or null to remove a key",
                    ))
                }
            }
        }
        Ok(patch)
    }
}

/// The error for a merge whose result would hold more than the allowed keys; the store
/// reports it when the merged metadata breaks the limit.
pub fn too_many_keys() -> InputError {
    InputError::InvalidMetadata("may hold at most 50 keys")
}

fn as_object(value: &Value) -> Result<&Map<String, Value>, InputError> {
    value
        .as_object()
        .ok_or(InputError::InvalidMetadata("must be an object of strings"))
}

fn check_key(key: &str) -> Result<(), InputError> {
    let length = key.chars().count();
    if !is_storable(key) {
        Err(no_nul())
    } else if (1..=METADATA_KEY_MAX_CHARS).contains(&length) {
        Ok(())
    } else {
        Err(InputError::InvalidMetadata(
            "keys must be 1 to 40 characters",
        ))
    }
}

fn no_nul() -> InputError {
    InputError::InvalidMetadata("keys and values must not contain NUL characters")
}

fn check_value(value: &str) -> Result<(), InputError> {
    if !is_storable(value) {
        Err(no_nul())
    } else if value.chars().count() <= METADATA_VALUE_MAX_CHARS {
        Ok(())
    } else {
        Err(InputError::InvalidMetadata(
            "values must be at most 500 characters",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object_with_keys(count: usize) -> Value {
        let map: Map<String, Value> = (0..count).map(|i| (format!("k{i}"), json!("v"))).collect();
        Value::Object(map)
    }

    #[test]
    fn create_metadata_limits() {
        let cases = [
            (json!({}), true, "empty object"),
            (json!({"vertical": "finance", "geo": "US"}), true, "strings"),
            (object_with_keys(50), true, "50 keys"),
            (object_with_keys(51), false, "51 keys"),
            (json!({"": "v"}), false, "empty key"),
            (json!({"k".repeat(40): "v"}), true, "40-character key"),
            (json!({"k".repeat(41): "v"}), false, "41-character key"),
            (json!({"k": "é".repeat(500)}), true, "500-character value"),
            (json!({"k": "v".repeat(501)}), false, "501-character value"),
            (json!({"k": 1}), false, "number value"),
            (json!({"k": null}), false, "null value on create"),
            (json!({"k": {"nested": "x"}}), false, "nested object"),
            (json!(["a"]), false, "array"),
            (json!("text"), false, "string"),
        ];
        for (input, ok, description) in cases {
            let result = Metadata::from_json(&input);
            assert_eq!(result.is_ok(), ok, "{description}: {result:?}");
            if let Err(error) = result {
                assert_eq!(error.code(), "invalid_metadata", "{description}");
            }
        }
    }

    #[test]
    fn patch_splits_values_from_removals() {
        let patch =
            MetadataPatch::from_json(&json!({"geo": "CA", "vertical": null})).expect("valid");
        assert_eq!(patch.set.get("geo").map(String::as_str), Some("CA"));
        assert_eq!(patch.remove, vec!["vertical".to_owned()]);
        assert!(MetadataPatch::from_json(&json!({"k": 5})).is_err());
        assert!(MetadataPatch::from_json(&Value::Null).is_err());
    }
}
