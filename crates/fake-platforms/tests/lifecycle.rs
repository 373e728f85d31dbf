//! The fakes from a plain synchronous test: they answer without a runtime of the test's
//! own, record what they receive, and stop when dropped.

use std::io::{Read, Write};
use std::net::TcpStream;

use trackly_fake_platforms::{FakeEverflow, FakeTune, Mode, TuneOffer};

/// One HTTP/1.1 exchange over a plain socket: the whole answer as text.
fn exchange(origin: &str, request_head: &str) -> String {
    let address = origin.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).expect("the fake listens");
    let request = format!("{request_head}\r\nHost: {address}\r\nConnection: close\r\n\r\n");
    stream
        .write_all(request.as_bytes())
        .expect("the request is sent");
    let mut answer = String::new();
    stream
        .read_to_string(&mut answer)
        .expect("the answer is read");
    answer
}

#[test]
fn a_fake_tune_answers_records_and_stops_when_dropped() {
    let tune = FakeTune::start("token");
    tune.set_offers(vec![TuneOffer::new(532, "Bingo")]);
    let origin = tune.base_url().trim_end_matches("/Apiv3/json").to_owned();

    let answer = exchange(
        &origin,
        "GET /Apiv3/json?NetworkToken=token&Target=Offer&Method=findAll&limit=10&page=1 HTTP/1.1",
    );

    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains(r#""name":"Bingo""#), "{answer}");
    let requests = tune.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].key_name.as_deref(), Some("NetworkToken"));
    assert!(requests[0].key_accepted);
    assert!(
        requests[0].query.iter().all(|(_, value)| value != "token"),
        "the key's value is not recorded"
    );

    drop(tune);
    let address = origin.trim_start_matches("http://");
    assert!(
        TcpStream::connect(address).is_err(),
        "a dropped fake no longer listens"
    );
}

#[test]
fn queued_modes_answer_their_count_then_the_fake_behaves() {
    let fake = FakeEverflow::start("key");
    fake.queue(
        Mode::RateLimited {
            retry_after: Some(7),
        },
        1,
    );
    fake.queue(Mode::ServerError(504), 1);
    let head = "GET /v1/networks/offers?page=1&page_size=5 HTTP/1.1\r\nX-EFLOW-API-KEY: key";

    let answers: Vec<String> = (0..3).map(|_| exchange(&fake.base_url(), head)).collect();

    assert!(answers[0].starts_with("HTTP/1.1 429"), "{}", answers[0]);
    let lower = answers[0].to_ascii_lowercase();
    assert!(lower.contains("retry-after: 7"), "{}", answers[0]);
    assert!(lower.contains("x-ratelimit-remaining: 0"), "{}", answers[0]);
    assert!(answers[1].starts_with("HTTP/1.1 504"), "{}", answers[1]);
    assert!(answers[1].contains("<html>"), "{}", answers[1]);
    assert!(answers[2].starts_with("HTTP/1.1 200"), "{}", answers[2]);
    assert!(answers[2].contains(r#""total_count":0"#), "{}", answers[2]);
    assert!(
        fake.requests().iter().all(|request| request.key_accepted),
        "the header is read whatever its case"
    );
}
