//! Slugs (SPEC §2): `ofr_<name part>_<code>`. The name part is the name folded to ASCII,
//! lower-cased, each run of other characters turned into one `-`, trimmed of `-`, cut to
//! 50 characters and trimmed again; `offer` when nothing is left.

use crate::code::{OfferCode, CODE_LENGTH};

/// The longest name part a slug carries.
const NAME_PART_MAX: usize = 50;

/// The name part of a slug for `name`, e.g. `"Café Crème"` → `cafe-creme`.
///
/// Letters and digits of any script are transliterated (`ß` → `ss`, `Привет` → `privet`);
/// symbols and emoji are separators, so an emoji-only name falls back to `offer`.
pub fn slug_name_part(name: &str) -> String {
    let folded = fold_to_ascii(name);
    let mut part = String::with_capacity(folded.len());
    let mut pending_dash = false;
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            if pending_dash && !part.is_empty() {
                part.push('-');
            }
            pending_dash = false;
            part.push(c);
        } else {
            pending_dash = true;
        }
    }
    part.truncate(NAME_PART_MAX);
    let trimmed = part.trim_end_matches('-');
    if trimmed.is_empty() {
        "offer".to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// ASCII lower-case text for `name`: letters and digits transliterated, everything else
/// a space.
fn fold_to_ascii(name: &str) -> String {
    let mut folded = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii() {
            folded.push(c.to_ascii_lowercase());
        } else if c.is_alphanumeric() {
            let ascii = deunicode::deunicode_char(c).unwrap_or(" ");
            folded.push_str(&ascii.to_ascii_lowercase());
        } else {
            folded.push(' ');
        }
    }
    folded
}

/// The full slug of an offer named `name` with code `code`.
pub fn slug_for(name: &str, code: &OfferCode) -> String {
    format!("ofr_{}_{}", slug_name_part(name), code)
}

/// The code a slug ends in, when the text has the shape of a slug
/// (`ofr_<name part>_<code>`). Any name part is accepted, so old slugs keep working
/// after a rename.
pub fn code_of_slug(slug: &str) -> Option<OfferCode> {
    let rest = slug.strip_prefix("ofr_")?;
    let (name_part, code) = rest.split_at_checked(rest.len().checked_sub(CODE_LENGTH)?)?;
    let name_part = name_part.strip_suffix('_')?;
    if name_part.is_empty() {
        return None;
    }
    OfferCode::parse(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code() -> OfferCode {
        OfferCode::parse("a1b2c3").expect("valid code")
    }

    #[test]
    fn name_part_follows_the_spec_rules() {
        let long_name = "a".repeat(300);
        let cases: [(&str, &str, &str); 11] = [
            ("Summer Promo", "summer-promo", "spaces become dashes"),
            ("Café Crème", "cafe-creme", "accents are folded to ASCII"),
            (
                "  --Hello,   World!!  ",
                "hello-world",
                "runs collapse, ends are trimmed",
            ),
            ("🎉🎉🎉", "offer", "emoji-only name leaves nothing"),
            ("!!!", "offer", "punctuation-only name leaves nothing"),
            (&long_name, &long_name[..50], "cut to 50 characters"),
            ("Straße 50% OFF", "strasse-50-off", "ß folds to ss"),
            ("Привет мир", "privet-mir", "Cyrillic is transliterated"),
            ("UPPER lower", "upper-lower", "lower-cased"),
            ("a_b.c", "a-b-c", "underscores and dots are separators"),
            ("x", "x", "a single character"),
        ];
        for (name, expected, description) in cases {
            assert_eq!(slug_name_part(name), expected, "{description}: {name:?}");
        }
    }

    #[test]
    fn a_cut_that_ends_on_a_dash_is_trimmed_again() {
        let name = format!("{} tail", "b".repeat(49));
        assert_eq!(slug_name_part(&name), "b".repeat(49));
    }

    #[test]
    fn slug_is_prefix_name_part_and_code() {
        assert_eq!(slug_for("Summer Promo", &code()), "ofr_summer-promo_a1b2c3");
    }

    #[test]
    fn rename_keeps_the_code() {
        let before = slug_for("Summer Promo", &code());
        let after = slug_for("Summer Promo v2", &code());
        assert_eq!(after, "ofr_summer-promo-v2_a1b2c3");
        assert_eq!(code_of_slug(&before), code_of_slug(&after));
    }

    #[test]
    fn code_of_slug_reads_only_slug_shaped_text() {
        let cases = [
            ("ofr_summer-promo_a1b2c3", Some("a1b2c3"), "a slug"),
            ("ofr_offer_zz99zz", Some("zz99zz"), "fallback name part"),
            ("ofr__a1b2c3", None, "empty name part"),
            ("summer-promo_a1b2c3", None, "no prefix"),
            (
                "ofr_summer-promo-a1b2c3",
                None,
                "no underscore before the code",
            ),
            ("ofr_summer_A1B2C3", None, "code in upper case"),
            ("ofr_", None, "prefix only"),
            ("ofr_é_a1b2c3", Some("a1b2c3"), "multi-byte name part"),
        ];
        for (slug, expected, description) in cases {
            let got = code_of_slug(slug);
            assert_eq!(
                got.as_ref().map(OfferCode::as_str),
                expected,
                "{description}: {slug:?}"
            );
        }
    }
}
