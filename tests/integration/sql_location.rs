//! Each area's SQL lives in its store (`store.rs`, or `<topic>_store.rs` beside it), and the
//! pool, migrations and rate limits in `src/db/`: a statement anywhere else fails this test.

use std::path::{Path, PathBuf};

/// What starts a statement: sqlx's query functions and the query builder.
const STATEMENT_STARTS: &[&str] = &[
    "sqlx::query(",
    "sqlx::query_as(",
    "sqlx::query_as::<",
    "sqlx::query_scalar(",
    "sqlx::query_scalar::<",
    "QueryBuilder::new(",
    "QueryBuilder::<",
];

fn may_hold_sql(shown: &str) -> bool {
    shown.starts_with("src/db/") || shown.ends_with("/store.rs") || shown.ends_with("_store.rs")
}

fn rust_files(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

/// The code of a file without its `#[cfg(test)] mod tests` (unit tests may build a query to
/// check the SQL a helper writes).
fn code_outside_tests(code: &str) -> &str {
    code.split("#[cfg(test)]\nmod tests").next().unwrap_or(code)
}

fn statements_outside_stores(root: &Path) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let mut found = Vec::new();
    for file in files {
        let shown = file
            .strip_prefix(root)
            .unwrap_or(&file)
            .to_string_lossy()
            .replace('\\', "/");
        if may_hold_sql(&shown) {
            continue;
        }
        let code = std::fs::read_to_string(&file).expect("read file");
        for (n, line) in code_outside_tests(&code).lines().enumerate() {
            if STATEMENT_STARTS.iter().any(|s| line.contains(s)) {
                found.push(format!("{shown}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    found.sort();
    found
}

#[test]
fn sql_is_only_in_stores_and_the_db_module() {
    let found = statements_outside_stores(Path::new(env!("CARGO_MANIFEST_DIR")));
    assert!(
        found.is_empty(),
        "{} statements outside a store:\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn the_check_sees_a_statement_in_a_service() {
    let root = std::env::temp_dir().join(format!("sql-location-{}", std::process::id()));
    let area = root.join("src/deals");
    std::fs::create_dir_all(&area).expect("temp tree");
    std::fs::write(
        area.join("service.rs"),
        "async fn f() { sqlx::query(\"DELETE FROM deals\"); }\n",
    )
    .expect("write service");
    std::fs::write(
        area.join("store.rs"),
        "async fn g() { sqlx::query(\"SELECT 1\"); }\n",
    )
    .expect("write store");
    let found = statements_outside_stores(&root);
    std::fs::remove_dir_all(&root).expect("clean up");
    assert_eq!(
        found,
        ["src/deals/service.rs:1: async fn f() { sqlx::query(\"DELETE FROM deals\"); }"]
    );
}
