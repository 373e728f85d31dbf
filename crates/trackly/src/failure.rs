//! Runtime failures of a command: one clear sentence on stderr and exit code 1. Database
//! URLs are shown without their password.

use std::fmt;

use trackly_app::AppError;

/// A command that could not do its work.
#[derive(Debug)]
pub struct Failure(pub String);

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Failure {
    /// A failure to reach or use the database at `database_url`.
    pub fn database(database_url: &str, error: &AppError) -> Self {
        Self(format!(
            "cannot use the database at {}: {}",
            without_password(database_url),
            reason(error)
        ))
    }

    /// A use case that failed for a reason the command does not handle itself.
    pub fn app(error: AppError) -> Self {
        Self(reason(&error))
    }
}

/// What went wrong, in one line.
fn reason(error: &AppError) -> String {
    match error {
        AppError::Unavailable(reason) | AppError::Internal(reason) => reason.trim().to_owned(),
        other => other.to_string(),
    }
}

/// The URL with its password replaced by `***`.
pub fn without_password(database_url: &str) -> String {
    match url::Url::parse(database_url) {
        Ok(mut url) if url.password().is_some() => {
            let _ = url.set_password(Some("***"));
            url.to_string()
        }
        Ok(url) => url.to_string(),
        Err(_) => "(an unparseable DATABASE_URL)".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_hidden() {
        assert_eq!(
            without_password("postgres://u:secret@h/db"),
            "postgres://u:***@h/db"
        );
        assert_eq!(without_password("postgres://u@h/db"), "postgres://u@h/db");
        assert!(!without_password("not a url with secret").contains("secret"));
    }
}
