//! The installation status panel on the home page: whether this instance's database answers,
//! which kind it is and its schema version. Nothing about the tenants: anyone can open the page,
//! so their number is for the platform operator (`crm status`). Its "Check again" button is the
//! first control that only works once the WASM bundle has hydrated the page.

mod panel;
#[cfg(feature = "ssr")]
pub mod queries;
mod server_fns;

pub use panel::StatusPanel;
pub use server_fns::{load_installation_status, InstallationStatus};
