//! Tenants: the companies that use this installation. Registration provisions a new one; the
//! demo tenant is seeded the same way so a fresh checkout has someone to be.

pub mod demo;
pub mod lifecycle;
pub mod provisioning;
pub mod registration;
pub mod sample_data;
pub mod sample_store;
pub mod store;

crate::text_enum! {
    /// Where a tenant is in its life: only active tenants' users can sign in.
    pub enum TenantStatus("tenant status") {
        Active = "active",
        Suspended = "suspended",
        Closed = "closed",
    }
}
