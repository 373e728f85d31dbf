//! The fake TUNE's answers (INTEGRATIONS.md §1): `GET /Apiv3/json`, dispatched on
//! `Target` and `Method`, with the key checked and the parameters each call needs
//! asserted. A request the fake cannot accept gets an error envelope that starts with
//! "fake TUNE:", so a failing test says what was wrong.

use actix_web::http::{Method, StatusCode};
use serde_json::{json, Map, Value};

use super::data::{RowShape, TuneConversion, TuneLink, TuneOffer};
use super::{error_envelope, TuneState};
use crate::failure::Kind;
use crate::paging::{page_count, page_of, positive};
use crate::serve::{Credentials, Incoming, Platform, Reply};

/// The key parameters, one per API.
const KEY_PARAMETERS: [&str; 2] = ["NetworkToken", "api_key"];

/// Which API a request uses, by its key parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Api {
    Network,
    Affiliate,
}

impl Platform for TuneState {
    const KIND: Kind = Kind::Tune;

    fn credentials(&self, incoming: &Incoming) -> Credentials {
        let key = KEY_PARAMETERS
            .iter()
            .find_map(|name| incoming.param(name).map(|value| (*name, value)));
        Credentials {
            key_name: key.map(|(name, _)| name.to_owned()),
            key_accepted: key.is_some_and(|(_, value)| value == self.api_key),
            query: incoming
                .query
                .iter()
                .filter(|(name, _)| !KEY_PARAMETERS.contains(&name.as_str()))
                .cloned()
                .collect(),
        }
    }

    fn answer(&self, incoming: &Incoming) -> Reply {
        if incoming.method != Method::GET || incoming.path != "/Apiv3/json" {
            return Reply {
                status: StatusCode::NOT_FOUND,
                body: json!({"error": "fake TUNE: only GET /Apiv3/json is served"}),
            };
        }
        let body = match self.data(incoming) {
            Ok(data) => json!({
                "request": {
                    "Target": incoming.param("Target"), "Method": incoming.param("Method"),
                    "Version": "3"
                },
                "response": {
                    "status": 1, "httpStatus": 200, "data": data, "errors": [],
                    "errorMessage": null
                }
            }),
            Err(message) => error_envelope(&message),
        };
        Reply {
            status: StatusCode::OK,
            body,
        }
    }
}

impl TuneState {
    /// `response.data` of a successful call, or the error text.
    fn data(&self, incoming: &Incoming) -> Result<Value, String> {
        let (api, key_name, key) = match (incoming.param("NetworkToken"), incoming.param("api_key"))
        {
            (Some(key), None) => (Api::Network, "NetworkToken", key),
            (None, Some(key)) => (Api::Affiliate, "api_key", key),
            (None, None) => return Err("Missing NetworkToken or api_key".to_owned()),
            (Some(_), Some(_)) => {
                return Err("fake TUNE: send NetworkToken or api_key, not both".to_owned())
            }
        };
        if key != self.api_key {
            return Err(format!("Invalid {key_name}"));
        }
        let target = incoming.param("Target").unwrap_or_default();
        let method = incoming.param("Method").unwrap_or_default();
        match (api, target, method) {
            (Api::Network, "Offer", "findAll") | (Api::Affiliate, "Affiliate_Offer", "findAll") => {
                self.find_all(incoming)
            }
            (Api::Network, "Offer", "generateTrackingLink")
            | (Api::Affiliate, "Affiliate_Offer", "generateTrackingLink") => {
                self.tracking_link(api, incoming)
            }
            (Api::Network, "Report", "getConversions")
            | (Api::Affiliate, "Affiliate_Report", "getConversions") => {
                self.conversions(api, incoming)
            }
            _ => Err(format!(
                "fake TUNE: {target}::{method} is not served to a {key_name} caller"
            )),
        }
    }

    fn find_all(&self, incoming: &Incoming) -> Result<Value, String> {
        let (page, limit) = paging(incoming)?;
        let rows: Vec<(String, Value)> = page_of(&self.offers, page, limit)
            .iter()
            .map(|offer: &TuneOffer| (offer.id(), json!({"Offer": offer.fields})))
            .collect();
        Ok(json!({
            "page": page.to_string(), "current": rows.len(),
            "count": self.offers.len().to_string(),
            "pageCount": page_count(self.offers.len(), limit),
            "data": row_set(rows, self.offer_rows),
        }))
    }

