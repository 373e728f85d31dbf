//! Offers: the model, its fields and the create/update requests.

mod fields;
mod input;
mod metadata;
mod model;
mod reference;
pub(crate) mod rules;

pub use fields::{
    ExternalPlatform, NameProblem, OfferName, OfferStatus, PayoutType, TrackingUrl,
    EXTERNAL_REF_MAX_CHARS, NAME_MAX_CHARS, TRACKING_URL_MAX_CHARS,
};
pub use input::{Change, NewOffer, OfferInput, OfferPatch, OfferPatchInput};
pub use metadata::{
    too_many_keys, Metadata, MetadataPatch, METADATA_KEY_MAX_CHARS, METADATA_MAX_KEYS,
    METADATA_VALUE_MAX_CHARS,
};
pub use model::Offer;
pub use reference::OfferRef;
