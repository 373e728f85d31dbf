//! Dashboard tests: the real server (API and dashboard) on real PostgreSQL, one database
//! per test; `browser` drives headless Chromium through WebDriver.

mod helpers;

mod browser;
mod forms;
mod pages;
mod security;
