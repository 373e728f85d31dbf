//! Offer metadata from platform fields (SPEC §10.2): absent values and values longer
//! than the metadata limit are left out.

use std::collections::BTreeMap;

/// The longest metadata value, in characters (SPEC §2; the domain's limit).
pub(crate) const METADATA_VALUE_MAX_CHARS: usize = 500;

/// The entries that have a value of at most 500 characters.
pub(crate) fn collect_metadata<'a>(
    entries: impl IntoIterator<Item = (&'a str, Option<String>)>,
) -> BTreeMap<String, String> {
    entries
        .into_iter()
        .filter_map(|(key, value)| {
            let value = value?;
            (value.chars().count() <= METADATA_VALUE_MAX_CHARS).then(|| (key.to_owned(), value))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_and_absent_values_are_left_out() {
        let at_limit = "é".repeat(500);
        let over_limit = "a".repeat(501);
        let cases = [
            (Some("cpa_flat".to_owned()), true, "a short value"),
            (Some(at_limit), true, "500 two-byte characters"),
            (Some(over_limit), false, "501 characters"),
            (None, false, "absent"),
        ];
        for (value, kept, description) in cases {
            let metadata = collect_metadata([("tune.payout_type", value.clone())]);
            assert_eq!(
                metadata.get("tune.payout_type"),
                value.as_ref().filter(|_| kept),
                "{description}"
            );
        }
    }
}