    fn tracking_link(&self, api: Api, incoming: &Incoming) -> Result<Value, String> {
        let offer_id = incoming
            .param("offer_id")
            .ok_or("fake TUNE: generateTrackingLink needs offer_id")?;
        let affiliate_id = incoming.param("affiliate_id");
        match (api, affiliate_id) {
            (Api::Network, None) => {
                return Err("fake TUNE: the network API needs affiliate_id for a link".to_owned())
            }
            (Api::Affiliate, Some(_)) => {
                return Err("fake TUNE: the affiliate API takes no affiliate_id".to_owned())
            }
            _ => {}
        }
        let offer = self
            .offers
            .iter()
            .find(|offer| offer.id() == offer_id)
            .ok_or_else(|| format!("Offer {offer_id} not found"))?;
        let click_url = match &offer.link {
            TuneLink::Refused(message) => return Err(message.clone()),
            TuneLink::Url(url) => url.clone(),
            TuneLink::Generated => match affiliate_id {
                Some(affiliate_id) => format!(
                    "https://trk.example.com/aff_c?offer_id={offer_id}&aff_id={affiliate_id}"
                ),
                None => format!("https://trk.example.com/aff_c?offer_id={offer_id}"),
            },
        };
        Ok(json!({
            "offer_id": offer_id, "affiliate_id": affiliate_id, "click_url": click_url,
            "impression_pixel": format!("<img src=\"{click_url}\">"),
        }))
    }

    fn conversions(&self, api: Api, incoming: &Incoming) -> Result<Value, String> {
        let fields = incoming.params("fields[]");
        if fields.is_empty() {
            return Err("fake TUNE: getConversions needs fields[]".to_owned());
        }
        let foreign: &[&str] = match api {
            Api::Network => &["Stat.conversion_status", "Stat.approved_payout"],
            Api::Affiliate => &["Stat.status"],
        };
        if let Some(field) = fields.iter().find(|field| foreign.contains(field)) {
            return Err(format!("fake TUNE: {field} is not a field of this API"));
        }
        let (from, to) = datetime_window(incoming)?;
        let (page, limit) = paging(incoming)?;
        let mut matching: Vec<&TuneConversion> = self
            .conversions
            .iter()
            .filter(|conversion| (from..=to).contains(&conversion.datetime().as_str()))
            .collect();
        matching.sort_by_key(|conversion| conversion.datetime());
        let rows: Vec<(String, Value)> = page_of(&matching, page, limit)
            .into_iter()
            .enumerate()
            .map(|(index, conversion)| (index.to_string(), report_row(conversion, &fields)))
            .collect();
        Ok(json!({
            "page": page, "current": rows.len(), "count": matching.len(),
            "pageCount": page_count(matching.len(), limit).to_string(),
            "data": row_set(rows, self.report_rows),
        }))
    }
}

/// `page` and `limit`, both required.
fn paging(incoming: &Incoming) -> Result<(usize, usize), String> {
    match (
        positive(incoming.param("page")),
        positive(incoming.param("limit")),
    ) {
        (Some(page), Some(limit)) => Ok((page, limit)),
        _ => Err("fake TUNE: send limit and page, both positive".to_owned()),
    }
}

/// The `Stat.datetime` BETWEEN filter's two values.
fn datetime_window(incoming: &Incoming) -> Result<(&str, &str), String> {
    let conditional = incoming.param("filters[Stat.datetime][conditional]");
    let values = incoming.params("filters[Stat.datetime][values][]");
    match (conditional, values.as_slice()) {
        (Some("BETWEEN"), [from, to]) => Ok((from, to)),
        _ => Err("fake TUNE: getConversions needs the Stat.datetime BETWEEN filter".to_owned()),
    }
}

/// One report row with the requested fields, grouped by model; a field the
/// conversion lacks is null. The affiliate API's `conversion_status` is the status.
fn report_row(conversion: &TuneConversion, fields: &[&str]) -> Value {
    let mut row = Map::new();
    for field in fields {
        let Some((model, name)) = field.split_once('.') else {
            continue;
        };
        let value = match (model, name) {
            ("Stat", "conversion_status") => conversion.stat.get("status"),
            ("Stat", _) => conversion.stat.get(name),
            ("ConversionsMobile", _) => conversion.mobile.get(name),
            _ => None,
        };
        if let Value::Object(group) = row
            .entry(model.to_owned())
            .or_insert_with(|| Value::Object(Map::new()))
        {
            group.insert(name.to_owned(), value.cloned().unwrap_or(Value::Null));
        }
    }
    Value::Object(row)
}

/// Rows as a list or keyed by id; an empty set is always `[]`, as PHP writes it.
fn row_set(rows: Vec<(String, Value)>, shape: RowShape) -> Value {
    if rows.is_empty() {
        return json!([]);
    }
    match shape {
        RowShape::List => Value::Array(rows.into_iter().map(|(_, row)| row).collect()),
        RowShape::KeyedById => Value::Object(rows.into_iter().collect()),
    }
}
