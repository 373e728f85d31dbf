//! Requests before their rules run: each field as a client sent it. A field can be
//! absent, `null`, a value of the type it takes, or a value of another type (a number
//! where a name goes); the rules tell these apart, because the SPEC does (a missing name
//! and a name that is not a string are different errors, checked at different points).
//!
//! Input structs (`OfferInput`, `RevenueFields`, …) declare their rules with `validator`
//! derives, each failure carrying the SPEC's code; `first_error` picks the one the SPEC's
//! check order reports.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use validator::{ValidateLength, ValidationError, ValidationErrors, ValidationErrorsKind};

use crate::error::InputError;

/// A field as a client sent it.
///
/// ```
/// use trackly_domain::input::Sent;
/// let absent: Sent<String> = Sent::default();
/// assert!(absent.is_absent());
/// let name: Sent<String> = Sent::from("Summer Promo");
/// assert_eq!(name.value().map(String::as_str), Some("Summer Promo"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Sent<T> {
    /// Not in the request.
    #[default]
    Absent,
    /// Sent as `null`.
    Null,
    /// Sent, of the type the field takes.
    Value(T),
    /// Sent, of another type.
    WrongType,
}

impl<T> Sent<T> {
    /// The value, when one of the right type was sent.
    pub fn value(&self) -> Option<&T> {
        match self {
            Self::Value(value) => Some(value),
            _ => None,
        }
    }

    /// The value, when one of the right type was sent.
    pub fn into_value(self) -> Option<T> {
        match self {
            Self::Value(value) => Some(value),
            _ => None,
        }
    }

    /// True when the field was not in the request.
    pub fn is_absent(&self) -> bool {
        matches!(self, Self::Absent)
    }

    /// True when the field was absent or `null`: not sent, for fields with a default.
    pub fn is_unset(&self) -> bool {
        matches!(self, Self::Absent | Self::Null)
    }
}

impl From<&str> for Sent<String> {
    fn from(text: &str) -> Self {
        Self::Value(text.to_owned())
    }
}

impl<T> From<T> for Sent<T> {
    fn from(value: T) -> Self {
        Self::Value(value)
    }
}

/// Lenient: any JSON value is accepted; one that is not a `T` becomes `WrongType`, so the
/// rules report the field's own SPEC code. (An absent field is `Absent` through the
/// field's `#[serde(default)]`.)
impl<'de, T: DeserializeOwned> Deserialize<'de> for Sent<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Value::deserialize(deserializer)? {
            Value::Null => Self::Null,
            value => T::deserialize(value).map_or(Self::WrongType, Self::Value),
        })
    }
}

/// As sent; `null` for anything but a value (the validator records the value it checked).
impl<T: Serialize> Serialize for Sent<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Value(value) => value.serialize(serializer),
            _ => serializer.serialize_none(),
        }
    }
}

/// The length in characters of a sent text; no length (no length rule applies) for
/// anything else.
impl ValidateLength<u64> for Sent<String> {
    fn length(&self) -> Option<u64> {
        self.value().map(|text| text.chars().count() as u64)
    }
}

/// The length in characters of a sent text or integer.
impl ValidateLength<u64> for Sent<TextOrInteger> {
    fn length(&self) -> Option<u64> {
        self.value().map(|text| text.0.chars().count() as u64)
    }
}

/// An amount as sent (SPEC §1.8): a JSON number, kept as its shortest decimal text, or a
/// string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum AmountText {
    /// A JSON number, as its decimal text (`2.5`).
    Number(String),
    /// A string (`"2.50"`).
    Text(String),
}

impl From<&str> for Sent<AmountText> {
    fn from(text: &str) -> Self {
        Self::Value(AmountText::Text(text.to_owned()))
    }
}

impl<'de> Deserialize<'de> for AmountText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::Number(number) => Ok(Self::Number(number.to_string())),
            Value::String(text) => Ok(Self::Text(text)),
            _ => Err(serde::de::Error::custom(
                "an amount is a number or a string",
            )),
        }
    }
}

/// A text that may also be sent as a whole number (platform ids often are): the number
/// becomes its decimal text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct TextOrInteger(pub String);

