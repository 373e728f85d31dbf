//! Where a redirect sends the browser (SPEC §5.1, §9.4): the offer's tracking URL with
//! its macros replaced by percent-encoded values, and `click_id` appended when the URL
//! has no click-id macro. A URL-mode link's URL gets its macros replaced too, but nothing
//! appended: it is any page, not an advertiser's tracker.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Everything but RFC 3986 unreserved characters is encoded, so a value can never add a
/// path, query, fragment, user or host to the URL.
const VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The values a redirect substitutes.
#[derive(Debug, Clone, Copy, Default)]
pub struct MacroValues<'a> {
    /// The new click's id.
    pub click_id: &'a str,
    /// The offer's id.
    pub offer_id: &'a str,
    /// `sub1`…`sub5` from the link's query string (absent → empty).
    pub subs: [Option<&'a str>; 5],
    /// The link's message id (§9.4; absent → empty).
    pub message_id: Option<&'a str>,
}

/// The destination for `tracking_url` with `values`, in the normalized form a browser
/// would request (host in punycode, non-ASCII and spaces percent-encoded), so the
/// `Location` header is always a valid URI.
pub fn destination(tracking_url: &str, values: &MacroValues<'_>) -> String {
    normalized(fill(tracking_url, values, true))
}

/// The destination of a URL-mode link (§9.4): its URL with the macros replaced, nothing
/// appended, normalized like `destination`.
pub fn url_mode_destination(url: &str, values: &MacroValues<'_>) -> String {
    normalized(fill(url, values, false))
}

fn normalized(filled: String) -> String {
    match url::Url::parse(&filled) {
        Ok(url) => url.into(),
        Err(_) => filled,
    }
}

/// The URL with its macros replaced and, if `append` and it has no click-id macro,
/// `click_id` appended.
fn fill(tracking_url: &str, values: &MacroValues<'_>, append: bool) -> String {
    let has_click_macro = tracking_url.contains("{click_id}");
    let mut url = tracking_url.to_owned();
    let subs = ["sub1", "sub2", "sub3", "sub4", "sub5"];
    let pairs = [
        ("click_id", Some(values.click_id)),
        ("offer_id", Some(values.offer_id)),
        ("message_id", values.message_id),
    ]
    .into_iter()
    .chain(subs.iter().copied().zip(values.subs));
    for (name, value) in pairs {
        if !url.contains(name) {
            continue;
        }
        let encoded = utf8_percent_encode(value.unwrap_or(""), VALUE).to_string();
        url = url
            .replace(&format!("{{{{{name}}}}}"), &encoded)
            .replace(&format!("{{{name}}}"), &encoded);
    }
    if has_click_macro || !append {
        url
    } else {
        append_click_id(&url, values.click_id)
    }
}

/// Adds `click_id=<id>` to the query, before any fragment.
fn append_click_id(url: &str, click_id: &str) -> String {
    let (before_fragment, fragment) = match url.find('#') {
        Some(index) => url.split_at(index),
        None => (url, ""),
    };
    let separator = match before_fragment.find('?') {
        None => "?",
        Some(_) if before_fragment.ends_with('?') || before_fragment.ends_with('&') => "",
        Some(_) => "&",
    };
    let encoded = utf8_percent_encode(click_id, VALUE);
    format!("{before_fragment}{separator}click_id={encoded}{fragment}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values<'a>(subs: [Option<&'a str>; 5]) -> MacroValues<'a> {
        MacroValues {
            click_id: "c1",
            offer_id: "o1",
            subs,
            message_id: Some("m 42"),
        }
    }

    #[test]
    fn macros_and_appending() {
        let none = [None; 5];
        let cases = [
            (
                "https://a.example/t?c={click_id}",
                none,
                "https://a.example/t?c=c1",
                "single braces",
            ),
            (
                "https://a.example/t?c={{click_id}}",
                none,
                "https://a.example/t?c=c1",
                "double braces",
            ),
            (
                "https://a.example/t?o={offer_id}&c={click_id}",
                none,
                "https://a.example/t?o=o1&c=c1",
                "offer id",
            ),
            (
                "https://a.example/t",
                none,
                "https://a.example/t?click_id=c1",
                "no query: appended",
            ),
            (
                "https://a.example/t?x=1",
                none,
                "https://a.example/t?x=1&click_id=c1",
                "query: appended",
            ),
            (
                "https://a.example/t?",
                none,
                "https://a.example/t?click_id=c1",
                "empty query",
            ),
            (
                "https://a.example/t?x=1#top",
                none,
                "https://a.example/t?x=1&click_id=c1#top",
                "before the fragment",
            ),
            (
                "https://a.example/t#a?b",
                none,
                "https://a.example/t?click_id=c1#a?b",
                "a ? inside the fragment",
            ),
            (
                "https://a.example/t?s1={sub1}&s2={{sub2}}&s5={sub5}&c={click_id}",
                [Some("spring sale"), Some("a&b=c/d?#"), None, None, None],
                "https://a.example/t?s1=spring%20sale&s2=a%26b%3Dc%2Fd%3F%23&s5=&c=c1",
                "subs encoded, absent ones empty",
            ),
            (
                "https://a.example/{sub1}",
                [Some("é"), None, None, None, None],
                "https://a.example/%C3%A9?click_id=c1",
                "UTF-8 encoded",
            ),
            (
                "https://a.example/t?s={sub1}{sub1}",
                [Some("x"), None, None, None, None],
                "https://a.example/t?s=xx&click_id=c1",
                "every occurrence",
            ),
        ];
        for (url, subs, expected, description) in cases {
            assert_eq!(destination(url, &values(subs)), expected, "{description}");
        }
    }

    #[test]
    fn message_id_macro_and_url_mode() {
        let none = [None; 5];
        let cases = [
            (
                destination("https://a.example/t?m={message_id}", &values(none)),
                "https://a.example/t?m=m%2042&click_id=c1",
                "offer: message id encoded, click id appended",
            ),
            (
                destination(
                    "https://a.example/t?m={{message_id}}",
                    &MacroValues {
                        message_id: None,
                        ..values(none)
                    },
                ),
                "https://a.example/t?m=&click_id=c1",
                "no message id: empty",
            ),
            (
                url_mode_destination("https://shop.example/sale", &values(none)),
                "https://shop.example/sale",
                "URL mode: nothing appended",
            ),
            (
                url_mode_destination(
                    "https://shop.example/sale?c={click_id}&m={message_id}",
                    &values(none),
                ),
                "https://shop.example/sale?c=c1&m=m%2042",
                "URL mode: macros replaced",
            ),
        ];
        for (got, expected, description) in cases {
            assert_eq!(got, expected, "{description}");
        }
    }
}
