//! Roles, the permissions they can hold, and how far each role sees (own / team / all).
//! Shared by server and browser so the UI can hide what a role cannot do; the server decides.

use serde::{Deserialize, Serialize};

crate::text_enum! {
    /// A user's role; its word is the value stored in `users.role` and `role_permissions.role`.
    pub enum Role("role") {
        TenantAdmin = "tenant_admin",
        Supervisor = "supervisor",
        SalesAgent = "sales_agent",
        SupportAgent = "support_agent",
        ReadOnly = "read_only",
    }
}

impl Role {
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

/// How far a query reaches within the tenant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scope {
    Own,
    Team,
    All,
}

crate::text_enum! {
    /// Every permission the application checks, stored per tenant in `role_permissions` under
    /// its dotted name. Each one guards a set of operations and nothing else; the matrix in
    /// settings shows exactly these. (`import.run` / `export.run` come with import/export.)
    pub enum Permission("permission") {
        ContactsView = "contacts.view",
        ContactsManage = "contacts.manage",
        DealsView = "deals.view",
        DealsManage = "deals.manage",
        RecordsRestore = "records.restore",
        CallsView = "calls.view",
        CallsPlace = "calls.place",
        CallsRecordingsView = "calls.recordings.view",
        SettingsManage = "settings.manage",
        UsersManage = "users.manage",
        AuditView = "audit.view",
        ApiTokensManage = "api_tokens.manage",
    }
}

impl Permission {
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
