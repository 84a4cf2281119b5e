//! The installation status panel on the home page: which database this instance uses, its schema
//! version and how many tenants and users it holds. Its "Check again" button is the first control
//! that only works once the WASM bundle has hydrated the page.

mod panel;
#[cfg(feature = "ssr")]
mod queries;
mod server_fns;

pub use panel::StatusPanel;
pub use server_fns::{load_installation_status, InstallationStatus};
