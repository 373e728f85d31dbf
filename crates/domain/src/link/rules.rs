//! The field rules of SPEC §9.1 and §9.2, as `validator` functions, each with the code it
//! reports. (The rules between fields are beside `LinkInput`.) Codes shared by two fields (`invalid_phone`) get one internal code per field
//! so the error can name its field; `InputError` maps them back.

use validator::ValidationError;

use super::phone::PhoneNumber;
use crate::input::{failure, Sent, TextOrInteger};
use crate::text::is_storable;

/// True when a text field was sent with something in it (blank strings are not sent).
pub(super) fn given(value: &Sent<TextOrInteger>) -> bool {
    match value {
        Sent::Value(text) => !text.0.trim().is_empty(),
        Sent::WrongType => true,
        Sent::Absent | Sent::Null => false,
    }
}

/// True when a string field (`url`, a phone number) was sent with something in it.
pub(super) fn text_given(value: &Sent<String>) -> bool {
    match value {
        Sent::Value(text) => !text.trim().is_empty(),
        Sent::WrongType => true,
        Sent::Absent | Sent::Null => false,
    }
}

/// `offerId`: a string or a whole number (a code may be all digits).
pub(super) fn offer_id(offer_id: &Sent<TextOrInteger>) -> Result<(), ValidationError> {
    text(offer_id, "invalid_link_offer_id")
}

/// `externalOfferId`: a string or a whole number (its length is a rule of its own).
pub(super) fn external_offer_id(id: &Sent<TextOrInteger>) -> Result<(), ValidationError> {
    text(id, "invalid_external_offer_id")
}

/// `listId`: a string or a whole number (its length is a rule of its own).
pub(super) fn list_id(list_id: &Sent<TextOrInteger>) -> Result<(), ValidationError> {
    text(list_id, "invalid_list_id")
}

/// `messageId`: a string or a whole number (its length is a rule of its own).
pub(super) fn message_id(message_id: &Sent<TextOrInteger>) -> Result<(), ValidationError> {
    text(message_id, "invalid_link_message_id")
}

/// `phoneNumber`: E.164, when sent.
pub(super) fn phone_number(phone: &Sent<String>) -> Result<(), ValidationError> {
    phone_rule(phone, "invalid_phone_number")
}

/// `contactPhone`: E.164, when sent.
pub(super) fn contact_phone(phone: &Sent<String>) -> Result<(), ValidationError> {
    phone_rule(phone, "invalid_contact_phone")
}

fn phone_rule(phone: &Sent<String>, code: &'static str) -> Result<(), ValidationError> {
    match phone {
        Sent::Absent | Sent::Null => Ok(()),
        Sent::Value(text) if text.trim().is_empty() => Ok(()),
        Sent::Value(text) if PhoneNumber::parse(text).is_some() => Ok(()),
        _ => Err(failure(code)),
    }
}

fn text(value: &Sent<TextOrInteger>, code: &'static str) -> Result<(), ValidationError> {
    match value {
        Sent::WrongType => Err(failure(code)),
        Sent::Value(text) if !is_storable(&text.0) => Err(failure(code)),
        _ => Ok(()),
    }
}
