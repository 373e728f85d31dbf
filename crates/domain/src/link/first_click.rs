//! First clicks (SPEC §9.4): of all the clicks on one message to one contact, the first
//! that is not a bot is the one revenue by `message_id` is credited to. This module says
//! which clicks compete for that place; the database decides the winner with a unique
//! key, so it holds across threads and nodes.

use super::id::LinkId;
use super::phone::PhoneNumber;

/// What a click records of the link it came through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClickLink {
    /// The link.
    pub link_id: LinkId,
    /// The link's message id.
    pub message_id: Option<String>,
    /// The link's contact list.
    pub list_id: Option<String>,
    /// The link's contact.
    pub contact_phone: Option<PhoneNumber>,
}

/// The clicks that compete for one first click: those with the same key. The message is
/// the link's `messageId`, or the link itself when it has none; the person is the
/// link's contact, or the link itself when it has none.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FirstClickKey {
    /// `m:<message id>` or `l:<link id>`.
    pub message: String,
    /// The contact's phone number, or `l:<link id>` (a phone number starts with `+`,
    /// so the two never meet).
    pub person: String,
}

impl ClickLink {
    /// The key this link's clicks compete under.
    pub fn first_click_key(&self) -> FirstClickKey {
        let link = || format!("l:{}", self.link_id);
        FirstClickKey {
            message: self
                .message_id
                .as_ref()
                .map_or_else(link, |message| format!("m:{message}")),
            person: self
                .contact_phone
                .as_ref()
                .map_or_else(link, |phone| phone.as_str().to_owned()),
        }
    }
}

/// The message key revenue by `message_id` looks first clicks up with.
pub fn message_key(message_id: &str) -> String {
    format!("m:{message_id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(id: &str, message: Option<&str>, contact: Option<&str>) -> ClickLink {
        ClickLink {
            link_id: LinkId::parse(id).expect("link id"),
            message_id: message.map(str::to_owned),
            list_id: None,
            contact_phone: contact.map(|phone| PhoneNumber::parse(phone).expect("phone")),
        }
    }

    #[test]
    fn clicks_compete_per_message_and_contact() {
        let key = |link: ClickLink| link.first_click_key();
        let cases = [
            (
                key(link("AAAAAAA", Some("m-1"), Some("+14155550001"))),
                key(link("BBBBBBB", Some("m-1"), Some("+14155550001"))),
                true,
                "two links of one message to one contact",
            ),
            (
                key(link("AAAAAAA", Some("m-1"), Some("+14155550001"))),
                key(link("AAAAAAA", Some("m-1"), Some("+14155550002"))),
                false,
                "two contacts of one message",
            ),
            (
                key(link("AAAAAAA", Some("m-1"), None)),
                key(link("BBBBBBB", Some("m-1"), None)),
                false,
                "without contacts, each link is its own person",
            ),
            (
                key(link("AAAAAAA", None, Some("+14155550001"))),
                key(link("BBBBBBB", None, Some("+14155550001"))),
                false,
                "without message ids, each link is its own message",
            ),
            (
                key(link("AAAAAAA", Some("m-1"), None)),
                key(link("AAAAAAA", Some("m-2"), None)),
                false,
                "two messages",
            ),
        ];
        for (first, second, same, description) in cases {
            assert_eq!(first == second, same, "{description}");
        }
    }

    #[test]
    fn revenue_finds_the_key_of_its_message() {
        let key = link("AAAAAAA", Some("m-1"), Some("+14155550001")).first_click_key();
        assert_eq!(key.message, message_key("m-1"));
    }
}
