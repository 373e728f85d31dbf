//! SPEC §14, "Citus-ready by construction", read from `pg_catalog` after every migration:
//! each table holding an account's rows can be distributed by `account_id` — the column
//! is in its primary key and in every unique index — and no foreign key between two such
//! tables can point at another account's row. The few tables that cannot follow that
//! rule say why in the lists below; a new table must join one of the groups, or this
//! test names it.

use std::collections::BTreeMap;

use diesel::sql_types::{Array, Bool, Text};
use diesel::{sql_query, PgConnection, QueryableByName, RunQueryDsl};
use trackly_test_db::TestDb;

/// Small tables every node holds whole (Citus reference tables): they may keep unique
/// values of their own.
const REFERENCE_TABLES: &[(&str, &str)] = &[(
    "accounts",
    "one row per account, read by every node; its unique postback-secret digest stays",
)];

/// Directories: a service-wide unique value that arrives without an account, mapped to
/// its account. Each is distributed by that value (its whole primary key), has no other
/// unique index, and points only at reference tables.
const DIRECTORIES: &[(&str, &str)] = &[
    ("offer_codes", "code"),
    ("link_ids", "id"),
    ("api_key_digests", "key_sha256"),
];

/// Tables that hold no account's data: the migrations' own, and `offer_changes`, the
/// unlogged feed of offer changes every node reads whole to keep its cache current. That
/// one names accounts, but is never joined to their rows; with Citus it stays a table of
/// the coordinator, where the offers' writes commit.
const SERVICE_TABLES: &[&str] = &["__diesel_schema_migrations", "offer_changes"];

/// A table with its columns.
#[derive(QueryableByName)]
struct TableRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Bool)]
    has_account_id: bool,
}

/// A primary key or unique index with its key columns (an expression index lists none;
/// `INCLUDE` columns are carried, not part of what is unique).
#[derive(QueryableByName)]
struct UniqueIndex {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    index_name: String,
    #[diesel(sql_type = Bool)]
    is_primary: bool,
    #[diesel(sql_type = Array<Text>)]
    columns: Vec<String>,
}

/// A foreign key, its columns paired with the columns it references.
#[derive(QueryableByName)]
struct ForeignKey {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    constraint_name: String,
    #[diesel(sql_type = Text)]
    referenced_table: String,
    #[diesel(sql_type = Array<Text>)]
    columns: Vec<String>,
    #[diesel(sql_type = Array<Text>)]
    referenced_columns: Vec<String>,
}

/// The schema's tables, partitions left out (they follow their parent).
fn tables(conn: &mut PgConnection) -> Vec<TableRow> {
    sql_query(
        "SELECT c.relname::text AS table_name, \
                EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = c.oid \
                          AND a.attname = 'account_id' AND NOT a.attisdropped) AS has_account_id \
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
          WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition \
          ORDER BY 1",
    )
    .load(conn)
    .expect("read pg_class")
}

fn unique_indexes(conn: &mut PgConnection) -> Vec<UniqueIndex> {
    sql_query(
        "SELECT t.relname::text AS table_name, i.relname::text AS index_name, \
                x.indisprimary AS is_primary, \
                ARRAY(SELECT a.attname::text FROM unnest(x.indkey) WITH ORDINALITY AS k(attnum, n) \
                        JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum \
                       WHERE k.n <= x.indnkeyatts ORDER BY k.n) AS columns \
           FROM pg_index x \
           JOIN pg_class t ON t.oid = x.indrelid \
           JOIN pg_class i ON i.oid = x.indexrelid \
           JOIN pg_namespace n ON n.oid = t.relnamespace \
          WHERE n.nspname = 'public' AND x.indisunique AND NOT t.relispartition \
          ORDER BY 1, 2",
    )
    .load(conn)
    .expect("read pg_index")
}

fn foreign_keys(conn: &mut PgConnection) -> Vec<ForeignKey> {
    sql_query(
        "SELECT t.relname::text AS table_name, c.conname::text AS constraint_name, \
                r.relname::text AS referenced_table, \
                ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, n) \
                        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum \
                       ORDER BY k.n) AS columns, \
                ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY AS k(attnum, n) \
                        JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum \
                       ORDER BY k.n) AS referenced_columns \
           FROM pg_constraint c \
           JOIN pg_class t ON t.oid = c.conrelid \
           JOIN pg_class r ON r.oid = c.confrelid \
           JOIN pg_namespace n ON n.oid = t.relnamespace \
          WHERE n.nspname = 'public' AND c.contype = 'f' AND NOT t.relispartition \
          ORDER BY 1, 2",
    )
    .load(conn)
    .expect("read pg_constraint")
}

/// How a table may be distributed, from the lists above and its columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    Reference,
    Directory(&'static str),
    Service,
    ByAccount,
}

fn group_of(table: &TableRow) -> Option<Group> {
    let name = table.table_name.as_str();
    if REFERENCE_TABLES
        .iter()
        .any(|(reference, _)| *reference == name)
    {
        Some(Group::Reference)
    } else if let Some((_, key)) = DIRECTORIES.iter().find(|(directory, _)| *directory == name) {
        Some(Group::Directory(key))
    } else if SERVICE_TABLES.contains(&name) {
        Some(Group::Service)
    } else if table.has_account_id {
        Some(Group::ByAccount)
    } else {
        None
    }
}

