//! The activity timeline: calls, emails, meetings, notes, stage changes, follow-ups. Immutable
//! (the schema refuses UPDATE and DELETE); each row links to any of a contact, company and deal,
//! so every card's timeline is one indexed query.

#[cfg(feature = "ssr")]
pub mod queries;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Activity {
    pub id: i64,
    pub kind: String,
    pub body: String,
    #[cfg_attr(feature = "ssr", sqlx(json))]
    pub payload: serde_json::Value,
    pub user_id: Option<i64>,
    pub user_name: Option<String>,
    pub contact_id: Option<i64>,
    pub company_id: Option<i64>,
    pub deal_id: Option<i64>,
    pub happened_at: DateTime<Utc>,
}
