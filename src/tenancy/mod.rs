//! Tenants: the companies that use this installation. Registration and lifecycle commands come
//! with the identity issue; the demo tenant is seeded here so a fresh checkout has someone to be.

pub mod demo;
