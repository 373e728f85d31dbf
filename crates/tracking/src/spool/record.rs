//! One click as a spool record. A record is a frame: the payload's length (4 bytes,
//! little-endian), its CRC-32 (4 bytes) and the payload, a format version byte followed
//! by the click in postcard encoding. The CRC tells a whole record from one torn by a
//! crash in the middle of a write.
//!
//! Version 2 adds the link a click came through (SPEC §9.4) and lets a click have no
//! offer. Version 1 records, left in a spool by the version before, are still read, so an
//! upgrade loses no click.

use chrono::DateTime;
use serde::{Deserialize, Serialize};
use trackly_domain::click::{BotReason, Click};
use trackly_domain::link::{ClickLink, LinkId, PhoneNumber};
use trackly_domain::ObjectId;

/// Bytes before the payload: length and CRC-32.
pub(crate) const HEADER_BYTES: usize = 8;
/// The largest payload a click can need (its text fields are bounded, SPEC §5.2), with
/// room to spare; a longer length in a header means the header itself is damaged.
const MAX_PAYLOAD_BYTES: usize = 64 * 1024;
/// The payload format written by this version.
const FORMAT_VERSION: u8 = 2;
/// The format before links, still read.
const OFFER_ONLY_VERSION: u8 = 1;

/// The stored fields of a click, borrowed while encoding and decoding (version 2).
#[derive(Serialize, Deserialize)]
struct ClickRecord<'a> {
    id: &'a str,
    account_id: &'a str,
    #[serde(borrow)]
    offer_id: Option<&'a str>,
    created_at_micros: i64,
    #[serde(borrow)]
    ip: Option<&'a str>,
    #[serde(borrow)]
    user_agent: Option<&'a str>,
    #[serde(borrow)]
    referer: Option<&'a str>,
    #[serde(borrow)]
    subs: [Option<&'a str>; 5],
    #[serde(borrow)]
    bot_reason: Option<&'a str>,
    #[serde(borrow)]
    link_id: Option<&'a str>,
    #[serde(borrow)]
    message_id: Option<&'a str>,
    #[serde(borrow)]
    list_id: Option<&'a str>,
    #[serde(borrow)]
    contact_phone: Option<&'a str>,
}

/// A version 1 record: a click of an offer, before links.
#[derive(Deserialize)]
#[cfg_attr(test, derive(Serialize))]
struct OfferClickRecord<'a> {
    id: &'a str,
    account_id: &'a str,
    offer_id: &'a str,
    created_at_micros: i64,
    #[serde(borrow)]
    ip: Option<&'a str>,
    #[serde(borrow)]
    user_agent: Option<&'a str>,
    #[serde(borrow)]
    referer: Option<&'a str>,
    #[serde(borrow)]
    subs: [Option<&'a str>; 5],
    #[serde(borrow)]
    bot_reason: Option<&'a str>,
}

impl<'a> From<OfferClickRecord<'a>> for ClickRecord<'a> {
    fn from(old: OfferClickRecord<'a>) -> Self {
        Self {
            id: old.id,
            account_id: old.account_id,
            offer_id: Some(old.offer_id),
            created_at_micros: old.created_at_micros,
            ip: old.ip,
            user_agent: old.user_agent,
            referer: old.referer,
            subs: old.subs,
            bot_reason: old.bot_reason,
            link_id: None,
            message_id: None,
            list_id: None,
            contact_phone: None,
        }
    }
}

/// Appends `click`'s frame to `buffer`.
pub(crate) fn encode(click: &Click, buffer: &mut Vec<u8>) {
    let start = buffer.len();
    buffer.extend_from_slice(&[0; HEADER_BYTES]);
    buffer.push(FORMAT_VERSION);
    let link = click.link.as_ref();
    let record = ClickRecord {
        id: click.id.as_str(),
        account_id: click.account_id.as_str(),
        offer_id: click.offer_id.as_ref().map(ObjectId::as_str),
        created_at_micros: click.created_at.timestamp_micros(),
        ip: click.ip.as_deref(),
        user_agent: click.user_agent.as_deref(),
        referer: click.referer.as_deref(),
        subs: click.subs.each_ref().map(Option::as_deref),
        bot_reason: click.bot_reason.map(|reason| reason.as_str()),
        link_id: link.map(|link| link.link_id.as_str()),
        message_id: link.and_then(|link| link.message_id.as_deref()),
        list_id: link.and_then(|link| link.list_id.as_deref()),
        contact_phone: link.and_then(|link| link.contact_phone.as_ref().map(PhoneNumber::as_str)),
    };
    // Serializing into a Vec cannot fail: every field is a plain string or number.
    let encoded = postcard::to_extend(&record, std::mem::take(buffer))
        .unwrap_or_else(|error| unreachable!("postcard cannot encode a click: {error}"));
    *buffer = encoded;
    let payload = &buffer[start + HEADER_BYTES..];
    let length = u32::try_from(payload.len()).unwrap_or(u32::MAX);
    let crc = crc32fast::hash(payload);
    buffer[start..start + 4].copy_from_slice(&length.to_le_bytes());
    buffer[start + 4..start + HEADER_BYTES].copy_from_slice(&crc.to_le_bytes());
}

