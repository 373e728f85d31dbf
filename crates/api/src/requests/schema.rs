//! Schemas of request fields and parameters, built from the domain's own limits and
//! enumerations so the API document says exactly what the rules check (SPEC §13). Where a
//! rule trims before it counts, the schema is a pattern that describes the text as sent.

use trackly_domain::money::{MAX_AMOUNT_UNITS, MAX_FRACTION_DIGITS};
use utoipa::openapi::schema::{
    AdditionalProperties, ArrayBuilder, ObjectBuilder, OneOfBuilder, Schema, SchemaFormat,
    SchemaType, Type,
};
use utoipa::openapi::{KnownFormat, RefOr};

/// The characters Rust's `str::trim` removes (Unicode `White_Space`), as a regex class body.
const SPACE: &str =
    "\\t-\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
/// The control characters (Unicode `Cc`), as a regex class body.
const CONTROL: &str = "\\u0000-\\u001f\\u007f-\\u009f";
/// A pattern for text without NUL, which PostgreSQL cannot store.
pub const NO_NUL: &str = "^[^\\u0000]*$";

/// A year of four digits, unanchored.
const ANY_YEAR: &str = "[0-9]{4}";
/// A year of four digits but 0000 (which PostgreSQL cannot store in a timestamp).
const YEAR_FROM_ONE: &str = "(?:[0-9]{3}[1-9]|[0-9]{2}[1-9]0|[0-9][1-9]00|[1-9]000)";
/// The first two digits of the leap centuries (divisible by 400), but 0000.
const LEAP_CENTURIES: &str = "(?:0[48]|[2468][048]|[13579][26])";

/// A real calendar day `YYYY-MM-DD` (leap years included) with a year of `year`,
/// unanchored; with `year_zero`, 0000 (a leap year) is one.
fn day_regex(year: &str, year_zero: bool) -> String {
    let centuries = if year_zero {
        format!("(?:00|{LEAP_CENTURIES})")
    } else {
        LEAP_CENTURIES.to_owned()
    };
    format!(
        "(?:{year}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))|(?:[0-9]{{2}}(?:0[48]|[2468][048]|[13579][26])|{centuries}00)-02-29)"
    )
}

/// A time of day `hh:mm:ss` (a leap second too) with any fraction, unanchored.
const CLOCK: &str = "(?:[01][0-9]|2[0-3]):[0-5][0-9]:(?:[0-5][0-9]|60)(?:\\.[0-9]+)?";
/// A UTC offset as RFC 3339 writes it (or with a Unicode minus sign), unanchored.
const OFFSET: &str = "(?:[Zz]|[+\\-\\u2212](?:[01][0-9]|2[0-3]):[0-5][0-9])";
/// A host name the URL parser always accepts: letter-or-digit labels joined by single
/// hyphens, the last one starting with a letter (so it is never read as an IP number).
const HOST: &str = "(?:[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*\\.)*[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*";

/// A string of `min`–`max` characters.
pub fn text(min: usize, max: usize) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(Some(min))
        .max_length(Some(max))
}

/// A string of at most `max` characters without NUL.
pub fn storable(max: usize) -> ObjectBuilder {
    text(0, max).pattern(Some(NO_NUL))
}

/// Like `schema`, or `null`.
pub fn nullable(schema: ObjectBuilder) -> Schema {
    let built = schema.build();
    let types = match built.schema_type.clone() {
        SchemaType::Type(kind) => SchemaType::Array(vec![kind, Type::Null]),
        other => other,
    };
    let mut schema = built;
    schema.schema_type = types;
    Schema::Object(schema)
}

/// One of `values` (the wire spellings of a domain enumeration).
pub fn one_of(values: impl IntoIterator<Item = &'static str>) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(values))
}

/// A string that, once trimmed of white space, is 1 to `max` characters without NUL.
pub fn trimmed_text(max: usize) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(Some(1))
        .pattern(Some(trimmed_pattern(max)))
}

/// The pattern of `trimmed_text`: white space, then a non-space character, then at most
/// `max - 1` more ending in a non-space one, then white space.
pub fn trimmed_pattern(max: usize) -> String {
    format!(
        "^[{SPACE}]*[^\\u0000{SPACE}](?:[^\\u0000]{{0,{middle}}}[^\\u0000{SPACE}])?[{SPACE}]*$",
        middle = max.saturating_sub(2),
    )
}

/// An absolute http(s) URL with a host of at most `max` characters: white space around
/// it is trimmed, no control character inside. The host is one the URL parser accepts.
pub fn url(max: usize) -> ObjectBuilder {
    text(1, max).pattern(Some(format!(
        "^[{SPACE}]*[Hh][Tt][Tt][Pp][Ss]?://{HOST}(?::[0-9]{{1,4}})?(?:[/?#][^{CONTROL}]*)?[{SPACE}]*$"
    )))
}

/// An amount of SPEC §1.8: a number from 0 to the domain's maximum with at most its
/// fractional digits, or the same written as a plain decimal string (trailing zeros do
/// not count as digits).
pub fn amount() -> Schema {
    Schema::OneOf(
        OneOfBuilder::new()
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::Number)
                    .minimum(Some(0))
                    .maximum(Some(MAX_AMOUNT_UNITS))
                    .multiple_of(Some(1.0 / 10f64.powi(fraction_digits()))),
            )
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .pattern(Some(amount_pattern())),
            )
            .build(),
    )
}

