//! A new owner on the record's timeline: a `system` activity naming who had it and who has it
//! now, written in the transaction that changes the owner (the audit row says the same in ids).

use super::SoftDeletable;
use crate::{activities::store::NewActivity, auth::actor::Actor};
use chrono::{DateTime, Utc};
use serde_json::json;

/// Who owns a record: the user's id and name, either absent for a record without an owner.
pub type Owner<'a> = (Option<i64>, Option<&'a str>);

/// The timeline entry for a change of owner, or `None` when the owner stayed.
pub fn owner_changed(
    actor: &Actor,
    (kind, id): (SoftDeletable, i64),
    from: Owner<'_>,
    to: Owner<'_>,
    at: DateTime<Utc>,
) -> Option<NewActivity> {
    if from.0 == to.0 {
        return None;
    }
    let (contact_id, company_id, deal_id) = match kind {
        SoftDeletable::Contact => (Some(id), None, None),
        SoftDeletable::Company => (None, Some(id), None),
        SoftDeletable::Deal => (None, None, Some(id)),
    };
    let named = |(id, name): Owner<'_>| json!({ "id": id, "name": name });
    Some(NewActivity {
        tenant_id: actor.tenant_id,
        kind: "system",
        body: String::new(),
        payload: json!({ "event": "owner_changed", "from": named(from), "to": named(to) }),
        user_id: Some(actor.user_id),
        contact_id,
        company_id,
        deal_id,
        happened_at: at,
    })
}
