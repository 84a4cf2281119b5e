//! What the tenant-owned records (contacts, companies, deals) share: soft deletion that
//! keeps the row and writes the audit entry in the same transaction, and bulk reassignment.

pub mod bulk;
pub mod service;

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

/// The most rows a list or timeline page holds, and how many it holds when `limit` is absent.
pub const MAX_PAGE: u32 = 200;
pub const DEFAULT_PAGE: u32 = 50;

/// A page's `limit`: 1 to [`MAX_PAGE`], [`DEFAULT_PAGE`] when absent. Out of range is refused
/// rather than clamped, so an API client learns its page is not the size it asked for.
pub fn page_limit(limit: Option<u32>) -> Result<u32, AppError> {
    match limit {
        None => Ok(DEFAULT_PAGE),
        Some(n) if (1..=MAX_PAGE).contains(&n) => Ok(n),
        Some(_) => Err(AppError::invalid(
            "limit",
            format!("must be from 1 to {MAX_PAGE}"),
        )),
    }
}
