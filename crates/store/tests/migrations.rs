//! Every migration applies up, down and up again on an empty database.

use diesel::sql_types::Text;
use diesel::{sql_query, QueryableByName, RunQueryDsl};
use trackly_store::migrations::{revert_all_migrations, run_pending_migrations, schema_is_current};
use trackly_test_db::TestDb;

#[derive(QueryableByName)]
struct Table {
    #[diesel(sql_type = Text)]
    tablename: String,
}

fn tables(conn: &mut diesel::PgConnection) -> Vec<String> {
    let mut names: Vec<String> =
        sql_query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            .load::<Table>(conn)
            .expect("list tables")
            .into_iter()
            .map(|table| table.tablename)
            .filter(|name| name != "__diesel_schema_migrations")
            .collect();
    names.sort();
    names
}

#[test]
fn migrations_apply_up_down_and_up_again() {
    let db = TestDb::empty();
    let mut conn = db.connect();
    assert!(
        !schema_is_current(&mut conn).expect("check"),
        "an empty database is behind"
    );

    let applied = run_pending_migrations(&mut conn).expect("up");
    assert!(applied > 0);
    assert!(schema_is_current(&mut conn).expect("check"));
    let created = tables(&mut conn);
    for table in [
        "accounts",
        "api_keys",
        "clicks",
        "clicks_default",
        "idempotency_keys",
        "offers",
    ] {
        assert!(
            created.iter().any(|name| name == table),
            "{table} exists: {created:?}"
        );
    }
    let monthly = created
        .iter()
        .filter(|name| name.starts_with("clicks_2"))
        .count();
    assert_eq!(
        monthly, 4,
        "last month, this month and two ahead: {created:?}"
    );

    assert_eq!(revert_all_migrations(&mut conn).expect("down"), applied);
    assert!(tables(&mut conn).is_empty(), "down removes every table");

    assert_eq!(
        run_pending_migrations(&mut conn).expect("up again"),
        applied
    );
    assert_eq!(tables(&mut conn), created);
    assert_eq!(
        run_pending_migrations(&mut conn).expect("nothing pending"),
        0
    );
}
