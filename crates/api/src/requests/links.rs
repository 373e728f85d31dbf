//! Bodies of `POST /api/v2/links/shorten` (SPEC §9.1), `POST /api/v2/links` (§9.2) and
//! `POST /api/v2/links/bulk` (§9.3), in Trackly SMS's camelCase. Both single bodies read
//! the domain's `LinkInput`; each endpoint applies its own rules.

use std::fmt;

use serde::de::{IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use trackly_domain::input::Sent;
use trackly_domain::link::{
    LinkInput, NewLink, LINK_MESSAGE_ID_MAX_CHARS, LIST_ID_MAX_CHARS, MAX_BULK_LINKS,
    PHONE_MAX_DIGITS, PHONE_MIN_DIGITS,
};
use trackly_domain::offer::{
    EXTERNAL_REF_MAX_CHARS, METADATA_KEY_MAX_CHARS, METADATA_MAX_KEYS, METADATA_VALUE_MAX_CHARS,
    TRACKING_URL_MAX_CHARS,
};
use trackly_domain::InputError;
use utoipa::openapi::schema::{AllOfBuilder, AnyOfBuilder, ObjectBuilder, Schema, SchemaType};
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};

use super::schema::{
    array_of, blank_or, described, no_nul, not_blank, nullable, or_null, storable, string_map,
    text_or_integer, url,
};

/// Body of `POST /api/v2/links/shorten` (SPEC §9.1): URL mode (`url`) or offer mode
/// (`offerId`, which wins), for a list (`listId`) or a phone number (`phoneNumber`).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(transparent)]
pub struct ShortenLinkRequest(pub LinkInput);

impl TryFrom<ShortenLinkRequest> for NewLink {
    type Error = InputError;

    fn try_from(request: ShortenLinkRequest) -> Result<Self, InputError> {
        NewLink::shorten(request.0)
    }
}

/// Body of `POST /api/v2/links` (SPEC §9.2): an affiliate-platform offer by `offerId` or
/// `externalOfferId` (`offerId` wins).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(transparent)]
pub struct PartnerLinkRequest(pub LinkInput);

impl TryFrom<PartnerLinkRequest> for NewLink {
    type Error = InputError;

    fn try_from(request: PartnerLinkRequest) -> Result<Self, InputError> {
        NewLink::partner(request.0)
    }
}

/// Body of `POST /api/v2/links/bulk` (SPEC §9.3): each record stands alone.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct BulkLinksRequest {
    /// 1 to 10,000 bodies of `POST /api/v2/links/shorten`.
    #[schema(schema_with = links, required = true)]
    #[serde(deserialize_with = "records")]
    pub links: Sent<Vec<Sent<ShortenLinkRequest>>>,
}

/// `links` as `Sent` reads it (an array is its records, `null` is `Null`, anything else
/// `WrongType`), one record at a time: no JSON value of the whole list is built.
fn records<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Sent<Vec<Sent<ShortenLinkRequest>>>, D::Error> {
    deserializer.deserialize_any(Records)
}

/// Reads `links`; see `records`.
struct Records;

impl<'de> Visitor<'de> for Records {
    type Value = Sent<Vec<Sent<ShortenLinkRequest>>>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a list of link records")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut records = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(MAX_BULK_LINKS));
        while let Some(record) = seq.next_element()? {
            records.push(record);
        }
        Ok(Sent::Value(records))
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Sent::Null)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Sent::WrongType)
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Sent::WrongType)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Sent::WrongType)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Sent::WrongType)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Sent::WrongType)
    }

    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Sent::WrongType)
    }
}

impl BulkLinksRequest {
    /// Each record's rules; a record that is not an object is `invalid_record`. The batch
    /// itself must be a non-empty array (`missing_links`).
    pub fn into_links(self) -> Result<Vec<Result<NewLink, InputError>>, InputError> {
        match self.links {
            Sent::Value(links) if !links.is_empty() => Ok(links
                .into_iter()
                .map(|link| match link {
                    Sent::Value(link) => NewLink::try_from(link),
                    _ => Err(InputError::InvalidRecord),
                })
                .collect()),
            _ => Err(InputError::MissingLinks),
        }
    }
}

/// §9.1: the fields, a destination (`offerId` not blank, or else a valid `url`) and a
/// recipient (`listId` not blank, or a valid `phoneNumber`).
impl PartialSchema for ShortenLinkRequest {
    fn schema() -> RefOr<Schema> {
        let fields = recipient_fields()
            .property(
                "url",
                ObjectBuilder::new()
                    .schema_type(SchemaType::AnyValue)
                    .description(Some(
                        "Where the link goes (an absolute http or https URL) when no `offerId` is sent; not read otherwise.",
                    )),
            )
            .property(
                "offerId",
                described(
                    or_null(text_or_integer(no_nul())),
                    "The id, a slug or the code of an active offer of the account; wins over `url`.",
                ),
            );
        let names_offer = ObjectBuilder::new()
            .required("offerId")
            .property("offerId", text_or_integer(not_blank()));
        let names_url = ObjectBuilder::new()
            .required("url")
            .property("url", url(TRACKING_URL_MAX_CHARS));
        all_of(
            fields,
            AnyOfBuilder::new().item(names_offer).item(names_url),
        )
    }
}