/// The fractional digits an amount may have, as an exponent.
fn fraction_digits() -> i32 {
    i32::try_from(MAX_FRACTION_DIGITS).unwrap_or(i32::MAX)
}

/// A plain decimal string from 0 to the maximum (a power of ten, so any shorter whole part
/// is below it) with at most the allowed fractional digits before trailing zeros.
pub fn amount_pattern() -> String {
    let max = MAX_AMOUNT_UNITS.to_string();
    format!(
        "^0*(?:[0-9]{{1,{shorter}}}(?:\\.[0-9]{{1,{digits}}}0*)?|{max}(?:\\.0+)?)$",
        shorter = max.len() - 1,
        digits = MAX_FRACTION_DIGITS,
    )
}

/// A day in a query string (SPEC §1.4): `YYYY-MM-DD`, a real day.
pub fn day() -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
        .pattern(Some(format!("^{}$", day_regex(ANY_YEAR, true))))
}

/// A time of SPEC §1.4 (see `timestamp_pattern`).
pub fn timestamp() -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(timestamp_pattern()))
}

/// RFC 3339 (`T`, `t` or a space between date and time, any offset), or
/// `YYYY-MM-DDTHH:MM:SS[.fraction]` without an offset, read as UTC; from the year 1.
pub fn timestamp_pattern() -> String {
    let day = day_regex(YEAR_FROM_ONE, false);
    format!("^{day}(?:[Tt ]{CLOCK}{OFFSET}|T{CLOCK})$")
}

/// `text`, or a whole number that fits 64 bits (ids that platforms send as numbers are
/// read as their decimal text).
pub fn text_or_integer(text: ObjectBuilder) -> Schema {
    Schema::OneOf(OneOfBuilder::new().item(text).item(whole_number()).build())
}

/// A whole number that fits 64 bits, signed or not.
fn whole_number() -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .minimum(Some(i64::MIN))
        .maximum(Some(u64::MAX))
}

/// Any string without NUL.
pub fn no_nul() -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(NO_NUL))
}

/// A string without NUL with a character that is not white space.
pub fn not_blank() -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(format!("^[^\\u0000]*[^\\u0000{SPACE}][^\\u0000]*$")))
}

/// An object of at most `max_keys` keys of `key_max` characters, whose values are strings
/// of at most `value_max` characters (and, with `removals`, `null` to remove a key); no
/// NUL in keys or values.
pub fn string_map(max_keys: usize, key_max: usize, value_max: usize, removals: bool) -> Schema {
    let value = storable(value_max);
    let value: RefOr<Schema> = if removals {
        nullable(value).into()
    } else {
        Schema::Object(value.build()).into()
    };
    Schema::Object(
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .max_properties(Some(max_keys))
            .property_names(Some(text(1, key_max).pattern(Some(NO_NUL))))
            .additional_properties(Some(AdditionalProperties::RefOr(value)))
            .build(),
    )
}

/// An array of `min`–`max` items of `item`.
pub fn array_of(item: RefOr<Schema>, min: usize, max: usize) -> Schema {
    Schema::Array(
        ArrayBuilder::new()
            .items(item)
            .min_items(Some(min))
            .max_items(Some(max))
            .build(),
    )
}

/// `schema`, or `null` (a field whose `null` means "not sent").
pub fn or_null(schema: Schema) -> Schema {
    let null = ObjectBuilder::new().schema_type(Type::Null);
    match schema {
        Schema::OneOf(mut one_of) => {
            one_of.items.push(null.into());
            Schema::OneOf(one_of)
        }
        other => Schema::OneOf(OneOfBuilder::new().item(other).item(null).build()),
    }
}

/// `schema` with a description.
pub fn described(schema: Schema, description: &str) -> Schema {
    match schema {
        Schema::Object(mut object) => {
            object.description = Some(description.to_owned());
            Schema::Object(object)
        }
        Schema::OneOf(mut one_of) => {
            one_of.description = Some(description.to_owned());
            Schema::OneOf(one_of)
        }
        other => other,
    }
}

/// A string matching `pattern` (anchored, as `^…$`), or one that is blank (white space
/// only), which the rules read as not sent.
pub fn blank_or(pattern: &str) -> ObjectBuilder {
    let inner = pattern.trim_start_matches('^').trim_end_matches('$');
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(format!("^(?:{inner}|[{SPACE}]*)$")))
}

/// A string that, once trimmed of white space, is 1 to `max` characters with no control
/// character (a platform key).
pub fn trimmed_no_control(max: usize) -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::String).pattern(Some(format!(
        "^[{SPACE}]*[^{CONTROL}{SPACE}](?:[^{CONTROL}]{{0,{middle}}}[^{CONTROL}{SPACE}])?[{SPACE}]*$",
        middle = max.saturating_sub(2),
    )))
}

/// A string matching `pattern`, or a whole number from 0 (ids that platforms send as
/// numbers, read as their decimal text).
pub fn text_or_count(pattern: &str) -> Schema {
    Schema::OneOf(
        OneOfBuilder::new()
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .pattern(Some(pattern)),
            )
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .minimum(Some(0))
                    .maximum(Some(u64::MAX)),
            )
            .build(),
    )
}
