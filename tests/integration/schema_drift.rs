//! The two migration folders describe one schema: after migrating a fresh SQLite file and a fresh
//! PostgreSQL database, both have the same tables, columns (kind and nullability), primary keys,
//! indexes, unique and foreign keys, and triggers. The migrations are written twice because the
//! SQL types differ; this is what keeps the two copies from drifting apart.

use crate::harness::TestDatabase;
use crm::{
    config::{DatabaseSettings, Settings},
    db::{Backend, Db},
};
use sqlx::Row;
use std::collections::{BTreeMap, BTreeSet};

/// Differences that are there on purpose, each with its reason.
///
/// - `tower_sessions`: the session store crate creates its own table per backend (on PostgreSQL
///   in its own schema, with a timestamp where SQLite keeps a Unix time), outside `public`.
const OWN_TABLES: &[&str] = &["_sqlx_migrations", "tower_sessions"];
/// PostgreSQL's trigram (GIN) indexes make substring search fast there; SQLite has no such index
/// kind and scans `search_text`.
const POSTGRES_ONLY_INDEX_METHOD: &str = "gin";

#[derive(Debug, Default, PartialEq)]
struct Schema {
    /// (table, column) → (kind, nullable)
    columns: BTreeMap<(String, String), (&'static str, bool)>,
    /// table → primary key columns in order
    primary_keys: BTreeMap<String, Vec<String>>,
    /// named index → (table, columns, unique, partial)
    indexes: BTreeMap<String, (String, Vec<String>, bool, bool)>,
    /// (table, columns) of UNIQUE constraints
    unique_constraints: BTreeSet<(String, Vec<String>)>,
    foreign_keys: BTreeSet<ForeignKey>,
    /// (table, timing, event)
    triggers: BTreeSet<(String, String, String)>,
}

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct ForeignKey {
    table: String,
    columns: Vec<String>,
    referenced: String,
    referenced_columns: Vec<String>,
    on_delete: String,
}

/// The kind the application reads a column as. PostgreSQL's timestamps, dates and JSON are text
/// on SQLite (RFC 3339 and JSON strings), so they share the text kind.
fn kind_of(declared: &str) -> &'static str {
    match declared.to_ascii_lowercase().as_str() {
        "integer" | "bigint" | "smallint" => "integer",
        "boolean" => "boolean",
        "text" | "character varying" | "timestamp with time zone" | "date" | "jsonb" => "text",
        "real" | "double precision" => "real",
        "blob" | "bytea" => "blob",
        other => panic!("a column type the drift check does not know: {other}"),
    }
}

async fn migrated(backend: Backend) -> (TestDatabase, Db) {
    let database = TestDatabase::create(backend).await;
    let settings = DatabaseSettings {
        url: database.url.clone(),
        ..Settings::default().database
    };
    let db = Db::connect_and_migrate(&settings).await.expect("migrate");
    (database, db)
}

