//! A multi-tenant CRM: Leptos pages rendered on the server and hydrated to WASM, server functions
//! and a REST API on axum, data in SQLite or PostgreSQL through sqlx.
//!
//! Areas live in their own folders: `auth` (sessions, sign-in, roles), `tenancy` (tenants and
//! registration), `reports` (the dashboard), `status` (installation status page), `ui` (shared
//! components), `validation` (parsed form values); server-only: `config`, `db`, `server`,
//! `health`, `audit`.

pub mod activities;
pub mod api_tokens;
pub mod app;
pub mod audit;
pub mod auth;
pub mod calls;
pub mod companies;
pub mod contacts;
pub mod deals;
pub mod dispositions;
pub mod error;
pub mod events;
pub mod jobs;
pub mod notifications;
pub mod pbx;
pub mod pipelines;
pub mod reports;
pub mod search;
pub mod settings;
pub mod status;
pub mod tasks;
pub mod tenancy;
pub mod text_enum;
pub mod trash;
pub mod ui;
pub mod users;
pub mod validation;

#[cfg(feature = "ssr")]
pub mod api;
#[cfg(feature = "ssr")]
pub mod config;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod health;
#[cfg(feature = "ssr")]
pub mod records;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod state;

/// The WASM entry point: takes over the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