/// Every way the schema breaks the rule, one sentence each, naming the table.
fn broken_rules(conn: &mut PgConnection) -> Vec<String> {
    let tables = tables(conn);
    let mut broken = Vec::new();
    let mut groups = BTreeMap::new();
    for table in &tables {
        match group_of(table) {
            Some(group) => {
                groups.insert(table.table_name.clone(), group);
            }
            None => broken.push(format!(
                "table {} has no account_id column and is in no list of this test",
                table.table_name
            )),
        }
    }
    for index in unique_indexes(conn) {
        let kind = if index.is_primary {
            "primary key"
        } else {
            "unique index"
        };
        match groups.get(&index.table_name) {
            Some(Group::ByAccount) if !index.columns.iter().any(|c| c == "account_id") => {
                broken.push(format!(
                    "table {}: {kind} {} ({}) lacks account_id",
                    index.table_name,
                    index.index_name,
                    index.columns.join(", ")
                ));
            }
            Some(Group::Directory(key)) if !index.is_primary || index.columns != [*key] => {
                broken.push(format!(
                    "directory {}: {kind} {} ({}) is not its primary key ({key}) alone",
                    index.table_name,
                    index.index_name,
                    index.columns.join(", ")
                ));
            }
            _ => {}
        }
    }
    for table in &tables {
        if groups.get(&table.table_name) == Some(&Group::ByAccount)
            && !has_primary_key(conn, &table.table_name)
        {
            broken.push(format!("table {} has no primary key", table.table_name));
        }
    }
    for key in foreign_keys(conn) {
        let from = groups.get(&key.table_name).copied();
        let to = groups.get(&key.referenced_table).copied();
        let ok = match (from, to) {
            (_, Some(Group::Reference)) => true,
            (Some(Group::ByAccount), Some(Group::ByAccount)) => key
                .columns
                .iter()
                .zip(&key.referenced_columns)
                .any(|(from, to)| from == "account_id" && to == "account_id"),
            _ => false,
        };
        if !ok {
            broken.push(format!(
                "table {}: foreign key {} ({}) → {} ({}) can cross accounts",
                key.table_name,
                key.constraint_name,
                key.columns.join(", "),
                key.referenced_table,
                key.referenced_columns.join(", ")
            ));
        }
    }
    broken
}

fn has_primary_key(conn: &mut PgConnection, table: &str) -> bool {
    #[derive(QueryableByName)]
    struct Found {
        #[diesel(sql_type = Bool)]
        found: bool,
    }
    sql_query(
        "SELECT EXISTS (SELECT FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid \
                          JOIN pg_namespace n ON n.oid = t.relnamespace \
                         WHERE n.nspname = 'public' AND t.relname = $1 AND x.indisprimary) AS found",
    )
    .bind::<Text, _>(table)
    .get_result::<Found>(conn)
    .expect("read pg_index")
    .found
}

#[test]
fn every_account_table_can_be_distributed_by_account_id() {
    let db = TestDb::new();
    let broken = broken_rules(&mut db.connect());
    assert!(
        broken.is_empty(),
        "not Citus-ready (SPEC §14):\n{}",
        broken.join("\n")
    );
}

#[test]
fn every_listed_table_exists() {
    let db = TestDb::new();
    let tables = tables(&mut db.connect());
    let names: Vec<&str> = tables.iter().map(|t| t.table_name.as_str()).collect();
    for listed in REFERENCE_TABLES
        .iter()
        .map(|(name, _)| *name)
        .chain(DIRECTORIES.iter().map(|(name, _)| *name))
        .chain(SERVICE_TABLES.iter().copied())
    {
        assert!(
            names.contains(&listed),
            "{listed} is listed but does not exist"
        );
    }
}

/// Each row: a schema change that breaks the rule, and what the test must say about it.
#[test]
fn each_way_of_breaking_the_rule_is_named() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "a unique value without account_id",
            "ALTER TABLE offers ADD CONSTRAINT offers_name_key UNIQUE (name)",
            "table offers: unique index offers_name_key (name) lacks account_id",
        ),
        (
            "a primary key without account_id",
            "CREATE TABLE notes (id TEXT PRIMARY KEY, account_id TEXT NOT NULL)",
            "table notes: primary key notes_pkey (id) lacks account_id",
        ),
        (
            "an account table without a primary key",
            "CREATE TABLE notes (id TEXT, account_id TEXT NOT NULL)",
            "table notes has no primary key",
        ),
        (
            "a foreign key on the id alone",
            "CREATE TABLE notes (account_id TEXT NOT NULL, id TEXT NOT NULL, offer_id TEXT, \
             PRIMARY KEY (account_id, id)); \
             CREATE UNIQUE INDEX offers_id ON offers (id); \
             ALTER TABLE notes ADD CONSTRAINT notes_offer FOREIGN KEY (offer_id) REFERENCES offers (id)",
            "table notes: foreign key notes_offer (offer_id) → offers (id) can cross accounts",
        ),
        (
            "a table of nobody's",
            "CREATE TABLE settings (name TEXT PRIMARY KEY)",
            "table settings has no account_id column and is in no list of this test",
        ),
        (
            "a second unique index on a directory",
            "CREATE UNIQUE INDEX link_ids_account ON link_ids (account_id, id)",
            "directory link_ids: unique index link_ids_account (account_id, id) is not its primary key (id) alone",
        ),
    ];
    for (description, change, expected) in cases {
        let db = TestDb::new();
        let mut conn = db.connect();
        diesel::connection::SimpleConnection::batch_execute(&mut conn, change)
            .unwrap_or_else(|error| panic!("{description}: {error}"));
        let broken = broken_rules(&mut conn);
        assert!(
            broken.iter().any(|sentence| sentence == expected),
            "{description}: expected {expected:?} in {broken:?}"
        );
    }
}