async fn sqlite_schema(pool: &sqlx::SqlitePool) -> Schema {
    let mut schema = Schema::default();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    )
    .fetch_all(pool)
    .await
    .expect("tables");
    for table in tables
        .into_iter()
        .filter(|t| !OWN_TABLES.contains(&t.as_str()))
    {
        let columns = sqlx::query(
            r#"SELECT name, type, "notnull", pk FROM pragma_table_info($1) ORDER BY cid"#,
        )
        .bind(&table)
        .fetch_all(pool)
        .await
        .expect("columns");
        let mut primary_key = Vec::new();
        for column in columns {
            let name: String = column.get("name");
            let pk: i64 = column.get("pk");
            // INTEGER PRIMARY KEY is the rowid: never null, whatever the pragma says.
            let nullable = column.get::<i64, _>("notnull") == 0 && pk == 0;
            let kind = kind_of(&column.get::<String, _>("type"));
            if pk > 0 {
                primary_key.push((pk, name.clone()));
            }
            schema
                .columns
                .insert((table.clone(), name), (kind, nullable));
        }
        primary_key.sort();
        schema.primary_keys.insert(
            table.clone(),
            primary_key.into_iter().map(|(_, name)| name).collect(),
        );

        let indexes =
            sqlx::query(r#"SELECT name, "unique", origin, partial FROM pragma_index_list($1)"#)
                .bind(&table)
                .fetch_all(pool)
                .await
                .expect("indexes");
        for index in indexes {
            let name: String = index.get("name");
            let columns: Vec<Option<String>> =
                sqlx::query_scalar("SELECT name FROM pragma_index_info($1) ORDER BY seqno")
                    .bind(&name)
                    .fetch_all(pool)
                    .await
                    .expect("index columns");
            let columns = columns
                .into_iter()
                .map(|c| c.unwrap_or_else(|| "(expression)".into()))
                .collect();
            let unique = index.get::<i64, _>("unique") == 1;
            let partial = index.get::<i64, _>("partial") == 1;
            match index.get::<String, _>("origin").as_str() {
                "pk" => {}
                "u" => {
                    schema.unique_constraints.insert((table.clone(), columns));
                }
                _ => {
                    schema
                        .indexes
                        .insert(name, (table.clone(), columns, unique, partial));
                }
            }
        }

        let keys = sqlx::query(
            r#"SELECT id, "table", "from", "to", on_delete FROM pragma_foreign_key_list($1)
               ORDER BY id, seq"#,
        )
        .bind(&table)
        .fetch_all(pool)
        .await
        .expect("foreign keys");
        // One row per column of a key; `to` is NULL where `REFERENCES t` names t's primary key.
        let mut by_id: BTreeMap<i64, (ForeignKey, Vec<Option<String>>)> = BTreeMap::new();
        for key in keys {
            let (found, to) = by_id.entry(key.get("id")).or_insert_with(|| {
                let key = ForeignKey {
                    table: table.clone(),
                    columns: Vec::new(),
                    referenced: key.get("table"),
                    referenced_columns: Vec::new(),
                    on_delete: key.get("on_delete"),
                };
                (key, Vec::new())
            });
            found.columns.push(key.get("from"));
            to.push(key.get("to"));
        }
        for (mut key, to) in by_id.into_values() {
            key.referenced_columns = if to.iter().all(Option::is_none) {
                sqlx::query_scalar(
                    "SELECT name FROM pragma_table_info($1) WHERE pk > 0 ORDER BY pk",
                )
                .bind(&key.referenced)
                .fetch_all(pool)
                .await
                .expect("referenced key")
            } else {
                to.into_iter().map(Option::unwrap_or_default).collect()
            };
            schema.foreign_keys.insert(key);
        }
    }

    let triggers = sqlx::query("SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")
        .fetch_all(pool)
        .await
        .expect("triggers");
    for trigger in triggers {
        let table: String = trigger.get("tbl_name");
        let sql = trigger.get::<String, _>("sql").to_ascii_uppercase();
        let head = &sql[..sql.find(" ON ").expect("trigger ON")];
        let timing = ["BEFORE", "AFTER", "INSTEAD OF"]
            .into_iter()
            .find(|t| head.contains(t))
            .unwrap_or("BEFORE");
        for event in ["INSERT", "UPDATE", "DELETE"] {
            if head.contains(event) {
                schema
                    .triggers
                    .insert((table.clone(), timing.into(), event.into()));
            }
        }
    }
    schema
}

/// Column names of `keys` (attribute numbers) in `relation`, in order.
const ATTRIBUTE_NAMES: &str = "ARRAY(SELECT COALESCE(a.attname::text, '(expression)')
    FROM unnest(KEYS) WITH ORDINALITY k(attnum, ord)
    LEFT JOIN pg_attribute a ON a.attrelid = RELATION AND a.attnum = k.attnum
    ORDER BY k.ord)";

fn attribute_names(keys: &str, relation: &str) -> String {
    ATTRIBUTE_NAMES
        .replace("KEYS", keys)
        .replace("RELATION", relation)
}

