//! Creating and editing an offer through a form. The form is read into the API's own
//! input types, so the same rules apply and their messages appear beside the fields;
//! a refused form keeps what was typed.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use maud::{html, Markup};
use trackly_app::{offers, AppError};
use trackly_domain::input::{AmountText, Sent};
use trackly_domain::offer::{OfferInput, OfferPatchInput, OfferRef};
use trackly_domain::{NewOffer, Offer, OfferPatch};

use super::{html, see_other};
use crate::csrf;
use crate::error::WebError;
use crate::form::{checkbox, csrf_field, input, select, summary, FieldErrors};
use crate::layout::{page, Section};
use crate::session::SignedIn;
use crate::WebState;

/// The fields of the form, as typed.
#[derive(Debug, Default)]
struct Values {
    name: String,
    tracking_url: String,
    payout: String,
    payout_type: String,
    external_platform: String,
    external_id: String,
    advertiser_id: String,
    filter_bots: bool,
    status: String,
}

/// Every field the form shows an error beside.
const FIELDS: [&str; 9] = [
    "name",
    "tracking_url",
    "payout",
    "payout_type",
    "external_platform",
    "external_id",
    "advertiser_id",
    "filter_bots",
    "status",
];

/// A submitted form: the values and the form's anti-forgery token.
type Submitted = web::Form<HashMap<String, String>>;

impl Values {
    /// What a submitted form holds.
    fn from_form(form: &HashMap<String, String>) -> Self {
        let text = |name: &str| form.get(name).cloned().unwrap_or_default();
        Self {
            name: text("name"),
            tracking_url: text("tracking_url"),
            payout: text("payout"),
            payout_type: text("payout_type"),
            external_platform: text("external_platform"),
            external_id: text("external_id"),
            advertiser_id: text("advertiser_id"),
            filter_bots: form.get("filter_bots").is_some_and(|value| value == "true"),
            status: text("status"),
        }
    }

    /// What a stored offer holds.
    fn from_offer(offer: &Offer) -> Self {
        Self {
            name: offer.name.as_str().to_owned(),
            tracking_url: offer.tracking_url.as_str().to_owned(),
            payout: offer.payout.value().to_string(),
            payout_type: offer.payout_type.to_string(),
            external_platform: offer
                .external_platform
                .map(|platform| platform.to_string())
                .unwrap_or_default(),
            external_id: offer.external_id.clone().unwrap_or_default(),
            advertiser_id: offer.advertiser_id.clone().unwrap_or_default(),
            filter_bots: offer.filter_bots,
            status: offer.status.to_string(),
        }
    }

    /// The create request these values make (an empty optional field is not sent).
    fn create_input(&self) -> OfferInput {
        OfferInput {
            name: Sent::Value(self.name.clone()),
            tracking_url: Sent::Value(self.tracking_url.clone()),
            external_platform: optional(&self.external_platform),
            external_id: optional(&self.external_id),
            advertiser_id: optional(&self.advertiser_id),
            payout: amount(&self.payout),
            payout_type: Sent::Value(self.payout_type.clone()),
            filter_bots: Sent::Value(self.filter_bots),
            status: Sent::Value(self.status.clone()),
            metadata: Sent::Absent,
        }
    }

    /// The update request these values make (an empty platform field clears it; the
    /// metadata is kept).
    fn update_input(&self) -> OfferPatchInput {
        OfferPatchInput {
            name: Sent::Value(self.name.clone()),
            tracking_url: Sent::Value(self.tracking_url.clone()),
            external_platform: clearable(&self.external_platform),
            external_id: clearable(&self.external_id),
            advertiser_id: clearable(&self.advertiser_id),
            payout: amount(&self.payout),
            payout_type: Sent::Value(self.payout_type.clone()),
            filter_bots: Sent::Value(self.filter_bots),
            status: Sent::Value(self.status.clone()),
            metadata: Sent::Absent,
        }
    }
}

/// An optional text field: empty is "not sent".
fn optional(text: &str) -> Sent<String> {
    if text.trim().is_empty() {
        Sent::Absent
    } else {
        Sent::Value(text.to_owned())
    }
}

/// A clearable text field of an update: empty is `null`.
fn clearable(text: &str) -> Sent<String> {
    if text.trim().is_empty() {
        Sent::Null
    } else {
        Sent::Value(text.to_owned())
    }
}

/// An amount field: empty is "not sent".
fn amount(text: &str) -> Sent<AmountText> {
    if text.trim().is_empty() {
        Sent::Absent
    } else {
        Sent::Value(AmountText::Text(text.trim().to_owned()))
    }
}

/// `GET /app/offers/new`.
pub(crate) async fn new(user: SignedIn) -> HttpResponse {
    let values = Values {
        payout_type: "cpa".to_owned(),
        status: "active".to_owned(),
        ..Values::default()
    };
    html(form_page(&user, None, &values, &FieldErrors::default()))
}