/// What the bytes at the start of a buffer hold.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Frame<'a> {
    /// A whole record: its payload and the frame's length in bytes.
    Whole {
        /// Version byte and encoded click.
        payload: &'a [u8],
        /// Header and payload.
        frame_bytes: usize,
    },
    /// The buffer ends inside the frame.
    Incomplete,
    /// The header or the payload is damaged (a bad length or a CRC mismatch).
    Damaged,
}

/// Reads the frame at the start of `bytes`.
pub(crate) fn frame(bytes: &[u8]) -> Frame<'_> {
    let Some(header) = bytes.get(..HEADER_BYTES) else {
        return Frame::Incomplete;
    };
    let mut length = [0u8; 4];
    length.copy_from_slice(&header[..4]);
    let mut crc = [0u8; 4];
    crc.copy_from_slice(&header[4..]);
    let length = u32::from_le_bytes(length) as usize;
    if length == 0 || length > MAX_PAYLOAD_BYTES {
        return Frame::Damaged;
    }
    let Some(payload) = bytes.get(HEADER_BYTES..HEADER_BYTES + length) else {
        return Frame::Incomplete;
    };
    if crc32fast::hash(payload) != u32::from_le_bytes(crc) {
        return Frame::Damaged;
    }
    Frame::Whole {
        payload,
        frame_bytes: HEADER_BYTES + length,
    }
}

/// Why a whole frame's payload is not a click.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct UnreadableRecord(pub String);

