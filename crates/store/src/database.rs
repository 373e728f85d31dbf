//! Connecting to the service's database, and creating it on first start (SPEC §4 `serve`).

use diesel::pg::PgConnection;
use diesel::sql_types::Text;
use diesel::{sql_query, Connection, QueryableByName, RunQueryDsl};

use percent_encoding::percent_decode_str;
use url::Url;

use crate::error::StoreError;

/// Connects to `database_url`, first creating its database through the server's
/// `postgres` database when it does not exist and the role may create it. Returns the
/// connection and whether the database was created.
pub fn connect_creating_database(database_url: &str) -> Result<(PgConnection, bool), StoreError> {
    match PgConnection::establish(database_url) {
        Ok(conn) => Ok((conn, false)),
        Err(error) if error.to_string().contains("does not exist") => {
            let (maintenance_url, name) = split_database_name(database_url)
                .ok_or_else(|| StoreError::Other("DATABASE_URL names no database".to_owned()))?;
            let mut admin = PgConnection::establish(&maintenance_url)?;
            create_database(&mut admin, &name)?;
            Ok((PgConnection::establish(database_url)?, true))
        }
        Err(error) => Err(error.into()),
    }
}

/// Connects to `database_url` without creating anything: `NotFound` when its database does
/// not exist.
pub fn connect_existing_database(database_url: &str) -> Result<PgConnection, StoreError> {
    match PgConnection::establish(database_url) {
        Ok(conn) => Ok(conn),
        Err(error) if error.to_string().contains("does not exist") => Err(StoreError::NotFound),
        Err(error) => Err(error.into()),
    }
}

/// Connects to `database_url`, for work that keeps a session of its own outside the pool
/// (the read replica's lag check); a failure is `Unavailable` with libpq's reason.
pub fn connect(database_url: &str) -> Result<PgConnection, StoreError> {
    Ok(PgConnection::establish(database_url)?)
}

/// Creates database `name` unless it exists (a concurrent creator is not an error).
pub fn create_database(admin: &mut PgConnection, name: &str) -> Result<(), StoreError> {
    #[derive(QueryableByName)]
    struct Found {
        #[diesel(sql_type = Text)]
        #[allow(dead_code)]
        datname: String,
    }
    let existing: Vec<Found> = sql_query("SELECT datname FROM pg_database WHERE datname = $1")
        .bind::<Text, _>(name)
        .load(admin)?;
    if !existing.is_empty() {
        return Ok(());
    }
    match sql_query(format!("CREATE DATABASE {}", quote_identifier(name))).execute(admin) {
        Ok(_) => Ok(()),
        Err(error) if error.to_string().contains("already exists") => Ok(()),
        Err(error) => Err(error.into()),
    }
}

/// Quotes a PostgreSQL identifier.
pub fn quote_identifier(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Splits `postgres://…/name?params` into the same URL pointing at database `postgres`,
/// and `name`.
fn split_database_name(database_url: &str) -> Option<(String, String)> {
    let mut url = Url::parse(database_url).ok()?;
    let name = percent_decode_str(url.path().trim_start_matches('/'))
        .decode_utf8()
        .ok()?
        .into_owned();
    if name.is_empty() {
        return None;
    }
    url.set_path("/postgres");
    Some((url.to_string(), name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_database_name_keeps_credentials_and_parameters() {
        let cases = [
            (
                "postgres://postgres@127.0.0.1:5432/trackly",
                Some(("postgres://postgres@127.0.0.1:5432/postgres", "trackly")),
            ),
            (
                "postgres://u:p@h/db?sslmode=disable",
                Some(("postgres://u:p@h/postgres?sslmode=disable", "db")),
            ),
            (
                "postgres://h/my%20db",
                Some(("postgres://h/postgres", "my db")),
            ),
            ("postgres://h/", None),
            ("postgres://h", None),
            ("not a url", None),
        ];
        for (url, expected) in cases {
            let got = split_database_name(url);
            assert_eq!(
                got.as_ref().map(|(a, b)| (a.as_str(), b.as_str())),
                expected,
                "{url}"
            );
        }
    }

    #[test]
    fn identifiers_are_quoted() {
        assert_eq!(quote_identifier("a\"b"), "\"a\"\"b\"");
    }
}