async fn postgres_schema(pool: &sqlx::PgPool) -> Schema {
    let mut schema = Schema::default();
    let own_tables: Vec<String> = OWN_TABLES.iter().map(|t| t.to_string()).collect();
    let columns = sqlx::query(
        "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text
         FROM information_schema.columns
         WHERE table_schema = 'public' AND NOT (table_name = ANY($1))",
    )
    .bind(&own_tables)
    .fetch_all(pool)
    .await
    .expect("columns");
    for column in columns {
        let kind = kind_of(&column.get::<String, _>("data_type"));
        let nullable = column.get::<String, _>("is_nullable") == "YES";
        schema.columns.insert(
            (column.get("table_name"), column.get("column_name")),
            (kind, nullable),
        );
    }

    let indexes = sqlx::query(&format!(
        "SELECT i.relname::text AS name, t.relname::text AS table_name, am.amname::text AS method,
                ix.indisunique AS is_unique, ix.indisprimary AS is_primary,
                ix.indpred IS NOT NULL AS partial,
                EXISTS (SELECT 1 FROM pg_constraint c
                        WHERE c.conindid = ix.indexrelid AND c.contype = 'u') AS is_constraint,
                {} AS columns
         FROM pg_index ix
         JOIN pg_class i ON i.oid = ix.indexrelid
         JOIN pg_class t ON t.oid = ix.indrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace
         JOIN pg_am am ON am.oid = i.relam
         WHERE n.nspname = 'public' AND NOT (t.relname = ANY($1))",
        attribute_names("ix.indkey", "t.oid")
    ))
    .bind(&own_tables)
    .fetch_all(pool)
    .await
    .expect("indexes");
    for index in indexes {
        let table: String = index.get("table_name");
        let columns: Vec<String> = index.get("columns");
        if index.get("is_primary") {
            schema.primary_keys.insert(table, columns);
        } else if index.get("is_constraint") {
            schema.unique_constraints.insert((table, columns));
        } else if index.get::<String, _>("method") != POSTGRES_ONLY_INDEX_METHOD {
            schema.indexes.insert(
                index.get("name"),
                (table, columns, index.get("is_unique"), index.get("partial")),
            );
        }
    }
    // Tables without a primary key still get an (empty) entry, as on SQLite.
    for (table, _) in schema.columns.keys() {
        schema.primary_keys.entry(table.clone()).or_default();
    }

    let keys = sqlx::query(&format!(
        "SELECT c.conrelid::regclass::text AS table_name, c.confrelid::regclass::text AS referenced,
                {} AS columns, {} AS referenced_columns,
                CASE c.confdeltype WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL'
                     WHEN 'd' THEN 'SET DEFAULT' WHEN 'r' THEN 'RESTRICT' ELSE 'NO ACTION' END
                    AS on_delete
         FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
         WHERE c.contype = 'f' AND n.nspname = 'public'",
        attribute_names("c.conkey", "c.conrelid"),
        attribute_names("c.confkey", "c.confrelid"),
    ))
    .fetch_all(pool)
    .await
    .expect("foreign keys");
    for key in keys {
        schema.foreign_keys.insert(ForeignKey {
            table: key.get("table_name"),
            columns: key.get("columns"),
            referenced: key.get("referenced"),
            referenced_columns: key.get("referenced_columns"),
            on_delete: key.get("on_delete"),
        });
    }

    let triggers = sqlx::query(
        "SELECT event_object_table::text AS table_name, action_timing::text AS timing,
                event_manipulation::text AS event
         FROM information_schema.triggers WHERE trigger_schema = 'public'",
    )
    .fetch_all(pool)
    .await
    .expect("triggers");
    for trigger in triggers {
        schema.triggers.insert((
            trigger.get("table_name"),
            trigger.get("timing"),
            trigger.get("event"),
        ));
    }
    schema
}

/// What one side has that the other lacks or has differently, one line each.
fn differences<K: Ord + std::fmt::Debug, V: PartialEq + std::fmt::Debug>(
    what: &str,
    sqlite: impl IntoIterator<Item = (K, V)>,
    postgres: impl IntoIterator<Item = (K, V)>,
) -> Vec<String> {
    let sqlite: BTreeMap<K, V> = sqlite.into_iter().collect();
    let mut postgres: BTreeMap<K, V> = postgres.into_iter().collect();
    let mut lines = Vec::new();
    for (key, on_sqlite) in sqlite {
        match postgres.remove(&key) {
            None => lines.push(format!("{what} {key:?} only on SQLite: {on_sqlite:?}")),
            Some(on_postgres) if on_postgres != on_sqlite => lines.push(format!(
                "{what} {key:?}: SQLite {on_sqlite:?}, PostgreSQL {on_postgres:?}"
            )),
            Some(_) => {}
        }
    }
    for (key, on_postgres) in postgres {
        lines.push(format!(
            "{what} {key:?} only on PostgreSQL: {on_postgres:?}"
        ));
    }
    lines
}

/// A set as a map to nothing, for `differences`.
fn set<K>(keys: BTreeSet<K>) -> impl Iterator<Item = (K, ())> {
    keys.into_iter().map(|key| (key, ()))
}

fn drift(sqlite: Schema, postgres: Schema) -> Vec<String> {
    [
        differences("column", sqlite.columns, postgres.columns),
        differences("primary key of", sqlite.primary_keys, postgres.primary_keys),
        differences("index", sqlite.indexes, postgres.indexes),
        differences(
            "unique constraint",
            set(sqlite.unique_constraints),
            set(postgres.unique_constraints),
        ),
        differences(
            "foreign key",
            set(sqlite.foreign_keys),
            set(postgres.foreign_keys),
        ),
        differences("trigger", set(sqlite.triggers), set(postgres.triggers)),
    ]
    .concat()
}

#[tokio::test]
async fn both_backends_migrate_to_the_same_schema() {
    let (_sqlite_database, sqlite) = migrated(Backend::Sqlite).await;
    let (_postgres_database, postgres) = migrated(Backend::Postgres).await;
    let (Db::Sqlite(sqlite), Db::Postgres(postgres)) = (&sqlite, &postgres) else {
        panic!("the test databases are not one of each backend");
    };
    let (sqlite, postgres) = (sqlite_schema(sqlite).await, postgres_schema(postgres).await);
    assert!(
        sqlite.columns.len() > 100
            && !sqlite.foreign_keys.is_empty()
            && !sqlite.triggers.is_empty(),
        "the SQLite schema was not read: {sqlite:?}"
    );
    let drift = drift(sqlite, postgres);
    assert!(
        drift.is_empty(),
        "the SQLite and PostgreSQL migrations describe different schemas ({} differences):\n{}",
        drift.len(),
        drift.join("\n")
    );
}
