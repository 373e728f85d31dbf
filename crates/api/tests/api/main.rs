//! API tests: the real HTTP stack against real PostgreSQL, one database per test.

mod helpers;
mod proxy;

mod auth;
mod clicks_list;
mod conventions;
mod faults;
mod idempotency;
mod integrations;
mod links_create;
mod links_follow;
mod offers_archive;
mod offers_create;
mod offers_get;
mod offers_list;
mod offers_update;
mod openapi;
mod outage;
mod postbacks;
mod redirect;
mod revenue;
mod security;
mod stats;