/// `POST /app/offers`: creates the offer and opens its page, or shows the form again
/// with the reasons beside the fields.
pub(crate) async fn create(
    state: web::Data<WebState>,
    user: SignedIn,
    form: Submitted,
) -> Result<HttpResponse, WebError> {
    csrf::check(
        &user.csrf_token,
        form.get(csrf::FIELD).map_or("", String::as_str),
    )?;
    let values = Values::from_form(&form);
    let input = values.create_input();
    let broken = input.broken_rules();
    let created = match NewOffer::try_from(input) {
        Ok(offer) => offers::add(&state.app, &user.account, offer).await,
        Err(error) => Err(AppError::Invalid(error)),
    };
    match created {
        Ok(offer) => Ok(see_other(&format!("/app/offers/{}", offer.id))),
        Err(error) => refused(&user, None, &values, &broken, error),
    }
}

/// `GET /app/offers/{offer}/edit`.
pub(crate) async fn edit(
    state: web::Data<WebState>,
    user: SignedIn,
    offer: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let reference = OfferRef::parse(&offer).ok_or(WebError::NotFound)?;
    let offer = offers::get(&state.app, &user.account, reference).await?;
    let values = Values::from_offer(&offer);
    Ok(html(form_page(
        &user,
        Some(&offer),
        &values,
        &FieldErrors::default(),
    )))
}

/// `POST /app/offers/{offer}`: saves the changes and opens the offer's page, or shows
/// the form again with the reasons beside the fields.
pub(crate) async fn update(
    state: web::Data<WebState>,
    user: SignedIn,
    offer: web::Path<String>,
    form: Submitted,
) -> Result<HttpResponse, WebError> {
    csrf::check(
        &user.csrf_token,
        form.get(csrf::FIELD).map_or("", String::as_str),
    )?;
    let reference = OfferRef::parse(&offer).ok_or(WebError::NotFound)?;
    let stored = offers::get(&state.app, &user.account, reference.clone()).await?;
    let values = Values::from_form(&form);
    let input = values.update_input();
    let broken = input.broken_rules();
    let updated = match OfferPatch::try_from(input) {
        Ok(patch) => offers::update(&state.app, &user.account, reference, patch).await,
        Err(error) => Err(AppError::Invalid(error)),
    };
    match updated {
        Ok(offer) => Ok(see_other(&format!("/app/offers/{}", offer.id))),
        Err(error) => refused(&user, Some(&stored), &values, &broken, error),
    }
}

/// The form again, `422`, with every broken rule (`broken`, or else the one `error`
/// names) beside its field; errors that are not the user's go to the error page.
fn refused(
    user: &SignedIn,
    offer: Option<&Offer>,
    values: &Values,
    broken: &[trackly_domain::InputError],
    error: AppError,
) -> Result<HttpResponse, WebError> {
    let errors = match error {
        AppError::Invalid(_) if !broken.is_empty() => FieldErrors::from_input(broken),
        AppError::Invalid(input) => FieldErrors::from_input(&[input]),
        other => return Err(other.into()),
    };
    let mut response = html(form_page(user, offer, values, &errors));
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}

/// The new-offer form, or the edit form of `offer`.
fn form_page(
    user: &SignedIn,
    offer: Option<&Offer>,
    values: &Values,
    errors: &FieldErrors,
) -> Markup {
    let (title, action, statuses): (&str, String, &[(&str, &str)]) = match offer {
        None => (
            "New offer",
            "/app/offers".to_owned(),
            &[("active", "Active"), ("paused", "Paused")],
        ),
        Some(offer) => (
            "Edit offer",
            format!("/app/offers/{}", offer.id),
            &[
                ("active", "Active"),
                ("paused", "Paused"),
                ("archived", "Archived"),
            ],
        ),
    };
    let cancel = offer.map_or("/app/offers".to_owned(), |offer| {
        format!("/app/offers/{}", offer.id)
    });
    page(
        title,
        Section::Offers,
        user,
        html! {
            h1 { (title) }
            (summary(errors, &FIELDS))
            form.offer-form method="post" action=(action) novalidate {
                (csrf_field(&user.csrf_token))
                (input("name", "Name", "text", &values.name, errors, None))
                (input("tracking_url", "Tracking URL", "url", &values.tracking_url, errors,
                    Some("The advertiser's link, http or https. Macros such as {click_id} are filled in per click.")))
                (input("payout", "Payout", "text", &values.payout, errors, Some("What a conversion (cpa) or a click (cpc) earns, e.g. 2.50.")))
                (select("payout_type", "Payout type", &values.payout_type, &[("cpa", "Per conversion (cpa)"), ("cpc", "Per click (cpc)")], errors))
                (select("external_platform", "Platform", &values.external_platform, &[("", "None"), ("tune", "TUNE"), ("everflow", "Everflow")], errors))
                (input("external_id", "Platform offer id", "text", &values.external_id, errors, None))
                (input("advertiser_id", "Advertiser id", "text", &values.advertiser_id, errors, None))
                (checkbox("filter_bots", "Leave bot clicks out of the stats", values.filter_bots, errors))
                (select("status", "Status", &values.status, statuses, errors))
                div.actions {
                    button type="submit" { @if offer.is_some() { "Save changes" } @else { "Create offer" } }
                    a href=(cancel) { "Cancel" }
                }
            }
        },
    )
}
