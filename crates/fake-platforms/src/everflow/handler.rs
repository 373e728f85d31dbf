//! The fake Everflow's answers (INTEGRATIONS.md §2): the key header checked, paging and
//! the conversions body asserted. A request the fake cannot accept gets a 400
//! `{"error": "fake Everflow: …"}`, so a failing test says what was wrong.

use actix_web::http::{Method, StatusCode};
use chrono::{NaiveDate, NaiveDateTime};
use serde_json::{json, Value};

use super::data::{EverflowConversion, EverflowLink, EverflowOffer, Placement};
use super::EverflowState;
use crate::failure::Kind;
use crate::paging::{page_of, positive};
use crate::serve::{Credentials, Incoming, Platform, Reply};

/// The key header (header names are case-insensitive).
const KEY_HEADER: &str = "x-eflow-api-key";
/// Everflow's `timezone_id` for UTC, the only zone the fake reads.
const UTC_TIMEZONE_ID: i64 = 67;

impl Platform for EverflowState {
    const KIND: Kind = Kind::Everflow;

    fn credentials(&self, incoming: &Incoming) -> Credentials {
        let key = incoming.header(KEY_HEADER);
        Credentials {
            key_name: key.map(|_| KEY_HEADER.to_owned()),
            key_accepted: key == Some(self.api_key.as_str()),
            query: incoming.query.clone(),
        }
    }

    fn answer(&self, incoming: &Incoming) -> Reply {
        let answer = match incoming.header(KEY_HEADER) {
            None => Err(error(
                StatusCode::UNAUTHORIZED,
                "No Authentication Method Found",
            )),
            Some(key) if key != self.api_key => {
                Err(error(StatusCode::UNAUTHORIZED, "Invalid API key"))
            }
            Some(_) => match (&incoming.method, incoming.path.as_str()) {
                (&Method::GET, "/v1/networks/offers") => self.offers(incoming),
                (&Method::POST, "/v1/networks/tracking/offers/clicks") => {
                    self.tracking_link(incoming)
                }
                (&Method::POST, "/v1/networks/reporting/conversions") => self.conversions(incoming),
                (method, path) => Err(error(
                    StatusCode::NOT_FOUND,
                    &format!("fake Everflow: no route for {method} {path}"),
                )),
            },
        };
        answer.unwrap_or_else(|reply| reply)
    }
}

impl EverflowState {
    fn offers(&self, incoming: &Incoming) -> Result<Reply, Reply> {
        let (page, page_size) = query_paging(incoming)?;
        let nested = incoming.params("relationship").contains(&"payout_revenue");
        let offers: Vec<Value> = page_of(&self.offers, page, page_size)
            .iter()
            .map(|offer| offer_json(offer, nested))
            .collect();
        let mut body = json!({ "offers": offers });
        if self.paging_reported {
            body["paging"] = json!({
                "page": page, "page_size": page_size, "total_count": self.offers.len()
            });
        }
        Ok(ok(body))
    }

    fn tracking_link(&self, incoming: &Incoming) -> Result<Reply, Reply> {
        let body = incoming
            .body
            .as_ref()
            .ok_or_else(|| fake_error("the link call needs a JSON body"))?;
        let (Some(offer_id), Some(affiliate_id)) = (
            body.get("network_offer_id").and_then(Value::as_u64),
            body.get("network_affiliate_id").and_then(Value::as_u64),
        ) else {
            return Err(fake_error(
                "the link call needs integer network_offer_id and network_affiliate_id",
            ));
        };
        let offer = self
            .offers
            .iter()
            .find(|offer| offer.id == offer_id)
            .ok_or_else(|| error(StatusCode::NOT_FOUND, "Offer not found"))?;
        let url = match &offer.link {
            EverflowLink::Refused(message) => return Err(error(StatusCode::BAD_REQUEST, message)),
            EverflowLink::Url(url) => url.clone(),
            EverflowLink::Generated => {
                format!("https://www.trk.example.com/{offer_id}/{affiliate_id}/")
            }
        };
        let mut answer = serde_json::Map::new();
        answer.insert(self.link_field.clone(), Value::String(url));
        Ok(ok(Value::Object(answer)))
    }

