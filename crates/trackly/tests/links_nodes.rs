//! SPEC §9.4 with two `trackly serve` nodes on one database: people clicking one message's
//! link on both nodes at once make exactly one first click, decided by PostgreSQL.

mod common;

use std::thread;

use common::{quiet_node, signal, wait_for_exit, Server};
use diesel::prelude::*;
use serde_json::{json, Value};
use trackly_store::schema::clicks;
use trackly_test_db::TestDb;

/// The bootstrap key (the first node creates the account; the second finds it).
const KEY: &str = "trk_nodesnodesnodesnodesnodesnodes12";
/// Clicks each client makes.
const CLICKS: usize = 15;
/// Clients per node.
const CLIENTS: usize = 3;

/// A node on `db` with its own data directory, once it answers.
fn node(db: &TestDb, data_dir: &std::path::Path) -> (Server, String) {
    quiet_node(db.url(), data_dir, KEY)
}

#[test]
fn people_clicking_one_message_on_two_nodes_make_exactly_one_first_click() {
    let db = TestDb::reserved();
    let dirs = [
        tempfile::tempdir().expect("dir"),
        tempfile::tempdir().expect("dir"),
    ];
    let (mut first, first_base) = node(&db, dirs[0].path());
    let (mut second, second_base) = node(&db, dirs[1].path());
    let client = reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let link: Value = client
        .post(format!("{first_base}/api/v2/links/shorten"))
        .header("X-Api-Key", KEY)
        .json(&json!({"url": "https://shop.example/sale", "listId": "l", "messageId": "m-1", "contactPhone": "+14155550001"}))
        .send()
        .expect("shorten")
        .json()
        .expect("json");
    let link_id = link["linkId"].as_str().expect("linkId").to_owned();

    let clients: Vec<_> = [&first_base, &second_base]
        .into_iter()
        .flat_map(|base| {
            (0..CLIENTS)
                .map(|_| format!("{base}/{link_id}"))
                .collect::<Vec<_>>()
        })
        .map(|url| {
            let client = client.clone();
            thread::spawn(move || {
                for _ in 0..CLICKS {
                    let response = client
                        .get(&url)
                        .header(
                            "User-Agent",
                            "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X)",
                        )
                        .send()
                        .expect("follow");
                    assert_eq!(response.status(), 302);
                }
            })
        })
        .collect();
    for client in clients {
        client.join().expect("a client");
    }
    // A graceful stop stores every spooled click.
    for server in [&mut first, &mut second] {
        signal(&server.0, "-TERM");
        assert_eq!(wait_for_exit(server).code(), Some(0));
    }

    let mut conn = db.connect();
    let of_link = || clicks::table.filter(clicks::link_id.eq(link_id.clone()));
    let all: i64 = of_link().count().get_result(&mut conn).expect("count");
    let first_clicks: i64 = of_link()
        .filter(clicks::first_click.eq(true))
        .count()
        .get_result(&mut conn)
        .expect("count");
    assert_eq!(all, (2 * CLIENTS * CLICKS) as i64, "every click stored");
    assert_eq!(first_clicks, 1, "one first click across both nodes");
}
