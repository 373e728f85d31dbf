//! The parameters of the API's operations, in groups that handlers name in their
//! `#[utoipa::path(params(...))]`. Each schema comes from the rule that reads the
//! parameter: the domain's limits and enumerations, the query parsers' formats.

use trackly_domain::code::CODE_LENGTH;
use trackly_domain::offer::{ExternalPlatform, OfferStatus, EXTERNAL_REF_MAX_CHARS};
use trackly_domain::query::{DEFAULT_PER_PAGE, MAX_SEARCH_CHARS};
use trackly_domain::revenue::{AttributionType, EventType, MESSAGE_ID_MAX_CHARS, TXN_ID_MAX_CHARS};
use trackly_domain::stats::MAX_RANGE_DAYS;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn, ParameterStyle};
use utoipa::openapi::schema::{AllOfBuilder, AnyOfBuilder, ObjectBuilder, Schema, Type};
use utoipa::openapi::Required;
use utoipa::IntoParams;

use crate::requests::schema::{
    amount_pattern, day, no_nul, not_blank, one_of, storable, timestamp_pattern,
};

/// `page` and `per_page` (SPEC §1.6).
pub struct PageQuery;

impl IntoParams for PageQuery {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![
            query(
                "page",
                positive().default(Some(1.into())),
                "The page, from 1. A page past the end is empty, with the true totals.",
            ),
            query(
                "per_page",
                positive().default(Some(DEFAULT_PER_PAGE.into())),
                "Items per page; more than the most a page holds (see `pagination.per_page`) is served as that many.",
            ),
        ]
    }
}

/// The filters of `GET /api/v2/offers` (SPEC §3.2).
pub struct OfferListQuery;

impl IntoParams for OfferListQuery {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![
            query(
                "status",
                one_of(OfferStatus::ALL.iter().map(|status| status.as_str())),
                "Only offers with this status; absent: every offer that is not archived.",
            ),
            query(
                "q",
                storable(MAX_SEARCH_CHARS),
                "A case-insensitive part of the name.",
            ),
            query(
                "external_platform",
                one_of(
                    ExternalPlatform::ALL
                        .iter()
                        .map(|platform| platform.as_str()),
                ),
                "Only offers from this platform.",
            ),
            query(
                "external_id",
                storable(EXTERNAL_REF_MAX_CHARS),
                "Only offers with exactly this external id.",
            ),
            query(
                "advertiser_id",
                storable(EXTERNAL_REF_MAX_CHARS),
                "Only offers with exactly this advertiser id.",
            ),
        ]
    }
}

/// `from` and `to` of the lists (SPEC §5.4, §6.3): optional UTC days, `from` not after
/// `to`.
pub struct DaysQuery;

impl IntoParams for DaysQuery {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![
            query("from", day(), "The first UTC day included; not after `to`."),
            query("to", day(), "The last UTC day included."),
        ]
    }
}

/// `from` and `to` of the stats (SPEC §7.1): a range of UTC days, by default the last 7.
pub struct StatsDaysQuery;

impl IntoParams for StatsDaysQuery {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![
            query(
                "from",
                day(),
                &format!(
                    "The first UTC day; default 6 days before `to`. Not after `to` (nor, without `to`, after today); at most {MAX_RANGE_DAYS} days in all."
                ),
            ),
            query("to", day(), "The last UTC day; default today."),
        ]
    }
}

/// `is_bot` of `GET /api/v2/offers/{id}/clicks` (SPEC §5.4).
pub struct BotQuery;

impl IntoParams for BotQuery {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![query(
            "is_bot",
            ObjectBuilder::new().schema_type(Type::Boolean),
            "Only bot clicks (`true`) or only the others (`false`).",
        )]
    }
}

/// The filters of `GET /api/v2/revenue` besides the days (SPEC §6.3).
pub struct RevenueListQuery;

impl IntoParams for RevenueListQuery {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![
            query(
                "offer_id",
                ObjectBuilder::new().schema_type(Type::String),
                "Only events of this offer (its id or slug); empty: every offer.",
            ),
            query(
                "event_type",
                one_of(EventType::ALL.iter().map(|kind| kind.as_str())),
                "Only events of this type.",
            ),
        ]
    }
}

/// The record of a postback (SPEC §6.4): the fields of `POST /api/v2/revenue`, as query
/// parameters. Declared as one exploded object (`?click_id=…&revenue=…`) so the document
/// can say what the rule says: a click or an offer must be named, by either postback.
pub struct PostbackQuery;

