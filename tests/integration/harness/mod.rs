//! Test harness: every test gets its own app on a free port and its own fresh database, on
//! SQLite (a file in a temp dir) and on PostgreSQL (a new database on the server named by
//! `TEST_POSTGRES_URL`, default `postgres://postgres@127.0.0.1:5432/postgres`).

mod app;
mod database;
mod requests;
mod rest;

pub use app::{spawn_app, spawn_app_configured, spawn_app_with, test_settings, TestApp};
pub use database::TestDatabase;
pub use requests::{new_browser, register_company, registered_admin, TEST_PASSWORD};
pub use rest::ApiClient;

/// Declares one test per backend: `mod $name { fn sqlite(); fn postgres(); }`.
#[allow(unused_macros)]
macro_rules! db_test {
    ($name:ident, |$app:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test]
            async fn sqlite() {
                $crate::harness::time_limited(async {
                    let $app = $crate::harness::spawn_app(crm::db::Backend::Sqlite).await;
                    $body
                })
                .await
            }

            #[tokio::test]
            async fn postgres() {
                $crate::harness::time_limited(async {
                    let $app = $crate::harness::spawn_app(crm::db::Backend::Postgres).await;
                    $body
                })
                .await
            }
        }
    };
    ($name:ident, settings = $configure:expr, |$app:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test]
            async fn sqlite() {
                $crate::harness::time_limited(async {
                    let $app =
                        $crate::harness::spawn_app_configured(crm::db::Backend::Sqlite, $configure)
                            .await;
                    $body
                })
                .await
            }

            #[tokio::test]
            async fn postgres() {
                $crate::harness::time_limited(async {
                    let $app = $crate::harness::spawn_app_configured(
                        crm::db::Backend::Postgres,
                        $configure,
                    )
                    .await;
                    $body
                })
                .await
            }
        }
    };
}

/// How long one test may run. A hang (a request that never answers) then fails that test with
/// its name instead of stalling the whole suite until CI gives up.
pub const TEST_TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(180);

pub async fn time_limited(test: impl std::future::Future<Output = ()>) {
    if tokio::time::timeout(TEST_TIME_LIMIT, test).await.is_err() {
        panic!("the test did not finish within {TEST_TIME_LIMIT:?}: something hangs");
    }
}

pub fn postgres_admin_url() -> String {
    std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string())
}
