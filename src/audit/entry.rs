//! An audit row as it is built: who, what, which record, the changed fields, from where.

use crate::auth::actor::Actor;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

/// Where a request came from, for the audit trail.
#[derive(Clone, Debug, Default)]
pub struct ClientInfo {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

#[derive(Clone, Debug)]
pub struct AuditEntry {
    pub tenant_id: Option<i64>,
    pub actor_id: Option<i64>,
    /// `entity.verb`, e.g. `user.login_failed`, `deal.moved`.
    pub action: &'static str,
    pub entity_type: &'static str,
    pub entity_id: Option<i64>,
    /// `{field: [old, new]}` for changes; free-form context otherwise.
    pub changes: Map<String, Value>,
    pub client: ClientInfo,
    pub at: DateTime<Utc>,
}

impl AuditEntry {
    pub fn new(action: &'static str, entity_type: &'static str, client: &ClientInfo) -> Self {
        Self {
            tenant_id: None,
            actor_id: None,
            action,
            entity_type,
            entity_id: None,
            changes: Map::new(),
            client: client.clone(),
            at: Utc::now(),
        }
    }

    /// An entry for something `actor` did in their tenant: the one way record changes start one.
    pub fn by(
        actor: &Actor,
        action: &'static str,
        entity_type: &'static str,
        client: &ClientInfo,
    ) -> Self {
        Self::new(action, entity_type, client)
            .tenant(actor.tenant_id)
            .actor(actor.user_id)
    }

    pub fn tenant(mut self, tenant_id: i64) -> Self {
        self.tenant_id = Some(tenant_id);
        self
    }

    pub fn actor(mut self, actor_id: i64) -> Self {
        self.actor_id = Some(actor_id);
        self
    }

    pub fn entity(mut self, entity_id: i64) -> Self {
        self.entity_id = Some(entity_id);
        self
    }

    /// Records a changed field as `[old, new]`.
    pub fn change(mut self, field: &str, old: impl Into<Value>, new: impl Into<Value>) -> Self {
        self.changes.insert(
            field.to_string(),
            Value::Array(vec![old.into(), new.into()]),
        );
        self
    }

    /// Records every field of a new record as set from nothing.
    pub fn created(mut self, fields: Vec<(&'static str, Value)>) -> Self {
        for (field, value) in fields {
            self = self.change(field, Value::Null, value);
        }
        self
    }

    /// Records the fields whose value differs between `before` and `after` (same fields, same
    /// order); none when nothing changed.
    pub fn changed(
        mut self,
        before: Vec<(&'static str, Value)>,
        after: Vec<(&'static str, Value)>,
    ) -> Self {
        for ((field, old), (_, new)) in before.into_iter().zip(after) {
            if old != new {
                self = self.change(field, old, new);
            }
        }
        self
    }

    /// Records context that is not a field change (e.g. the email a failed login tried).
    pub fn detail(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.changes.insert(key.to_string(), value.into());
        self
    }
}
