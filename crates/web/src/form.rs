//! Form fields with their labels and, after a refused submit, the API's own error
//! message beside the field it is about.

use maud::{html, Markup};
use trackly_domain::InputError;

use crate::csrf;

/// The errors of a refused form, by field.
#[derive(Debug, Default)]
pub(crate) struct FieldErrors(Vec<(Option<&'static str>, String)>);

impl FieldErrors {
    /// The errors `errors`, each under its field.
    pub(crate) fn from_input(errors: &[InputError]) -> Self {
        Self(
            errors
                .iter()
                .map(|error| (error.field(), error.to_string()))
                .collect(),
        )
    }

    /// One error that is about no single field.
    pub(crate) fn general(message: String) -> Self {
        Self(vec![(None, message)])
    }

    /// True when nothing was refused.
    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The first error about `field`.
    fn of(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(name, _)| *name == Some(field))
            .map(|(_, message)| message.as_str())
    }

    /// The errors no field of `fields` shows.
    fn others<'a>(&'a self, fields: &'a [&str]) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(|(name, _)| name.is_none_or(|name| !fields.contains(&name)))
            .map(|(_, message)| message.as_str())
    }
}

/// The summary at the top of a refused form, for errors no field shows.
pub(crate) fn summary(errors: &FieldErrors, fields: &[&str]) -> Markup {
    let others: Vec<&str> = errors.others(fields).collect();
    html! {
        @if !errors.is_empty() {
            div.alert role="alert" {
                p { "Nothing was saved. Correct the fields marked below." }
                @if !others.is_empty() {
                    ul { @for message in others { li { (message) } } }
                }
            }
        }
    }
}

/// The hidden anti-forgery field.
pub(crate) fn csrf_field(token: &str) -> Markup {
    html! { input type="hidden" name=(csrf::FIELD) value=(token); }
}

/// A labelled text input (`kind`: `text`, `url`…).
pub(crate) fn input(
    name: &'static str,
    label: &str,
    kind: &str,
    value: &str,
    errors: &FieldErrors,
    hint: Option<&str>,
) -> Markup {
    let error = errors.of(name);
    html! {
        div.field.invalid[error.is_some()] {
            label for=(name) { (label) }
            @if let Some(hint) = hint { p.hint id=(format!("{name}-hint")) { (hint) } }
            input id=(name) name=(name) type=(kind) value=(value)
                aria-invalid=[error.map(|_| "true")]
                aria-describedby=[error.map(|_| format!("{name}-error"))];
            @if let Some(error) = error { p.error id=(format!("{name}-error")) { (error) } }
        }
    }
}

/// A labelled choice among `options` (value, label).
pub(crate) fn select(
    name: &'static str,
    label: &str,
    value: &str,
    options: &[(&str, &str)],
    errors: &FieldErrors,
) -> Markup {
    let error = errors.of(name);
    html! {
        div.field.invalid[error.is_some()] {
            label for=(name) { (label) }
            select id=(name) name=(name)
                aria-invalid=[error.map(|_| "true")]
                aria-describedby=[error.map(|_| format!("{name}-error"))] {
                @for (option, text) in options {
                    option value=(option) selected[*option == value] { (text) }
                }
            }
            @if let Some(error) = error { p.error id=(format!("{name}-error")) { (error) } }
        }
    }
}

/// A labelled checkbox.
pub(crate) fn checkbox(
    name: &'static str,
    label: &str,
    checked: bool,
    errors: &FieldErrors,
) -> Markup {
    let error = errors.of(name);
    html! {
        div.field.check.invalid[error.is_some()] {
            input id=(name) name=(name) type="checkbox" value="true" checked[checked];
            label for=(name) { (label) }
            @if let Some(error) = error { p.error id=(format!("{name}-error")) { (error) } }
        }
    }
}
