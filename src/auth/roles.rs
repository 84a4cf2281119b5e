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

/// Every permission the application checks, stored per tenant in `role_permissions` under its
/// dotted name. Each one guards a set of operations and nothing else; the matrix in settings
/// shows exactly these. (`import.run` / `export.run` come with the import/export feature.)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Permission {
    #[serde(rename = "contacts.view")]
    ContactsView,
    #[serde(rename = "contacts.manage")]
    ContactsManage,
    #[serde(rename = "deals.view")]
    DealsView,
    #[serde(rename = "deals.manage")]
    DealsManage,
    #[serde(rename = "records.restore")]
    RecordsRestore,
    #[serde(rename = "calls.view")]
    CallsView,
    #[serde(rename = "calls.place")]
    CallsPlace,
    #[serde(rename = "calls.recordings.view")]
    CallsRecordingsView,
    #[serde(rename = "settings.manage")]
    SettingsManage,
    #[serde(rename = "users.manage")]
    UsersManage,
    #[serde(rename = "audit.view")]
    AuditView,
    #[serde(rename = "api_tokens.manage")]
    ApiTokensManage,
}

impl Permission {
    pub const ALL: [Permission; 12] = [
        Permission::ContactsView,
        Permission::ContactsManage,
        Permission::DealsView,
        Permission::DealsManage,
        Permission::RecordsRestore,
        Permission::CallsView,
        Permission::CallsPlace,
        Permission::CallsRecordingsView,
        Permission::SettingsManage,
        Permission::UsersManage,
        Permission::AuditView,
        Permission::ApiTokensManage,
    ];

    /// The name stored in `role_permissions.permission` and shown in the matrix.
    pub fn as_str(self) -> &'static str {
        match self {
            Permission::ContactsView => "contacts.view",
            Permission::ContactsManage => "contacts.manage",
            Permission::DealsView => "deals.view",
            Permission::DealsManage => "deals.manage",
            Permission::RecordsRestore => "records.restore",
            Permission::CallsView => "calls.view",
            Permission::CallsPlace => "calls.place",
            Permission::CallsRecordingsView => "calls.recordings.view",
            Permission::SettingsManage => "settings.manage",
            Permission::UsersManage => "users.manage",
            Permission::AuditView => "audit.view",
            Permission::ApiTokensManage => "api_tokens.manage",
        }
    }

    pub fn parse(value: &str) -> Option<Permission> {
        Permission::ALL.into_iter().find(|p| p.as_str() == value)
    }

    /// The permission this one is useless without: changing records means seeing them (every
    /// change answers with the record it changed). Checked together, on every path.
    pub fn needs(self) -> Option<Permission> {
        match self {
            Permission::ContactsManage => Some(Permission::ContactsView),
            Permission::DealsManage => Some(Permission::DealsView),
            Permission::CallsRecordingsView => Some(Permission::CallsView),
            _ => None,
        }
    }

    /// What the permission lets a role do, as the matrix explains it.
    pub fn description(self) -> &'static str {
        match self {
            Permission::ContactsView => "See contacts, companies, tasks and timelines",
            Permission::ContactsManage => {
                "Create, edit and delete contacts, companies and tasks; log activities"
            }
            Permission::DealsView => "See deals, the board and the dashboard",
            Permission::DealsManage => "Create, edit, move and delete deals",
            Permission::RecordsRestore => "Restore deleted contacts, companies and deals",
            Permission::CallsView => "See the calls log",
            Permission::CallsPlace => "Place, answer and wrap up calls in the agent console",
            Permission::CallsRecordingsView => "Open call recordings",
            Permission::SettingsManage => {
                "Change pipelines, dispositions and other company settings"
            }
            Permission::UsersManage => "Add, edit and deactivate users and teams",
            Permission::AuditView => "Read the audit log",
            Permission::ApiTokensManage => "Make and use personal API tokens",
        }
    }
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The matrix a new tenant starts with; its admin can change it in settings.
pub fn default_permissions(role: Role) -> &'static [Permission] {
    use Permission::*;
    match role {
        Role::TenantAdmin => &Permission::ALL,
        Role::Supervisor => &[
            ContactsView,
            ContactsManage,
            DealsView,
            DealsManage,
            CallsView,
            CallsPlace,
            CallsRecordingsView,
            ApiTokensManage,
        ],
        Role::SalesAgent | Role::SupportAgent => &[
            ContactsView,
            ContactsManage,
            DealsView,
            DealsManage,
            CallsView,
            CallsPlace,
            ApiTokensManage,
        ],
        Role::ReadOnly => &[ContactsView, DealsView, CallsView],
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
    fn permissions_round_trip_through_their_stored_names() {
        for p in Permission::ALL {
            assert_eq!(Permission::parse(p.as_str()), Some(p));
            assert_eq!(serde_json::to_value(p).expect("serializes"), p.as_str());
        }
        assert_eq!(Permission::parse("import.run"), None);
    }

    #[test]
    fn only_admins_manage_users_and_settings_by_default() {
        for role in Role::ALL {
            let perms = default_permissions(role);
            let admin = role == Role::TenantAdmin;
            assert_eq!(perms.contains(&Permission::UsersManage), admin, "{role}");
            assert_eq!(perms.contains(&Permission::SettingsManage), admin, "{role}");
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
