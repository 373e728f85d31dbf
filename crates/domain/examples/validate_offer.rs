//! Validates offers exactly as Trackly's API does, without a server: the way another Rust
//! service (a platform sync worker, an import tool) reuses the domain crate.
//!
//! ```sh
//! echo '{"name": "Summer Promo", "tracking_url": "https://advertiser.com/t?c={click_id}"}
//! {"name": 42, "tracking_url": "ftp://nope"}' | cargo run -p trackly-domain --example validate_offer
//! ```
//!
//! Each line of standard input is one create body (SPEC §3.1); with `--update`, an update
//! body (§3.4). Every line gets one answer: the offer as it would be stored, or the SPEC's
//! error code, field and sentence, the very ones the API would send. Exit code 1 when a
//! line is refused.

use std::io::BufRead;
use std::process::ExitCode;

use trackly_domain::offer::{OfferInput, OfferPatchInput};
use trackly_domain::{InputError, NewOffer, OfferPatch};

fn main() -> ExitCode {
    let update = std::env::args().any(|arg| arg == "--update");
    let mut refused = false;
    for (number, line) in std::io::stdin().lock().lines().enumerate() {
        let Ok(line) = line else {
            eprintln!("validate_offer: standard input is not text");
            return ExitCode::from(2);
        };
        if line.trim().is_empty() {
            continue;
        }
        let answer = if update {
            check_update(&line)
        } else {
            check_create(&line)
        };
        match answer {
            Ok(summary) => println!("{}: ok: {summary}", number + 1),
            Err(error) => {
                refused = true;
                println!(
                    "{}: {} ({}): {error}",
                    number + 1,
                    error.code(),
                    error.field().unwrap_or("body")
                );
            }
        }
    }
    if refused {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// A create body, read leniently as the API reads it, then checked in the SPEC's order.
fn check_create(line: &str) -> Result<String, InputError> {
    let input: OfferInput = serde_json::from_str(line).map_err(|_| InputError::InvalidRecord)?;
    let offer = NewOffer::try_from(input)?;
    Ok(format!(
        "{:?} to {} ({} {}, {}, {} metadata keys)",
        offer.name.as_str(),
        offer.tracking_url.as_str(),
        offer.payout.value(),
        offer.payout_type,
        offer.status,
        offer.metadata.entries().len()
    ))
}

/// An update body: only the fields sent change.
fn check_update(line: &str) -> Result<String, InputError> {
    let input: OfferPatchInput =
        serde_json::from_str(line).map_err(|_| InputError::InvalidRecord)?;
    let patch = OfferPatch::try_from(input)?;
    Ok(format!("{patch:?}"))
}
