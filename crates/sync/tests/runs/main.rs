//! The sync use cases (SPEC §10) against real PostgreSQL and the local fake platforms:
//! connecting with the key checked and sealed, offer and conversion runs with their
//! reports, failures that write nothing, the advisory lock, and a key that never leaks.
//! Each test owns a database.

mod connect;
mod conversions;
mod failures;
mod helpers;
mod lock;
mod logs;
mod offers;
