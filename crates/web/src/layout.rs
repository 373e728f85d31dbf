//! The page shell: head, navigation and sign-out, around each page's content.

use maud::{html, Markup, DOCTYPE};

use crate::assets::{COPY_SCRIPT_URL, STYLESHEET_URL};
use crate::csrf;
use crate::session::SignedIn;

/// The sections of the navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Section {
    /// The account's totals.
    Overview,
    /// Offers, their forms and pages.
    Offers,
    /// Links by message.
    Links,
    /// TUNE and Everflow connections.
    Integrations,
}

/// Each section's address and name, in navigation order.
const SECTIONS: [(Section, &str, &str); 4] = [
    (Section::Overview, "/app", "Overview"),
    (Section::Offers, "/app/offers", "Offers"),
    (Section::Links, "/app/links", "Links"),
    (Section::Integrations, "/app/integrations", "Integrations"),
];

/// A signed-in page titled `title`, in `section`.
pub(crate) fn page(title: &str, section: Section, user: &SignedIn, content: Markup) -> Markup {
    document(
        title,
        html! {
            header.top {
                a.brand href="/app" { "Trackly" }
                nav aria-label="Main" {
                    @for (each, href, name) in SECTIONS {
                        @if each == section {
                            a href=(href) aria-current="page" { (name) }
                        } @else {
                            a href=(href) { (name) }
                        }
                    }
                }
                form.sign-out method="post" action="/app/sign-out" {
                    input type="hidden" name=(csrf::FIELD) value=(user.csrf_token);
                    button.link type="submit" { "Sign out" }
                }
            }
            main #main { (content) }
        },
    )
}

/// A page outside the signed-in shell (sign-in, errors).
pub(crate) fn bare_page(title: &str, content: Markup) -> Markup {
    document(
        title,
        html! {
            header.top { a.brand href="/app" { "Trackly" } }
            main #main .narrow { (content) }
        },
    )
}

/// The HTML document around `body`.
fn document(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · Trackly" }
                link rel="stylesheet" href=(*STYLESHEET_URL);
                script src=(*COPY_SCRIPT_URL) defer {}
            }
            body {
                a.skip href="#main" { "Skip to content" }
                (body)
            }
        }
    }
}
