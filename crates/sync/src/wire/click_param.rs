//! Appending our click-id parameter to a platform tracking link (INTEGRATIONS.md §3):
//! `name={click_id}` with literal braces, so our redirect fills it in (SPEC §5).

/// The macro our redirect replaces with the click id.
const CLICK_ID_MACRO: &str = "{click_id}";

/// `url` with `name={click_id}` added to its query: after `?` when it has no query,
/// after `&` otherwise, and before any `#fragment`.
pub(crate) fn with_click_id_parameter(url: &str, name: &str) -> String {
    let (before_fragment, fragment) = match url.find('#') {
        Some(index) => url.split_at(index),
        None => (url, ""),
    };
    let separator = match before_fragment.find('?') {
        None => "?",
        Some(_) if before_fragment.ends_with(['?', '&']) => "",
        Some(_) => "&",
    };
    format!("{before_fragment}{separator}{name}={CLICK_ID_MACRO}{fragment}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parameter_joins_the_query() {
        let cases = [
            (
                "https://trk.example.com/aff_c?offer_id=532&aff_id=3",
                "aff_sub",
                "https://trk.example.com/aff_c?offer_id=532&aff_id=3&aff_sub={click_id}",
                "TUNE click_url already has a query",
            ),
            (
                "https://www.trk.example.com/4FQ2D/2CTPL/",
                "sub1",
                "https://www.trk.example.com/4FQ2D/2CTPL/?sub1={click_id}",
                "Everflow url without a query",
            ),
            (
                "https://trk.example.com/c?",
                "sub1",
                "https://trk.example.com/c?sub1={click_id}",
                "a bare question mark",
            ),
            (
                "https://trk.example.com/c?a=1&",
                "source",
                "https://trk.example.com/c?a=1&source={click_id}",
                "a trailing ampersand",
            ),
            (
                "https://trk.example.com/c?a=1#top",
                "aff_sub2",
                "https://trk.example.com/c?a=1&aff_sub2={click_id}#top",
                "before the fragment",
            ),
            (
                "https://trk.example.com/c#a?b",
                "sub1",
                "https://trk.example.com/c?sub1={click_id}#a?b",
                "a question mark inside the fragment is not a query",
            ),
        ];
        for (url, name, expected, description) in cases {
            assert_eq!(
                with_click_id_parameter(url, name),
                expected,
                "{description}"
            );
        }
    }
}
