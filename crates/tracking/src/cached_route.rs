//! A link as the link cache keeps it (SPEC §9.4), in about a tenth of a `LinkRoute`'s
//! memory: what the links of one offer share (account, offer code) is one `Owner` for
//! all of them, and the link's own text (URL, message id, list id, contact phone) is one
//! allocation. `Owners` hands out the shared part.

use std::collections::HashMap;
use std::mem::size_of;
use std::sync::Arc;

use trackly_domain::link::{ClickLink, LinkId, LinkRoute, PhoneNumber, RouteTarget};
use trackly_domain::ObjectId;

/// What the links of one offer (or one account's URL-mode links) share.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Owner {
    /// The links' account.
    pub(crate) account_id: ObjectId,
    /// Offer mode: the offer's tracking code; `None` for URL mode.
    pub(crate) offer_code: Option<String>,
}

/// The link's own text fields, in the order they are laid out.
#[derive(Clone, Copy)]
enum Field {
    Url = 0,
    Message = 1,
    List = 2,
    Phone = 3,
}

/// One cached link; cloning it copies two pointers.
#[derive(Clone, Debug)]
pub(crate) struct CachedRoute {
    owner: Arc<Owner>,
    /// The URL (URL mode; empty otherwise), message id, list id and contact phone, one
    /// after the other.
    text: Arc<str>,
    /// Where each field ends in `text`.
    ends: [u32; 4],
    /// Bit `Field as u8` set for each field the link has.
    present: u8,
}

impl CachedRoute {
    /// The link's account.
    pub(crate) fn account_id(&self) -> &ObjectId {
        &self.owner.account_id
    }

    /// Offer mode: the offer's tracking code.
    pub(crate) fn offer_code(&self) -> Option<&str> {
        self.owner.offer_code.as_deref()
    }

    /// URL mode: where the link goes.
    pub(crate) fn url(&self) -> Option<&str> {
        self.field(Field::Url)
    }

    /// The caller's message id.
    pub(crate) fn message_id(&self) -> Option<&str> {
        self.field(Field::Message)
    }

    /// What a click through link `link_id` (this one) records of it.
    pub(crate) fn click_link(&self, link_id: &LinkId) -> ClickLink {
        ClickLink {
            link_id: link_id.clone(),
            message_id: self.field(Field::Message).map(str::to_owned),
            list_id: self.field(Field::List).map(str::to_owned),
            // Parsed when the link was loaded, so it parses again.
            contact_phone: self.field(Field::Phone).and_then(PhoneNumber::parse),
        }
    }

    /// The bytes this entry takes in the cache: the entry itself (key and value), the
    /// text's allocation and a share of the cache's own tables. The owner is shared by
    /// many links and not counted.
    pub(crate) fn weight(&self) -> u64 {
        /// What one allocation costs beyond its bytes (glibc's header and rounding).
        const ALLOCATION: usize = 16;
        /// The cache's per-entry bookkeeping: its hash table slot, ghost and flags.
        const TABLES: usize = 24;
        /// An `Arc`'s two counters.
        const COUNTERS: usize = 2 * size_of::<usize>();
        let bytes = size_of::<[u8; 7]>()
            + size_of::<Self>()
            + TABLES
            + COUNTERS
            + ALLOCATION
            + self.text.len();
        u64::try_from(bytes).unwrap_or(u64::MAX)
    }

    fn field(&self, field: Field) -> Option<&str> {
        let index = field as usize;
        if self.present & (1 << index) == 0 {
            return None;
        }
        let start = if index == 0 { 0 } else { self.ends[index - 1] };
        // The ends were taken from this text, at the boundaries of whole strings.
        self.text.get(start as usize..self.ends[index] as usize)
    }
}

/// The owners of the links cached now, so links of one offer share one. Used by one
/// thread (the lookup thread); owners no cached link uses are dropped as it grows.
#[derive(Default)]
pub(crate) struct Owners {
    by_key: HashMap<(String, Option<String>), Arc<Owner>>,
    /// Past this many owners, unused ones are dropped.
    prune_at: usize,
}

impl Owners {
    /// The fewest owners kept before any are dropped.
    const MIN_PRUNE_AT: usize = 1024;

    /// `route` in its cached form, its owner shared with earlier links of its offer.
    pub(crate) fn compact(&mut self, route: &LinkRoute) -> CachedRoute {
        let (url, offer_code) = match &route.target {
            RouteTarget::Url(url) => (Some(url.as_str()), None),
            RouteTarget::Offer(code) => (None, Some(code.as_str())),
        };
        let owner = self.owner(&route.account_id, offer_code);
        let fields = [
            url,
            route.message_id.as_deref(),
            route.list_id.as_deref(),
            route.contact_phone.as_ref().map(PhoneNumber::as_str),
        ];
        let mut text = String::with_capacity(fields.iter().flatten().map(|f| f.len()).sum());
        let mut ends = [0u32; 4];
        let mut present = 0u8;
        for (index, field) in fields.iter().enumerate() {
            if let Some(field) = field {
                text.push_str(field);
                present |= 1 << index;
            }
            // PostgreSQL's text is at most 1 GB, so a link's text fits in a `u32`.
            ends[index] = u32::try_from(text.len()).unwrap_or(u32::MAX);
        }
        CachedRoute {
            owner,
            text: Arc::from(text),
            ends,
            present,
        }
    }

