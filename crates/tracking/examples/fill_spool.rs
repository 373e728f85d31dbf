//! Pre-fills a data directory's click spool, for the benchmark's "writer alone" row:
//! `trackly serve` started on that directory replays the clicks with nothing else to do,
//! so the time it takes is the writer's own speed.
//!
//! ```sh
//! cargo run --release -p trackly-tracking --example fill_spool -- \
//!     <data dir> <account id> <offer id> <clicks> [<distinct visitors>]
//! ```
//!
//! The clicks are appended through the real sink; the pipeline's database is an address
//! nobody listens on, so none of them is stored before the spool is closed.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use chrono::Utc;
use trackly_app::App;
use trackly_domain::click::{BotReason, Click};
use trackly_domain::ObjectId;
use trackly_tracking::{ClickPipeline, SpoolConfig, SEGMENT_BYTES};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(dir), Some(account), Some(offer), Some(count)) = (
        args.first().map(PathBuf::from),
        args.get(1).and_then(|text| ObjectId::parse(text)),
        args.get(2).and_then(|text| ObjectId::parse(text)),
        args.get(3).and_then(|text| text.parse::<u32>().ok()),
    ) else {
        eprintln!(
            "usage: fill_spool <data dir> <account id> <offer id> <clicks> [<distinct visitors>]"
        );
        return ExitCode::from(2);
    };
    let visitors = args
        .get(4)
        .and_then(|text| text.parse::<u32>().ok())
        .unwrap_or(count)
        .max(1);
    let nowhere = App::connect("postgres://postgres@127.0.0.1:1/nowhere", 1);
    let config = SpoolConfig {
        data_dir: dir,
        max_bytes: u64::MAX,
        fsync_interval: Duration::from_secs(1),
        segment_bytes: SEGMENT_BYTES,
    };
    let (pipeline, sink) = match ClickPipeline::start(nowhere, &config) {
        Ok(started) => started,
        Err(error) => {
            eprintln!("fill_spool: {error}");
            return ExitCode::FAILURE;
        }
    };
    let now = Utc::now();
    let seconds = u32::try_from(now.timestamp()).unwrap_or(u32::MAX);
    for n in 0..count {
        let mut random = [0u8; 8];
        random[4..].copy_from_slice(&n.to_be_bytes());
        let visitor = n % visitors;
        let bot = n % 10 == 0;
        let click = Click {
            id: ObjectId::new(seconds, random),
            account_id: account.clone(),
            offer_id: Some(offer.clone()),
            link: None,
            first_click: false,
            created_at: now,
            ip: Some(format!(
                "10.{}.{}.{}",
                visitor >> 16,
                (visitor >> 8) & 255,
                visitor & 255
            )),
            user_agent: Some(if bot {
                "curl/8.5.0".to_owned()
            } else {
                "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 \
                 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
                    .to_owned()
            }),
            referer: None,
            subs: [Some("bench".to_owned()), None, None, None, None],
            bot_reason: bot.then_some(BotReason::BotUserAgent),
        };
        if !sink.record(&click) {
            eprintln!("fill_spool: click {n} could not be spooled");
            return ExitCode::FAILURE;
        }
    }
    let bytes = pipeline.spool_bytes();
    pipeline.shutdown(Duration::ZERO);
    println!("{count} clicks, {bytes} bytes");
    ExitCode::SUCCESS
}