/// The click in a whole frame's payload.
pub(crate) fn decode(payload: &[u8]) -> Result<Click, UnreadableRecord> {
    let (&version, encoded) = payload
        .split_first()
        .ok_or_else(|| UnreadableRecord("an empty payload".to_owned()))?;
    let undecodable = |error: postcard::Error| UnreadableRecord(format!("undecodable: {error}"));
    let record: ClickRecord<'_> = match version {
        FORMAT_VERSION => postcard::from_bytes(encoded).map_err(undecodable)?,
        OFFER_ONLY_VERSION => postcard::from_bytes::<OfferClickRecord<'_>>(encoded)
            .map_err(undecodable)?
            .into(),
        _ => return Err(UnreadableRecord(format!("format version {version}"))),
    };
    let id = |text: &str, what: &str| {
        ObjectId::parse(text).ok_or_else(|| UnreadableRecord(format!("a malformed {what}")))
    };
    let bot_reason = match record.bot_reason {
        Some(text) => Some(
            BotReason::parse(text)
                .ok_or_else(|| UnreadableRecord(format!("bot reason {text:?}")))?,
        ),
        None => None,
    };
    let link = match record.link_id {
        Some(link_id) => Some(ClickLink {
            link_id: LinkId::parse(link_id)
                .ok_or_else(|| UnreadableRecord("a malformed link id".to_owned()))?,
            message_id: record.message_id.map(str::to_owned),
            list_id: record.list_id.map(str::to_owned),
            contact_phone: record
                .contact_phone
                .map(|phone| {
                    PhoneNumber::parse(phone)
                        .ok_or_else(|| UnreadableRecord("a malformed contact phone".to_owned()))
                })
                .transpose()?,
        }),
        None => None,
    };
    Ok(Click {
        id: id(record.id, "click id")?,
        account_id: id(record.account_id, "account id")?,
        offer_id: record
            .offer_id
            .map(|offer| id(offer, "offer id"))
            .transpose()?,
        link,
        first_click: false,
        created_at: DateTime::from_timestamp_micros(record.created_at_micros)
            .ok_or_else(|| UnreadableRecord("a time out of range".to_owned()))?,
        ip: record.ip.map(str::to_owned),
        user_agent: record.user_agent.map(str::to_owned),
        referer: record.referer.map(str::to_owned),
        subs: record.subs.map(|sub| sub.map(str::to_owned)),
        bot_reason,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn sample_click() -> Click {
        Click {
            id: ObjectId::parse("664f1a2b3c4d5e6f7a8b9c0d").expect("id"),
            account_id: ObjectId::parse("664f1a2b000000000000000a").expect("id"),
            offer_id: Some(ObjectId::parse("664f1a2b000000000000000b").expect("id")),
            link: None,
            first_click: false,
            created_at: DateTime::from_timestamp_micros(1_716_459_051_123_456).expect("time"),
            ip: Some("203.0.113.7".to_owned()),
            user_agent: Some("Mozilla/5.0 (iPhone) é".to_owned()),
            referer: None,
            subs: [
                Some("spring".to_owned()),
                None,
                None,
                Some(String::new()),
                None,
            ],
            bot_reason: Some(BotReason::HeadRequest),
        }
    }

    #[test]
    fn a_click_survives_encoding_exactly() {
        let click = sample_click();
        let mut buffer = Vec::new();
        encode(&click, &mut buffer);
        let Frame::Whole {
            payload,
            frame_bytes,
        } = frame(&buffer)
        else {
            panic!("a whole frame");
        };
        assert_eq!(frame_bytes, buffer.len());
        assert_eq!(decode(payload), Ok(click));
    }

    #[test]
    fn a_link_click_without_an_offer_survives_encoding_exactly() {
        let click = Click {
            offer_id: None,
            link: Some(ClickLink {
                link_id: LinkId::parse("Ab3kX9q").expect("link id"),
                message_id: Some("m-42".to_owned()),
                list_id: None,
                contact_phone: PhoneNumber::parse("+14155550123"),
            }),
            ..sample_click()
        };
        let mut buffer = Vec::new();
        encode(&click, &mut buffer);
        let Frame::Whole { payload, .. } = frame(&buffer) else {
            panic!("a whole frame");
        };
        assert_eq!(decode(payload), Ok(click));
    }

    #[test]
    fn a_record_of_the_version_before_links_is_still_read() {
        let click = sample_click();
        let old = OfferClickRecord {
            id: click.id.as_str(),
            account_id: click.account_id.as_str(),
            offer_id: "664f1a2b000000000000000b",
            created_at_micros: click.created_at.timestamp_micros(),
            ip: click.ip.as_deref(),
            user_agent: click.user_agent.as_deref(),
            referer: click.referer.as_deref(),
            subs: click.subs.each_ref().map(Option::as_deref),
            bot_reason: Some("head_request"),
        };
        let mut payload = vec![OFFER_ONLY_VERSION];
        payload.extend(postcard::to_allocvec(&old).expect("encodes"));
        assert_eq!(decode(&payload), Ok(click));
    }

    #[test]
    fn torn_and_damaged_frames_are_told_apart() {
        let mut buffer = Vec::new();
        encode(&sample_click(), &mut buffer);
        let whole = buffer.len();
        let mut flipped = buffer.clone();
        flipped[whole - 1] ^= 0xff;
        let mut huge_length = buffer.clone();
        huge_length[..4].copy_from_slice(&u32::MAX.to_le_bytes());
        let cases: [(&[u8], Frame<'_>, &str); 5] = [
            (&buffer[..3], Frame::Incomplete, "inside the header"),
            (&buffer[..whole - 1], Frame::Incomplete, "one byte short"),
            (&flipped, Frame::Damaged, "a flipped payload byte"),
            (&huge_length, Frame::Damaged, "an impossible length"),
            (
                &[0; 8],
                Frame::Damaged,
                "zeros, as a preallocated tail reads",
            ),
        ];
        for (bytes, expected, description) in cases {
            assert_eq!(frame(bytes), expected, "{description}");
        }
    }

    #[test]
    fn an_unknown_format_version_is_unreadable_not_misread() {
        let mut buffer = Vec::new();
        encode(&sample_click(), &mut buffer);
        let mut payload = buffer[HEADER_BYTES..].to_vec();
        payload[0] = 9;
        assert_eq!(
            decode(&payload),
            Err(UnreadableRecord("format version 9".to_owned()))
        );
    }
}