    fn conversions(&self, incoming: &Incoming) -> Result<Reply, Reply> {
        let body = incoming
            .body
            .as_ref()
            .ok_or_else(|| fake_error("the report needs a JSON body"))?;
        let (page, page_size) = match query_paging(incoming) {
            Ok(paging) => paging,
            Err(_) => body_paging(body)?,
        };
        let from = report_time(body, "from")?;
        let to = report_time(body, "to")?;
        if body.get("timezone_id").and_then(Value::as_i64) != Some(UTC_TIMEZONE_ID) {
            return Err(fake_error("the report needs timezone_id 67 (UTC)"));
        }
        let (Some(show_conversions), Some(show_events)) = (
            body.get("show_conversions").and_then(Value::as_bool),
            body.get("show_events").and_then(Value::as_bool),
        ) else {
            return Err(fake_error(
                "the report needs show_conversions and show_events",
            ));
        };
        let mut matching: Vec<&EverflowConversion> = self
            .conversions
            .iter()
            .filter(|conversion| (from..=to).contains(&conversion.unix_time()))
            .filter(|conversion| {
                if conversion.is_event() {
                    show_events
                } else {
                    show_conversions
                }
            })
            .collect();
        matching.sort_by_key(|conversion| conversion.unix_time());
        let rows: Vec<Value> = page_of(&matching, page, page_size)
            .into_iter()
            .map(|conversion| Value::Object(conversion.fields.clone()))
            .collect();
        let mut answer = json!({ "conversions": rows });
        if self.paging_reported {
            answer["paging"] = json!({
                "page": page, "page_size": page_size, "total_count": matching.len()
            });
        }
        Ok(ok(answer))
    }
}

/// An offer as the list serves it.
fn offer_json(offer: &EverflowOffer, nested: bool) -> Value {
    let mut fields = offer.fields.clone();
    fields.insert("network_offer_id".to_owned(), offer.id.into());
    let entries = json!([Value::Object(offer.entry.clone())]);
    let relationship = match offer.placement {
        Placement::Relationship if nested => {
            json!({ "payout_revenue": { "total": 1, "entries": entries } })
        }
        Placement::Relationship => json!({}),
        Placement::TopLevel => {
            fields.insert("payout_revenue".to_owned(), entries);
            json!({})
        }
    };
    fields.insert("relationship".to_owned(), relationship);
    Value::Object(fields)
}

/// `page` and `page_size` from the query.
fn query_paging(incoming: &Incoming) -> Result<(usize, usize), Reply> {
    match (
        positive(incoming.param("page")),
        positive(incoming.param("page_size")),
    ) {
        (Some(page), Some(page_size)) => Ok((page, page_size)),
        _ => Err(fake_error("send page and page_size, both positive")),
    }
}

/// `page` and `page_size` from a report body (the other documented place).
fn body_paging(body: &Value) -> Result<(usize, usize), Reply> {
    let number = |name: &str| body.get(name).and_then(Value::as_u64).filter(|n| *n > 0);
    match (number("page"), number("page_size")) {
        (Some(page), Some(page_size)) => Ok((page as usize, page_size as usize)),
        _ => Err(fake_error(
            "send page and page_size in the query or the body",
        )),
    }
}

/// A report bound, `YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DD`, in UTC, as Unix seconds.
fn report_time(body: &Value, name: &str) -> Result<i64, Reply> {
    let text = body.get(name).and_then(Value::as_str).unwrap_or_default();
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S")
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()
                .and_then(|date| date.and_hms_opt(0, 0, 0))
        })
        .map(|time| time.and_utc().timestamp())
        .ok_or_else(|| fake_error(&format!("the report needs {name} as YYYY-MM-DD HH:MM:SS")))
}

fn ok(body: Value) -> Reply {
    Reply {
        status: StatusCode::OK,
        body,
    }
}

fn error(status: StatusCode, message: &str) -> Reply {
    Reply {
        status,
        body: json!({ "error": message }),
    }
}

fn fake_error(message: &str) -> Reply {
    error(
        StatusCode::BAD_REQUEST,
        &format!("fake Everflow: {message}"),
    )
}
