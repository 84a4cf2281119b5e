//! The integration suite as one test binary (each binary links the whole crate, so one link
//! instead of twenty). Every test spawns its own app on its own fresh database, on SQLite and on
//! PostgreSQL; `TEST_LOG=1` prints the apps' logs (`RUST_LOG` filters them).
#[macro_use]
mod harness;

mod access;
mod activities;
mod api;
mod audit;
mod bulk_assign;
mod calls;
mod cards;
mod company_settings;
mod contacts;
mod cross_tenant;
mod database;
mod deals;
mod events;
mod health;
mod identity;
mod jobs;
mod layering;
mod limits;
mod lists;
mod notifications;
mod openapi;
mod pages;
mod pages_under_load;
mod permission_matrix;
mod reports;
mod schema_drift;
mod search;
mod settings_editors;
mod sql_location;
mod startup;
mod tasks;
mod tasks_on_cards;
mod trash;
