//! Deleting a contact, company or deal, and getting it back: the card's Delete asks first and
//! says what stays with the record (its deals, open tasks and timeline are kept, hidden with it),
//! and "Recently deleted" lists each kind's deleted records for those who may restore them.
//! Deletion itself is the records' soft delete (`records::service::set_deleted`).

pub mod delete_button;
pub mod page;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
mod store;

pub use crate::search::FoundKind as RecordKind;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One deleted record, as "Recently deleted" lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Deleted {
    pub id: i64,
    /// The contact's or company's name, the deal's title.
    pub label: String,
    pub deleted_at: DateTime<Utc>,
}

/// What is linked to a record that is about to be deleted. None of it is deleted with it: the
/// linked records stay, the tasks and timeline entries are hidden with the record and come back
/// when it is restored.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct DeleteImpact {
    /// A company's contacts.
    pub contacts: i64,
    /// A contact's or company's deals.
    pub deals: i64,
    pub open_tasks: i64,
    pub activities: i64,
}

impl DeleteImpact {
    /// The confirmation's sentence about what is linked, e.g. "Its 2 deals and 1 contact
    /// stay; 3 open tasks and 12 timeline entries are hidden with it until it is restored."
    pub fn sentence(&self) -> String {
        let counted = |n: i64, one: &str, many: &str| match n {
            0 => None,
            1 => Some(format!("1 {one}")),
            n => Some(format!("{n} {many}")),
        };
        let stay: Vec<String> = [
            counted(self.contacts, "contact", "contacts"),
            counted(self.deals, "deal", "deals"),
        ]
        .into_iter()
        .flatten()
        .collect();
        let hidden: Vec<String> = [
            counted(self.open_tasks, "open task", "open tasks"),
            counted(self.activities, "timeline entry", "timeline entries"),
        ]
        .into_iter()
        .flatten()
        .collect();
        let mut parts = Vec::new();
        if !stay.is_empty() {
            let verb = if stay.len() == 1 && stay[0].starts_with("1 ") {
                "stays"
            } else {
                "stay"
            };
            parts.push(format!("Its {} {verb} in the CRM", stay.join(" and ")));
        }
        if !hidden.is_empty() {
            parts.push(format!(
                "{} {} hidden with it until it is restored",
                hidden.join(" and "),
                if hidden.len() == 1 && hidden[0].starts_with("1 ") {
                    "is"
                } else {
                    "are"
                }
            ));
        }
        if parts.is_empty() {
            "Nothing else is linked to it.".to_string()
        } else {
            format!("{}.", parts.join("; "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::DeleteImpact;

    #[test]
    fn the_sentence_counts_what_stays_and_what_is_hidden() {
        let impact = DeleteImpact {
            contacts: 1,
            deals: 2,
            open_tasks: 1,
            activities: 12,
        };
        assert_eq!(
            impact.sentence(),
            "Its 1 contact and 2 deals stay in the CRM; 1 open task and 12 timeline entries are hidden with it until it is restored."
        );
        assert_eq!(
            DeleteImpact::default().sentence(),
            "Nothing else is linked to it."
        );
        let one = DeleteImpact {
            open_tasks: 1,
            ..Default::default()
        };
        assert_eq!(
            one.sentence(),
            "1 open task is hidden with it until it is restored."
        );
    }
}
