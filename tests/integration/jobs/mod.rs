//! The job queue and its schedules on both backends, on a bare database (no app: its own workers
//! would take these tests' jobs). Time is a hand-set clock, never slept on, except where the
//! workers' own loop is what is tested.

mod admin;
mod in_the_server;
mod lifecycle;
mod queue;
mod schedules;

use crate::harness::TestDatabase;
use chrono::{DateTime, TimeZone, Utc};
use crm::{
    config::{DatabaseSettings, Settings},
    db::Db,
    jobs::{
        clock::{Clock, ManualClock},
        queue::Queue,
        store::JobStore,
        Job,
    },
    on_db,
};
use std::sync::Arc;

/// Declares one test per backend on a fresh, migrated database.
macro_rules! queue_test {
    ($name:ident, |$db:ident| $body:block) => {
        queue_test!($name, |_database, $db| $body);
    };
    ($name:ident, |$database:ident, $db:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test]
            async fn sqlite() {
                crate::harness::time_limited(async {
                    let ($database, $db) = super::fresh(crm::db::Backend::Sqlite).await;
                    $body
                })
                .await
            }

            #[tokio::test]
            async fn postgres() {
                crate::harness::time_limited(async {
                    let ($database, $db) = super::fresh(crm::db::Backend::Postgres).await;
                    $body
                })
                .await
            }
        }
    };
}
pub(crate) use queue_test;

pub async fn fresh(backend: crm::db::Backend) -> (TestDatabase, Db) {
    let database = TestDatabase::create(backend).await;
    let db = connect(&database.url).await;
    (database, db)
}

pub async fn connect(url: &str) -> Db {
    Db::connect_and_migrate(&DatabaseSettings {
        url: url.to_string(),
        max_connections: 8,
        ..Settings::default().database
    })
    .await
    .expect("database")
}

pub fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, s)
        .single()
        .expect("valid time")
}

pub fn queue_at(db: &Db, now: DateTime<Utc>) -> (Queue, ManualClock) {
    let clock = ManualClock::at(now);
    (
        Queue::with_clock(db.clone(), Arc::new(clock.clone())),
        clock,
    )
}

pub async fn job(db: &Db, id: i64) -> Job {
    on_db!(db, |pool| pool
        .acquire()
        .await
        .expect("connection")
        .job(id)
        .await
        .expect("job")
        .expect("job exists"))
}
