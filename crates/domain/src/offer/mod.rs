//! Offers: the model, its fields and the create/update requests.

mod fields;
mod input;
mod metadata;
mod model;
mod reference;

pub use fields::{
    ExternalPlatform, NameProblem, OfferName, OfferStatus, PayoutType, TrackingUrl,
    EXTERNAL_REF_MAX_CHARS, NAME_MAX_CHARS, TRACKING_URL_MAX_CHARS,
};
pub use input::{Change, NewOffer, OfferPatch};
pub use metadata::{too_many_keys, Metadata, MetadataPatch, METADATA_MAX_KEYS};
pub use model::Offer;
pub use reference::OfferRef;
