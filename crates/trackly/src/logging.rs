//! The process's log: env_logger's lines on standard error, `RUST_LOG` choosing what is
//! written (default `info`), and every line passed through the phone-number redaction
//! (SPEC §9.4), whichever module wrote it.

use std::io::Write;

use trackly_domain::link::redact_phone_numbers;

/// Starts logging for the whole process.
pub fn init() {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info"))
        .target(env_logger::Target::Stderr)
        .format(|buf, record| {
            let message = record.args().to_string();
            writeln!(
                buf,
                "[{} {:<5} {}] {}",
                buf.timestamp(),
                record.level(),
                record.target(),
                redact_phone_numbers(&message)
            )
        })
        .init();
}
