//! Clicks (SPEC §5.2, §5.3): what a redirect records and why a click counts as a bot.

use chrono::{DateTime, Utc};

use crate::id::ObjectId;
use crate::link::ClickLink;

/// The longest user agent stored; longer ones are cut.
pub const USER_AGENT_MAX_CHARS: usize = 512;
/// The longest referer stored.
pub const REFERER_MAX_CHARS: usize = 1024;
/// The longest `sub1`…`sub5` value stored.
pub const SUB_MAX_CHARS: usize = 255;

wire_enum! {
    /// Why a click was classified as a bot.
    BotReason { /// No `User-Agent`, or an empty one.
    EmptyUserAgent = "empty_user_agent", /// A crawler, monitor, HTTP library or link-preview fetcher.
    BotUserAgent = "bot_user_agent", /// A `HEAD` request: browsers following a link send `GET`.
    HeadRequest = "head_request", /// The client address is in a configured bot network.
    BotNetwork = "bot_network" }
}

/// One recorded click.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Click {
    /// The click id; its first 4 bytes are `created_at`'s second.
    pub id: ObjectId,
    /// The account owning the offer or link.
    pub account_id: ObjectId,
    /// The offer clicked; `None` for a link in URL mode (SPEC §9.1).
    pub offer_id: Option<ObjectId>,
    /// The link followed (SPEC §9.4), when the click came through one.
    pub link: Option<ClickLink>,
    /// The first click of a person on a message (SPEC §9.4); decided when the click is
    /// stored, `false` until then.
    pub first_click: bool,
    /// When the redirect answered.
    pub created_at: DateTime<Utc>,
    /// The client address, as text.
    pub ip: Option<String>,
    /// `User-Agent`, at most 512 characters.
    pub user_agent: Option<String>,
    /// `Referer`, at most 1024 characters.
    pub referer: Option<String>,
    /// `sub1`…`sub5` from the link, each at most 255 characters.
    pub subs: [Option<String>; 5],
    /// Why it is a bot; `None` for a person.
    pub bot_reason: Option<BotReason>,
}

/// What a redirect needs to know about the offer behind a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedirectTarget {
    /// The offer's id.
    pub offer_id: ObjectId,
    /// Its account.
    pub account_id: ObjectId,
    /// Where clicks go.
    pub tracking_url: String,
    /// Only active offers redirect.
    pub status: crate::offer::OfferStatus,
}

/// What is known about a click when it is classified.
#[derive(Debug, Clone, Copy)]
pub struct ClickSignals<'a> {
    /// The request method was `HEAD`.
    pub is_head: bool,
    /// The `User-Agent` header, if any.
    pub user_agent: Option<&'a str>,
    /// The user agent matched the maintained bot pattern list.
    pub user_agent_is_bot: bool,
    /// The client address is inside a configured bot network.
    pub in_bot_network: bool,
}

/// Classifies a click. The first matching rule, in the SPEC's order, is the reason:
/// empty user agent, bot user agent, `HEAD` request, bot network. `None` is a person.
pub fn classify(signals: ClickSignals<'_>) -> Option<BotReason> {
    if signals
        .user_agent
        .is_none_or(|agent| agent.trim().is_empty())
    {
        Some(BotReason::EmptyUserAgent)
    } else if signals.user_agent_is_bot {
        Some(BotReason::BotUserAgent)
    } else if signals.is_head {
        Some(BotReason::HeadRequest)
    } else if signals.in_bot_network {
        Some(BotReason::BotNetwork)
    } else {
        None
    }
}

/// A click field as stored: NUL characters dropped and cut to at most `max` characters
/// (click fields are cleaned, not refused).
pub fn click_field(text: &str, max: usize) -> String {
    crate::text::clean_and_cut(text, max)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signals(user_agent: Option<&str>) -> ClickSignals<'_> {
        ClickSignals {
            is_head: false,
            user_agent,
            user_agent_is_bot: false,
            in_bot_network: false,
        }
    }

    #[test]
    fn classification_follows_the_spec_order() {
        let person = signals(Some(
            "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X)",
        ));
        let cases = [
            (person, None, "a person"),
            (
                signals(None),
                Some(BotReason::EmptyUserAgent),
                "no user agent",
            ),
            (
                signals(Some("  ")),
                Some(BotReason::EmptyUserAgent),
                "blank user agent",
            ),
            (
                ClickSignals {
                    user_agent_is_bot: true,
                    is_head: true,
                    ..person
                },
                Some(BotReason::BotUserAgent),
                "bot UA before HEAD",
            ),
            (
                ClickSignals {
                    is_head: true,
                    in_bot_network: true,
                    ..person
                },
                Some(BotReason::HeadRequest),
                "HEAD before network",
            ),
            (
                ClickSignals {
                    in_bot_network: true,
                    ..person
                },
                Some(BotReason::BotNetwork),
                "network",
            ),
            (
                ClickSignals {
                    is_head: true,
                    ..signals(None)
                },
                Some(BotReason::EmptyUserAgent),
                "empty UA first",
            ),
        ];
        for (input, expected, description) in cases {
            assert_eq!(classify(input), expected, "{description}");
        }
    }

    #[test]
    fn click_fields_are_cut_in_characters_and_lose_nuls() {
        assert_eq!(click_field("héllo", 2), "hé");
        assert_eq!(click_field("abc", 5), "abc");
        assert_eq!(click_field("a\0b", 5), "ab");
        assert_eq!(
            click_field(&"é".repeat(600), USER_AGENT_MAX_CHARS)
                .chars()
                .count(),
            512
        );
    }
}
