//! Which TUNE click parameter carries our click id (SPEC §10.1 `message_id_field`).

use std::fmt;

/// The TUNE click parameter that carries our `{click_id}` and whose value comes back on
/// each conversion (SPEC §10.1 `message_id_field`). Everflow always uses `sub1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum MessageIdField {
    /// `aff_sub` (the default).
    #[default]
    AffSub,
    /// `aff_sub2`.
    AffSub2,
    /// `aff_sub3`.
    AffSub3,
    /// `aff_sub4`.
    AffSub4,
    /// `aff_sub5`.
    AffSub5,
    /// `affiliate_unique1`.
    AffiliateUnique1,
    /// `affiliate_unique2`.
    AffiliateUnique2,
    /// `affiliate_unique3`.
    AffiliateUnique3,
    /// `affiliate_unique4`.
    AffiliateUnique4,
    /// `affiliate_unique5`.
    AffiliateUnique5,
    /// `source`.
    Source,
}

impl MessageIdField {
    /// Every value, in declaration order.
    pub const ALL: [Self; 11] = [
        Self::AffSub,
        Self::AffSub2,
        Self::AffSub3,
        Self::AffSub4,
        Self::AffSub5,
        Self::AffiliateUnique1,
        Self::AffiliateUnique2,
        Self::AffiliateUnique3,
        Self::AffiliateUnique4,
        Self::AffiliateUnique5,
        Self::Source,
    ];

    /// The wire spelling, e.g. `"aff_sub2"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AffSub => "aff_sub",
            Self::AffSub2 => "aff_sub2",
            Self::AffSub3 => "aff_sub3",
            Self::AffSub4 => "aff_sub4",
            Self::AffSub5 => "aff_sub5",
            Self::AffiliateUnique1 => "affiliate_unique1",
            Self::AffiliateUnique2 => "affiliate_unique2",
            Self::AffiliateUnique3 => "affiliate_unique3",
            Self::AffiliateUnique4 => "affiliate_unique4",
            Self::AffiliateUnique5 => "affiliate_unique5",
            Self::Source => "source",
        }
    }

    /// Reads the wire spelling (exact, case-sensitive, like the other enumerations).
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|field| field.as_str() == text)
    }
}

impl fmt::Display for MessageIdField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_id_field_reads_and_writes_every_spelling() {
        for field in MessageIdField::ALL {
            assert_eq!(
                MessageIdField::parse(field.as_str()),
                Some(field),
                "{field}"
            );
        }
        let refused = [
            ("AFF_SUB", "upper case"),
            ("aff_sub1", "aff_sub has no 1"),
            ("aff_sub6", "only five aff_subs"),
            ("aff_unique1", "TUNE's link name, not the setting's"),
            ("", "empty"),
        ];
        for (text, description) in refused {
            assert_eq!(MessageIdField::parse(text), None, "{description}");
        }
    }
}
