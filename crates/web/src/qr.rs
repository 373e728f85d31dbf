//! A tracking link as a QR code, drawn as SVG (shapes only: no script, no inline style).

use maud::{Markup, PreEscaped};
use qrcode::render::svg;
use qrcode::QrCode;

/// The QR code of `link`, or nothing when it is too long for one.
pub(crate) fn code(link: &str) -> Option<Markup> {
    let code = QrCode::new(link.as_bytes()).ok()?;
    let image = code
        .render::<svg::Color<'_>>()
        .min_dimensions(160, 160)
        .quiet_zone(true)
        .build();
    // The renderer writes a complete document; inside HTML only the <svg> element goes.
    let element = image
        .find("<svg")
        .map_or(image.as_str(), |start| &image[start..]);
    Some(PreEscaped(element.to_owned()))
}
