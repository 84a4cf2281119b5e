//! Finding records by what a person remembers of them: the header search across contacts,
//! companies and deals, and the pickers that link one record to another. Every query is
//! folded (case and accents ignored) the same way on both backends, and only finds records the
//! user may see: it runs through each area's own list, with its permission and scope.

#[cfg(feature = "ssr")]
mod fold;
pub mod header_search;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;

#[cfg(feature = "ssr")]
pub use fold::{contains_pattern, fold, search_text};

use serde::{Deserialize, Serialize};

crate::text_enum! {
    /// The kinds of record a search or a picker finds.
    pub enum FoundKind("record kind") {
        Contact = "contact",
        Company = "company",
        Deal = "deal",
    }
}

impl FoundKind {
    /// Where the record's card is.
    pub fn href(self, id: i64) -> String {
        match self {
            FoundKind::Contact => format!("/contacts/{id}"),
            FoundKind::Company => format!("/companies/{id}"),
            FoundKind::Deal => format!("/deals/{id}"),
        }
    }
}

crate::text_enum! {
    /// What a picker links to: a record, or the user who owns it.
    pub enum PickKind("picker kind") {
        Contact = "contact",
        Company = "company",
        Deal = "deal",
        Owner = "owner",
    }
}

/// One record found: what to show for it and where it leads.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Found {
    pub id: i64,
    /// The contact's or company's name, the deal's title.
    pub label: String,
    /// What tells two of the same name apart: a contact's company or email, a company's
    /// domain, a deal's stage and contact.
    pub detail: Option<String>,
}

/// The header search's answer, by kind; a kind the user may not view is empty.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FoundGroups {
    pub contacts: Vec<Found>,
    pub companies: Vec<Found>,
    pub deals: Vec<Found>,
}

impl FoundGroups {
    /// Every record in the order the header shows them, with its kind.
    pub fn in_order(&self) -> Vec<(FoundKind, &Found)> {
        let kinds = [
            (FoundKind::Contact, &self.contacts),
            (FoundKind::Company, &self.companies),
            (FoundKind::Deal, &self.deals),
        ];
        kinds
            .into_iter()
            .flat_map(|(kind, found)| found.iter().map(move |f| (kind, f)))
            .collect()
    }
}