impl IntoParams for PostbackQuery {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let optional = |pattern: String| {
            let inner = pattern
                .trim_start_matches('^')
                .trim_end_matches('$')
                .to_owned();
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some(format!("^(?:|{inner})$")))
        };
        let fields = ObjectBuilder::new()
            .property("click_id", described(no_nul(), "The click this converts."))
            .property(
                "offer_id",
                described(no_nul(), "The offer's id, slug or external id."),
            )
            .property(
                "revenue",
                described(
                    optional(amount_pattern()),
                    "The amount (SPEC §1.8); absent: the offer's payout.",
                ),
            )
            .property(
                "message_id",
                described(storable(MESSAGE_ID_MAX_CHARS), "The SMS message id."),
            )
            .property(
                "txn_id",
                described(
                    storable(TXN_ID_MAX_CHARS),
                    "The transaction id: a repeated one is a duplicate.",
                ),
            )
            .property(
                "event_type",
                described(
                    enum_or_empty(EventType::ALL.iter().map(|kind| kind.as_str())),
                    "Default `sale`.",
                ),
            )
            .property(
                "attribution_type",
                described(
                    enum_or_empty(AttributionType::ALL.iter().map(|kind| kind.as_str())),
                    "Default `sale`.",
                ),
            )
            .property(
                "timestamp",
                described(
                    optional(timestamp_pattern()),
                    "When it happened (SPEC §1.4); default now, at most 5 minutes ahead.",
                ),
            );
        let names_click = ObjectBuilder::new().required("click_id").property(
            "click_id",
            ObjectBuilder::new()
                .schema_type(Type::String)
                .min_length(Some(1)),
        );
        let names_offer = ObjectBuilder::new()
            .required("offer_id")
            .property("offer_id", not_blank());
        let record = AllOfBuilder::new()
            .item(fields)
            .item(AnyOfBuilder::new().item(names_click).item(names_offer));
        vec![ParameterBuilder::new()
            .name("record")
            .parameter_in(ParameterIn::Query)
            .required(Required::True)
            .style(Some(ParameterStyle::Form))
            .explode(Some(true))
            .schema(Some(Schema::AllOf(record.build())))
            .description(Some(
                "The record's fields, each its own query parameter. An empty value (a platform macro with nothing to fill in) counts as not sent; a click or an offer must be named (missing_offer_id).",
            ))
            .build()]
    }
}

/// `schema` with a description.
fn described(schema: ObjectBuilder, description: &str) -> ObjectBuilder {
    schema.description(Some(description))
}

/// One of `values`, or empty (not sent).
fn enum_or_empty(values: impl Iterator<Item = &'static str>) -> ObjectBuilder {
    one_of(std::iter::once("").chain(values))
}

/// `{id}`: an offer's id or any of its slugs. Anything else names no offer (404).
pub struct OfferIdPath;

impl IntoParams for OfferIdPath {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![parameter(
            "id",
            ParameterIn::Path,
            true,
            ObjectBuilder::new().schema_type(Type::String).examples(["664f1a2b3c4d5e6f7a8b9c0d"]),
            "The offer's id (24 lowercase hex characters) or any of its slugs (`ofr_<name>_<code>`); anything else is 404.",
        )]
    }
}

/// `{code}` of a tracking link (SPEC §5.1).
pub struct CodePath;

impl IntoParams for CodePath {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![parameter(
            "code",
            ParameterIn::Path,
            true,
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some(format!("^[a-z0-9]{{{CODE_LENGTH}}}$"))),
            "The offer's code.",
        )]
    }
}

/// `{slug}` of a tracking link (SPEC §5.1).
pub struct SlugPath;

impl IntoParams for SlugPath {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![parameter(
            "slug",
            ParameterIn::Path,
            true,
            ObjectBuilder::new().schema_type(Type::String).examples(["ofr_summer-promo_a1b2c3"]),
            "Any slug of the offer, `ofr_<name>_<code>`: the code decides. Anything else is an unknown link.",
        )]
    }
}

/// `sub1`…`sub5` of a tracking link (SPEC §5.1): any text, cut to 255 characters when
/// stored.
pub struct SubsQuery;

impl IntoParams for SubsQuery {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        ["sub1", "sub2", "sub3", "sub4", "sub5"]
            .into_iter()
            .map(|name| {
                query(
                    name,
                    ObjectBuilder::new().schema_type(Type::String),
                    "Replaces the macro of the same name in the destination; stored with the click.",
                )
            })
            .collect()
    }
}

/// `Idempotency-Key` (SPEC §1.7).
pub struct IdempotencyKeyHeader;

impl IntoParams for IdempotencyKeyHeader {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![parameter(
            "Idempotency-Key",
            ParameterIn::Header,
            false,
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some(IDEMPOTENCY_KEY_PATTERN)),
            "1–255 visible ASCII characters. The same key with the same body within 24 hours replays the first answer (with `Idempotent-Replayed: true`); with another body it is 409 idempotency_conflict.",
        )]
    }
}

/// What `trackly_domain::api_key::is_valid_idempotency_key` accepts.
pub const IDEMPOTENCY_KEY_PATTERN: &str = "^[!-~]{1,255}$";

/// An integer of at least 1.
fn positive() -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .minimum(Some(1))
}

/// An optional query parameter.
pub(super) fn query(name: &str, schema: ObjectBuilder, description: &str) -> Parameter {
    parameter(name, ParameterIn::Query, false, schema, description)
}

/// A parameter.
pub(super) fn parameter(
    name: &str,
    location: ParameterIn,
    required: bool,
    schema: ObjectBuilder,
    description: &str,
) -> Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(location)
        .required(if required {
            Required::True
        } else {
            Required::False
        })
        .schema(Some(Schema::Object(schema.build())))
        .description(Some(description))
        .build()
}