impl From<&str> for Sent<TextOrInteger> {
    fn from(text: &str) -> Self {
        Self::Value(TextOrInteger(text.to_owned()))
    }
}

impl<'de> Deserialize<'de> for TextOrInteger {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::String(text) => Ok(Self(text)),
            Value::Number(number) if number.is_i64() || number.is_u64() => {
                Ok(Self(number.to_string()))
            }
            // A whole number written with a fraction or an exponent (`12.0`, `1e3`) is
            // still a whole number (JSON Schema's `integer`): read as its integer text.
            Value::Number(number) => number
                .as_f64()
                .filter(|value| {
                    value.fract() == 0.0 && *value >= i64::MIN as f64 && *value < u64::MAX as f64
                })
                .map(|value| Self((value as i128).to_string()))
                .ok_or_else(|| serde::de::Error::custom("a string or a whole number")),
            _ => Err(serde::de::Error::custom("a string or a whole number")),
        }
    }
}

/// Metadata as sent: keys to values, each a string, `null` or something else.
pub type MetadataInput = BTreeMap<String, Sent<String>>;

/// A rule's failure, with the SPEC code it reports.
pub(crate) fn failure(code: &'static str) -> ValidationError {
    ValidationError::new(code)
}

/// A rule's failure with a fixed reason, for the codes whose sentence says why.
pub(crate) fn failure_because(code: &'static str, reason: &'static str) -> ValidationError {
    ValidationError::new(code).with_message(Cow::Borrowed(reason))
}

/// The failure the SPEC reports: of every rule broken, the one whose code comes first in
/// `order` (the SPEC's check order).
pub(crate) fn first_error(errors: &ValidationErrors, order: &[&str]) -> InputError {
    broken(errors)
        .min_by_key(|error| {
            order
                .iter()
                .position(|code| *code == error.code)
                .unwrap_or(order.len())
        })
        .map_or(InputError::InvalidRecord, InputError::from_validation)
}

/// Every rule broken, in the check order `order`: for forms, which show each beside its
/// field (`InputError::field`) at once.
pub(crate) fn all_errors(errors: &ValidationErrors, order: &[&str]) -> Vec<InputError> {
    let mut broken: Vec<&ValidationError> = broken(errors).collect();
    broken.sort_by_key(|error| {
        order
            .iter()
            .position(|code| *code == error.code)
            .unwrap_or(order.len())
    });
    broken
        .into_iter()
        .map(InputError::from_validation)
        .collect()
}

/// Like `first_error`, for input structs shared by several requests: only the rules whose
/// codes `order` lists apply; `None` when none of those is broken.
pub(crate) fn first_listed_error(errors: &ValidationErrors, order: &[&str]) -> Option<InputError> {
    broken(errors)
        .filter_map(|error| {
            let position = order.iter().position(|code| *code == error.code)?;
            Some((position, error))
        })
        .min_by_key(|(position, _)| *position)
        .map(|(_, error)| InputError::from_validation(error))
}

/// Every rule failure of a struct's own fields and schema rules.
fn broken(errors: &ValidationErrors) -> impl Iterator<Item = &ValidationError> {
    errors.errors().values().flat_map(|kind| match kind {
        ValidationErrorsKind::Field(field_errors) => field_errors.as_slice(),
        _ => &[],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_or_integer_reads_whole_numbers_however_written() {
        let read = |json: &str| {
            serde_json::from_str::<Sent<TextOrInteger>>(json)
                .ok()
                .and_then(|sent| sent.into_value())
                .map(|text| text.0)
        };
        assert_eq!(read("\"m-42\"").as_deref(), Some("m-42"));
        assert_eq!(read("42").as_deref(), Some("42"));
        assert_eq!(read("-7").as_deref(), Some("-7"));
        assert_eq!(read("42.0").as_deref(), Some("42"), "a whole float");
        assert_eq!(read("1e3").as_deref(), Some("1000"), "an exponent");
        assert_eq!(read("1.5"), None, "a fraction is no id");
        assert_eq!(read("1e30"), None, "beyond 64 bits");
        assert_eq!(read("true"), None);
    }
}
