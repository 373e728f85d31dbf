//! Where the connection's `message_id_field` lives on TUNE (INTEGRATIONS.md §3, §4): the
//! link parameter that carries our click id, and the report field that gives it back.

use crate::settings::MessageIdField;

/// The tracking-link parameter behind a `message_id_field`. The unique values are sent
/// as `aff_uniqueN`, a name INTEGRATIONS.md marks unverified.
pub(crate) fn link_parameter(field: MessageIdField) -> &'static str {
    match field {
        MessageIdField::AffSub => "aff_sub",
        MessageIdField::AffSub2 => "aff_sub2",
        MessageIdField::AffSub3 => "aff_sub3",
        MessageIdField::AffSub4 => "aff_sub4",
        MessageIdField::AffSub5 => "aff_sub5",
        MessageIdField::AffiliateUnique1 => "aff_unique1",
        MessageIdField::AffiliateUnique2 => "aff_unique2",
        MessageIdField::AffiliateUnique3 => "aff_unique3",
        MessageIdField::AffiliateUnique4 => "aff_unique4",
        MessageIdField::AffiliateUnique5 => "aff_unique5",
        MessageIdField::Source => "source",
    }
}

/// The conversion report field that holds what the link parameter carried.
pub(crate) fn report_field(field: MessageIdField) -> &'static str {
    match field {
        MessageIdField::AffSub => "Stat.affiliate_info1",
        MessageIdField::AffSub2 => "Stat.affiliate_info2",
        MessageIdField::AffSub3 => "Stat.affiliate_info3",
        MessageIdField::AffSub4 => "Stat.affiliate_info4",
        MessageIdField::AffSub5 => "Stat.affiliate_info5",
        MessageIdField::AffiliateUnique1 => "ConversionsMobile.affiliate_unique1",
        MessageIdField::AffiliateUnique2 => "ConversionsMobile.affiliate_unique2",
        MessageIdField::AffiliateUnique3 => "ConversionsMobile.affiliate_unique3",
        MessageIdField::AffiliateUnique4 => "ConversionsMobile.affiliate_unique4",
        MessageIdField::AffiliateUnique5 => "ConversionsMobile.affiliate_unique5",
        MessageIdField::Source => "Stat.source",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_id_field_has_a_link_parameter_and_a_report_field() {
        use MessageIdField::*;
        let cases = [
            (
                AffSub,
                "aff_sub",
                "Stat.affiliate_info1",
                "aff_sub is affiliate_info1",
            ),
            (AffSub2, "aff_sub2", "Stat.affiliate_info2", "aff_sub2"),
            (AffSub3, "aff_sub3", "Stat.affiliate_info3", "aff_sub3"),
            (AffSub4, "aff_sub4", "Stat.affiliate_info4", "aff_sub4"),
            (AffSub5, "aff_sub5", "Stat.affiliate_info5", "aff_sub5"),
            (
                AffiliateUnique1,
                "aff_unique1",
                "ConversionsMobile.affiliate_unique1",
                "unique values travel as aff_uniqueN",
            ),
            (
                AffiliateUnique2,
                "aff_unique2",
                "ConversionsMobile.affiliate_unique2",
                "unique 2",
            ),
            (
                AffiliateUnique3,
                "aff_unique3",
                "ConversionsMobile.affiliate_unique3",
                "unique 3",
            ),
            (
                AffiliateUnique4,
                "aff_unique4",
                "ConversionsMobile.affiliate_unique4",
                "unique 4",
            ),
            (
                AffiliateUnique5,
                "aff_unique5",
                "ConversionsMobile.affiliate_unique5",
                "unique 5",
            ),
            (Source, "source", "Stat.source", "source is itself"),
        ];
        assert_eq!(
            cases.len(),
            MessageIdField::ALL.len(),
            "every field has a row"
        );
        for (field, parameter, report, description) in cases {
            assert_eq!(link_parameter(field), parameter, "{description}");
            assert_eq!(report_field(field), report, "{description}");
        }
    }
}