impl ToSchema for ShortenLinkRequest {}

/// §9.2: the fields and an offer named by `offerId` or `externalOfferId`, not blank.
impl PartialSchema for PartnerLinkRequest {
    fn schema() -> RefOr<Schema> {
        let fields = recipient_fields()
            .property(
                "offerId",
                described(
                    or_null(text_or_integer(no_nul())),
                    "The id, a slug or the code of an active offer of the account with an `external_platform`; wins over `externalOfferId`.",
                ),
            )
            .property(
                "externalOfferId",
                described(
                    or_null(text_or_integer(storable(EXTERNAL_REF_MAX_CHARS))),
                    "The offer's `external_id`: its id on TUNE or Everflow.",
                ),
            );
        let names_offer = ObjectBuilder::new()
            .required("offerId")
            .property("offerId", text_or_integer(not_blank()));
        let names_external = ObjectBuilder::new()
            .required("externalOfferId")
            .property("externalOfferId", text_or_integer(not_blank()));
        all_of(
            fields,
            AnyOfBuilder::new().item(names_offer).item(names_external),
        )
    }
}

impl ToSchema for PartnerLinkRequest {}

/// `fields`, the destination rule `names`, and the recipient rule both bodies share.
fn all_of(fields: ObjectBuilder, names: AnyOfBuilder) -> RefOr<Schema> {
    let names_list = ObjectBuilder::new()
        .required("listId")
        .property("listId", text_or_integer(not_blank()));
    let names_phone = ObjectBuilder::new()
        .required("phoneNumber")
        .property("phoneNumber", Schema::Object(phone().build()));
    Schema::AllOf(
        AllOfBuilder::new()
            .item(fields)
            .item(names)
            .item(AnyOfBuilder::new().item(names_list).item(names_phone))
            .build(),
    )
    .into()
}

/// The fields both bodies share: who the message goes to, its id and labels. `null` and
/// blank strings mean not sent.
fn recipient_fields() -> ObjectBuilder {
    ObjectBuilder::new()
        .property(
            "listId",
            described(
                or_null(text_or_integer(storable(LIST_ID_MAX_CHARS))),
                "The contact list the message goes to; this or `phoneNumber` is required.",
            ),
        )
        .property(
            "phoneNumber",
            described(
                nullable(blank_or(&phone_pattern())),
                "E.164; this or `listId` is required.",
            ),
        )
        .property(
            "contactPhone",
            described(
                nullable(blank_or(&phone_pattern())),
                "E.164: the contact the message goes to. Clicks are first clicks per message and contact.",
            ),
        )
        .property(
            "messageId",
            described(
                or_null(text_or_integer(storable(LINK_MESSAGE_ID_MAX_CHARS))),
                "Your message id: the `{message_id}` macro, and what revenue by `message_id` is credited through.",
            ),
        )
        .property(
            "metadata",
            described(
                or_null(string_map(
                    METADATA_MAX_KEYS,
                    METADATA_KEY_MAX_CHARS,
                    METADATA_VALUE_MAX_CHARS,
                    false,
                )),
                "String labels, with the offer metadata limits.",
            ),
        )
}

/// An E.164 phone number.
fn phone() -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .pattern(Some(phone_pattern()))
        .examples(["+14155550123"])
}

/// `+` and 8–15 digits.
pub fn phone_pattern() -> String {
    format!("^\\+[0-9]{{{PHONE_MIN_DIGITS},{PHONE_MAX_DIGITS}}}$")
}

fn links() -> Schema {
    array_of(
        AnyOfBuilder::new()
            .item(utoipa::openapi::Ref::from_schema_name("ShortenLinkRequest"))
            .item(
                ObjectBuilder::new()
                    .schema_type(SchemaType::AnyValue)
                    .description(Some(
                        "Anything else is refused alone: listed in `errors`, the others are made.",
                    )),
            )
            .into(),
        1,
        MAX_BULK_LINKS,
    )
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// `links` as a `Sent` reads it from a JSON value, the way it was read before.
    fn through_value(links: &serde_json::Value) -> Sent<Vec<Sent<ShortenLinkRequest>>> {
        Sent::deserialize(links).expect("a Sent reads any value")
    }

    #[test]
    fn links_read_record_by_record_as_sent_reads_them() {
        let cases = [
            json!([{"url": "https://example.com", "listId": "l"}, {"offerId": 5}, 7, null]),
            json!([]),
            json!(null),
            json!({"url": "https://example.com"}),
            json!("links"),
            json!(10),
            json!(-1.5),
            json!(true),
        ];
        for links in cases {
            let body = json!({ "links": links }).to_string();
            let streamed: BulkLinksRequest = serde_json::from_str(&body).expect(&body);
            assert_eq!(
                format!("{:?}", streamed.links),
                format!("{:?}", through_value(&links)),
                "{body}"
            );
            let from_value: BulkLinksRequest =
                BulkLinksRequest::deserialize(&json!({ "links": links })).expect(&body);
            assert_eq!(
                format!("{:?}", from_value.links),
                format!("{:?}", streamed.links),
                "{body}"
            );
        }
        let absent: BulkLinksRequest = serde_json::from_str("{}").expect("empty object");
        assert!(absent.links.is_absent());
    }
}
