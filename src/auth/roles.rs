//! Roles, the permissions they can hold, and how far each role sees (own / team / all).
//! Shared by server and browser so the UI can hide what a role cannot do; the server decides.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    TenantAdmin,
    Supervisor,
    SalesAgent,
    SupportAgent,
    ReadOnly,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::TenantAdmin,
        Role::Supervisor,
        Role::SalesAgent,
        Role::SupportAgent,
        Role::ReadOnly,
    ];

    /// The value stored in `users.role` and `role_permissions.role`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::TenantAdmin => "tenant_admin",
            Role::Supervisor => "supervisor",
            Role::SalesAgent => "sales_agent",
            Role::SupportAgent => "support_agent",
            Role::ReadOnly => "read_only",
        }
    }

    pub fn parse(value: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::TenantAdmin => "Admin",
            Role::Supervisor => "Supervisor",
            Role::SalesAgent => "Sales agent",
            Role::SupportAgent => "Support agent",
            Role::ReadOnly => "Read only",
        }
    }

    /// Which records this role sees by default.
    pub fn scope(self) -> Scope {
        match self {
            Role::TenantAdmin | Role::ReadOnly => Scope::All,
            Role::Supervisor => Scope::Team,
            Role::SalesAgent | Role::SupportAgent => Scope::Own,
        }
    }

    /// Read-only users never write, whatever the permission matrix says.
    pub fn can_write(self) -> bool {
        self != Role::ReadOnly
    }
}

impl TryFrom<String> for Role {
    type Error = String;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Role::parse(&value).ok_or_else(|| format!("unknown role '{value}'"))
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How far a query reaches within the tenant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scope {
    Own,
    Team,
    All,
}

/// Every permission string the application checks. Stored per tenant in `role_permissions`.
pub const PERMISSIONS: [&str; 12] = [
    "contacts.view",
    "contacts.manage",
    "deals.view",
    "deals.manage",
    "calls.view",
    "calls.recordings.view",
    "settings.manage",
    "users.manage",
    "import.run",
    "export.run",
    "audit.view",
    "api_tokens.manage",
];

/// The matrix a new tenant starts with; its admin can change it in settings.
pub fn default_permissions(role: Role) -> &'static [&'static str] {
    match role {
        Role::TenantAdmin => &PERMISSIONS,
        Role::Supervisor => &[
            "contacts.view",
            "contacts.manage",
            "deals.view",
            "deals.manage",
            "calls.view",
            "calls.recordings.view",
            "export.run",
            "api_tokens.manage",
        ],
        Role::SalesAgent | Role::SupportAgent => &[
            "contacts.view",
            "contacts.manage",
            "deals.view",
            "deals.manage",
            "calls.view",
            "api_tokens.manage",
        ],
        Role::ReadOnly => &["contacts.view", "deals.view", "calls.view"],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_their_stored_names() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("superuser"), None);
    }

    #[test]
    fn default_matrix_uses_only_known_permissions() {
        for role in Role::ALL {
            for p in default_permissions(role) {
                assert!(PERMISSIONS.contains(p), "{role}: unknown permission {p}");
            }
        }
    }

    #[test]
    fn only_admins_manage_users_and_settings_by_default() {
        for role in Role::ALL {
            let perms = default_permissions(role);
            let admin = role == Role::TenantAdmin;
            assert_eq!(perms.contains(&"users.manage"), admin, "{role}");
            assert_eq!(perms.contains(&"settings.manage"), admin, "{role}");
        }
    }

    #[test]
    fn scopes_follow_the_design() {
        assert_eq!(Role::TenantAdmin.scope(), Scope::All);
        assert_eq!(Role::Supervisor.scope(), Scope::Team);
        assert_eq!(Role::SalesAgent.scope(), Scope::Own);
        assert_eq!(Role::SupportAgent.scope(), Scope::Own);
        assert_eq!(Role::ReadOnly.scope(), Scope::All);
        assert!(!Role::ReadOnly.can_write());
    }
}
