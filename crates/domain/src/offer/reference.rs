//! How a path names an offer (SPEC §3.3): by id, or by any slug carrying its code.

use crate::code::OfferCode;
use crate::id::ObjectId;
use crate::slug::code_of_slug;

/// An offer named in a URL path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum OfferRef {
    /// By its id.
    Id(ObjectId),
    /// By the code at the end of a slug (old slugs keep working after a rename).
    Code(OfferCode),
}

impl OfferRef {
    /// Reads an id or a slug; `None` for anything else (which the API answers with 404).
    pub fn parse(text: &str) -> Option<Self> {
        ObjectId::parse(text)
            .map(Self::Id)
            .or_else(|| code_of_slug(text).map(Self::Code))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_reads_ids_and_slugs_only() {
        assert!(matches!(
            OfferRef::parse("664f1a2b3c4d5e6f7a8b9c0d"),
            Some(OfferRef::Id(_))
        ));
        assert!(matches!(
            OfferRef::parse("ofr_summer-promo_a1b2c3"),
            Some(OfferRef::Code(_))
        ));
        assert_eq!(
            OfferRef::parse("a1b2c3"),
            None,
            "a bare code is not a path id"
        );
        assert_eq!(OfferRef::parse("nope"), None);
    }
}
