//! TUNE's two APIs (INTEGRATIONS.md §1.1): same host and envelope, different key
//! parameter, targets and report fields. A connection with an affiliate id uses the
//! network API and makes links for that affiliate; without one, the affiliate API,
//! whose links belong to the key's owner.

/// Which of TUNE's APIs a connection speaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TuneApi {
    /// `NetworkToken=`, targets `Offer` and `Report`; links for this affiliate.
    Network {
        /// The affiliate the links are generated for.
        affiliate_id: String,
    },
    /// `api_key=`, targets `Affiliate_Offer` and `Affiliate_Report`.
    Affiliate,
}

impl TuneApi {
    /// The network API when an affiliate id is known, the affiliate API otherwise.
    pub(crate) fn for_affiliate(affiliate_id: Option<String>) -> Self {
        match affiliate_id {
            Some(affiliate_id) => Self::Network { affiliate_id },
            None => Self::Affiliate,
        }
    }

    /// The query parameter that carries the key.
    pub(crate) fn key_parameter(&self) -> &'static str {
        match self {
            Self::Network { .. } => "NetworkToken",
            Self::Affiliate => "api_key",
        }
    }

    /// The offer controller.
    pub(crate) fn offer_target(&self) -> &'static str {
        match self {
            Self::Network { .. } => "Offer",
            Self::Affiliate => "Affiliate_Offer",
        }
    }

    /// The report controller.
    pub(crate) fn report_target(&self) -> &'static str {
        match self {
            Self::Network { .. } => "Report",
            Self::Affiliate => "Affiliate_Report",
        }
    }

    /// The report fields that carry a conversion's status and what it pays us: the
    /// affiliate API names the status `conversion_status` and adds `approved_payout`.
    pub(crate) fn status_and_payout_fields(&self) -> &'static [&'static str] {
        match self {
            Self::Network { .. } => &["Stat.status", "Stat.payout"],
            Self::Affiliate => &[
                "Stat.conversion_status",
                "Stat.payout",
                "Stat.approved_payout",
            ],
        }
    }

    /// The `affiliate_id` parameter of `generateTrackingLink` (network API only).
    pub(crate) fn link_affiliate(&self) -> Option<&str> {
        match self {
            Self::Network { affiliate_id } => Some(affiliate_id),
            Self::Affiliate => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_affiliate_id_chooses_the_api() {
        let network = TuneApi::for_affiliate(Some("3".to_owned()));
        let affiliate = TuneApi::for_affiliate(None);
        let cases = [
            (
                &network,
                "NetworkToken",
                "Offer",
                "Report",
                Some("3"),
                "network API",
            ),
            (
                &affiliate,
                "api_key",
                "Affiliate_Offer",
                "Affiliate_Report",
                None,
                "affiliate API",
            ),
        ];
        for (api, key, offers, reports, link_affiliate, description) in cases {
            assert_eq!(api.key_parameter(), key, "{description}");
            assert_eq!(api.offer_target(), offers, "{description}");
            assert_eq!(api.report_target(), reports, "{description}");
            assert_eq!(api.link_affiliate(), link_affiliate, "{description}");
        }
        assert!(network.status_and_payout_fields().contains(&"Stat.status"));
        assert!(affiliate
            .status_and_payout_fields()
            .contains(&"Stat.conversion_status"));
        assert!(affiliate
            .status_and_payout_fields()
            .contains(&"Stat.approved_payout"));
    }
}
