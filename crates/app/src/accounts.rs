//! Accounts (SPEC §4): create, list, rotate the postback secret, and the bootstrap of the
//! first account.

use trackly_domain::account::{AccountSummary, CreatedAccount};
use trackly_domain::ObjectId;
use trackly_store::accounts::{
    bootstrap as bootstrap_account, create_account, list_accounts, rotate_postback_secret,
};

use crate::{App, AppError};

/// Creates an account named `name` with one API key and a postback secret.
pub async fn create(app: &App, name: &str) -> Result<CreatedAccount, AppError> {
    let name = name.to_owned();
    let now = app.now();
    app.run(move |conn| Ok(create_account(conn, &name, None, now)?))
        .await
}

/// Every account, oldest first, with its key count.
pub async fn list(app: &App) -> Result<Vec<AccountSummary>, AppError> {
    app.run(|conn| Ok(list_accounts(conn)?)).await
}

/// Gives the account a new postback secret and returns it (shown once); the old one
/// stops working.
pub async fn rotate_secret(app: &App, account: &ObjectId) -> Result<String, AppError> {
    let account = account.clone();
    app.run(move |conn| Ok(rotate_postback_secret(conn, &account)?))
        .await
}

/// When no account exists, creates account `default` with `api_key` (or a new key) and
/// returns it; otherwise `None`. Safe when several nodes start at once.
pub async fn bootstrap(
    app: &App,
    api_key: Option<&str>,
) -> Result<Option<CreatedAccount>, AppError> {
    let api_key = api_key.map(str::to_owned);
    let now = app.now();
    app.run(move |conn| Ok(bootstrap_account(conn, api_key.as_deref(), now)?))
        .await
}