    fn owner(&mut self, account_id: &ObjectId, offer_code: Option<&str>) -> Arc<Owner> {
        let key = (
            account_id.as_str().to_owned(),
            offer_code.map(str::to_owned),
        );
        if let Some(owner) = self.by_key.get(&key) {
            return owner.clone();
        }
        if self.by_key.len() >= self.prune_at.max(Self::MIN_PRUNE_AT) {
            self.by_key.retain(|_, owner| Arc::strong_count(owner) > 1);
            self.prune_at = 2 * self.by_key.len();
        }
        let owner = Arc::new(Owner {
            account_id: account_id.clone(),
            offer_code: key.1.clone(),
        });
        self.by_key.insert(key, owner.clone());
        owner
    }
}

#[cfg(test)]
mod tests {
    use trackly_domain::code::OfferCode;

    use super::*;

    fn route(id: &str, offer: Option<&str>, fields: [Option<&str>; 3]) -> LinkRoute {
        let [message, list, phone] = fields;
        LinkRoute {
            link_id: LinkId::parse(id).expect("link id"),
            account_id: ObjectId::parse("6745a1b2c3d4e5f601234567").expect("account id"),
            target: match offer {
                Some(code) => RouteTarget::Offer(OfferCode::parse(code).expect("code")),
                None => RouteTarget::Url("https://example.com/sale?m={message_id}".to_owned()),
            },
            message_id: message.map(str::to_owned),
            list_id: list.map(str::to_owned),
            contact_phone: phone.map(|phone| PhoneNumber::parse(phone).expect("phone")),
        }
    }

    #[test]
    fn a_compacted_link_reads_back_as_loaded() {
        let mut owners = Owners::default();
        let cases = [
            route(
                "AAAAAAA",
                Some("b00000"),
                [Some("msg-1"), Some("list-1"), Some("+15550000001")],
            ),
            route("BBBBBBB", None, [Some("msg-2"), None, Some("+15550000002")]),
            route("CCCCCCC", Some("b00000"), [None, Some(""), None]),
            route("DDDDDDD", None, [Some("ünïcödé ✓"), Some("liste"), None]),
        ];
        for loaded in cases {
            let cached = owners.compact(&loaded);
            let id = &loaded.link_id;
            assert_eq!(cached.account_id(), &loaded.account_id, "{id}");
            match &loaded.target {
                RouteTarget::Url(url) => {
                    assert_eq!(cached.url(), Some(url.as_str()), "{id}");
                    assert_eq!(cached.offer_code(), None, "{id}");
                }
                RouteTarget::Offer(code) => {
                    assert_eq!(cached.offer_code(), Some(code.as_str()), "{id}");
                    assert_eq!(cached.url(), None, "{id}");
                }
            }
            assert_eq!(cached.message_id(), loaded.message_id.as_deref(), "{id}");
            let link = cached.click_link(id);
            assert_eq!(link.link_id, loaded.link_id, "{id}");
            assert_eq!(link.message_id, loaded.message_id, "{id}");
            assert_eq!(link.list_id, loaded.list_id, "{id}");
            assert_eq!(link.contact_phone, loaded.contact_phone, "{id}");
        }
    }

    #[test]
    fn links_of_one_offer_share_their_owner() {
        let mut owners = Owners::default();
        let fields = [Some("m"), Some("l"), None];
        let first = owners.compact(&route("AAAAAAA", Some("b00000"), fields));
        let second = owners.compact(&route("BBBBBBB", Some("b00000"), fields));
        let other_offer = owners.compact(&route("CCCCCCC", Some("b00001"), fields));
        let url_mode = owners.compact(&route("DDDDDDD", None, fields));
        assert!(Arc::ptr_eq(&first.owner, &second.owner));
        assert!(!Arc::ptr_eq(&first.owner, &other_offer.owner));
        assert!(!Arc::ptr_eq(&first.owner, &url_mode.owner));
    }

    #[test]
    fn owners_no_link_uses_are_dropped_as_they_grow() {
        let mut owners = Owners::default();
        let kept = owners.compact(&route("AAAAAAA", Some("a00000"), [None; 3]));
        for n in 0..3 * Owners::MIN_PRUNE_AT {
            let code = format!("c{n:05}");
            drop(owners.compact(&route("BBBBBBB", Some(&code), [None; 3])));
        }
        assert!(owners.by_key.len() <= Owners::MIN_PRUNE_AT + 1);
        let again = owners.compact(&route("CCCCCCC", Some("a00000"), [None; 3]));
        assert!(
            Arc::ptr_eq(&kept.owner, &again.owner),
            "an owner in use is kept"
        );
    }

    #[test]
    fn the_weight_counts_the_entry_and_its_text() {
        let mut owners = Owners::default();
        let fields = [Some("msg-123456"), Some("list-42"), Some("+15550123456")];
        let cached = owners.compact(&route("AAAAAAA", Some("b00000"), fields));
        let text = "msg-123456list-42+15550123456".len() as u64;
        let fixed = cached.weight() - text;
        // Key, value, the text's allocation and the cache's tables: well above the
        // value alone, and far below what a `LinkRoute` in moka took (~800 bytes).
        assert!(fixed > size_of::<CachedRoute>() as u64 + 32, "{fixed}");
        assert!(cached.weight() < 160, "{}", cached.weight());
        let longer = owners.compact(&route(
            "BBBBBBB",
            Some("b00000"),
            [
                Some("msg-1234567890"),
                Some("list-42"),
                Some("+15550123456"),
            ],
        ));
        assert_eq!(longer.weight(), cached.weight() + 4);
    }
}
