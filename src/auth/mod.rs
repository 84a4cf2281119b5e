//! Who is asking and what they may do: passwords, sessions, sign-in with lockout, roles and
//! permissions, and the per-request `Actor` every tenant-owned query takes.

pub mod pages;
pub mod permission_matrix;
pub mod roles;
pub mod server_fns;

#[cfg(feature = "ssr")]
pub mod actor;
#[cfg(feature = "ssr")]
pub mod bearer_secret;
#[cfg(feature = "ssr")]
pub mod login;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod request;
#[cfg(feature = "ssr")]
pub mod scope;
#[cfg(feature = "ssr")]
pub mod session;
