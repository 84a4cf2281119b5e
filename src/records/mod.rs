//! What the tenant-owned records (contacts, companies, deals) share: soft deletion that
//! keeps the row and writes the audit entry in the same transaction, bulk reassignment, and the
//! timeline entry of a new owner.

pub mod bulk;
pub mod owner;
pub mod page;
pub mod service;
pub mod store;

pub use page::{page_limit, Keyset};

use crate::{auth::roles::Permission, error::AppError};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SoftDeletable {
    Contact,
    Company,
    Deal,
}

impl SoftDeletable {
    fn table(self) -> &'static str {
        match self {
            SoftDeletable::Contact => "contacts",
            SoftDeletable::Company => "companies",
            SoftDeletable::Deal => "deals",
        }
    }

    /// The column a person reads the record by.
    fn label_column(self) -> &'static str {
        match self {
            SoftDeletable::Contact | SoftDeletable::Company => "name",
            SoftDeletable::Deal => "title",
        }
    }

    fn entity(self) -> &'static str {
        match self {
            SoftDeletable::Contact => "contact",
            SoftDeletable::Company => "company",
            SoftDeletable::Deal => "deal",
        }
    }

    fn manage_permission(self) -> Permission {
        match self {
            // Companies are part of the contacts area; there is no separate permission.
            SoftDeletable::Contact | SoftDeletable::Company => Permission::ContactsManage,
            SoftDeletable::Deal => Permission::DealsManage,
        }
    }

    fn updated_action(self) -> &'static str {
        match self {
            SoftDeletable::Contact => "contact.updated",
            SoftDeletable::Company => "company.updated",
            SoftDeletable::Deal => "deal.updated",
        }
    }

    fn action(self, deleted: bool) -> &'static str {
        match (self, deleted) {
            (SoftDeletable::Contact, true) => "contact.deleted",
            (SoftDeletable::Contact, false) => "contact.restored",
            (SoftDeletable::Company, true) => "company.deleted",
            (SoftDeletable::Company, false) => "company.restored",
            (SoftDeletable::Deal, true) => "deal.deleted",
            (SoftDeletable::Deal, false) => "deal.restored",
        }
    }
}

/// For restores: a record the actor can see that is not deleted is restored already, so a
/// restore answers it as it is (and writes nothing); `None` when there is no such live record.
pub fn live_record<T>(found: Result<T, AppError>) -> Result<Option<T>, AppError> {
    match found {
        Ok(record) => Ok(Some(record)),
        Err(AppError::NotFound) => Ok(None),
        Err(e) => Err(e),
    }
}

/// A reorder must list every item of `current` exactly once, in any order.
pub fn check_order(
    order: &[i64],
    current: &[i64],
    field: &str,
    reason: &str,
) -> Result<(), AppError> {
    let (mut given, mut existing) = (order.to_vec(), current.to_vec());
    given.sort_unstable();
    existing.sort_unstable();
    if given == existing {
        Ok(())
    } else {
        Err(AppError::invalid(field, reason))
    }
}
