//! The permission matrix means what it says: for every permission, taking it away from a role
//! makes exactly the operations it guards answer 403 — through the UI's server functions and
//! the REST API — and every other operation keeps working; granting it back restores them.

use crate::harness::{registered_admin, ApiClient, TestApp};
use crm::auth::roles::Permission;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};

mod walk;

const ROLE: &str = "supervisor";

/// One thing a user does, and the permissions it needs (any one missing → 403). Changing records
/// needs seeing them too (`Permission::needs`).
#[derive(Clone, Copy, Debug)]
enum Op {
    ListContacts,
    GetContact,
    ListCompanies,
    GetCompany,
    ContactTimeline,
    MyTasks,
    CreateContact,
    UpdateContact,
    DeleteContact,
    CreateCompany,
    LogActivity,
    CreateTask,
    ListDeals,
    GetDeal,
    Board,
    Dashboard,
    CreateDeal,
    MoveDeal,
    DeleteDeal,
    RestoreContact,
    RestoreCompany,
    RestoreDeal,
    ListCalls,
    Console,
    StartCall,
    SeeRecording,
    PermissionMatrix,
    CreatePipeline,
    CreateDisposition,
    SetDefaultCountry,
    RotatePbxToken,
    CreateTeam,
    CreateUser,
    AuditLog,
    ListTokens,
    CreateToken,
    RestMe,
    RestListContacts,
    RestCreateContact,
    RestListDeals,
    RestCreateDeal,
    RestMoveDeal,
    RestRestoreContact,
    RestLogActivity,
    RestMyTasks,
}

impl Op {
    const ALL: [Op; 45] = [
        Op::ListContacts,
        Op::GetContact,
        Op::ListCompanies,
        Op::GetCompany,
        Op::ContactTimeline,
        Op::MyTasks,
        Op::CreateContact,
        Op::UpdateContact,
        Op::DeleteContact,
        Op::CreateCompany,
        Op::LogActivity,
        Op::CreateTask,
        Op::ListDeals,
        Op::GetDeal,
        Op::Board,
        Op::Dashboard,
        Op::CreateDeal,
        Op::MoveDeal,
        Op::DeleteDeal,
        Op::RestoreContact,
        Op::RestoreCompany,
        Op::RestoreDeal,
        Op::ListCalls,
        Op::Console,
        Op::StartCall,
        Op::SeeRecording,
        Op::PermissionMatrix,
        Op::CreatePipeline,
        Op::CreateDisposition,
        Op::SetDefaultCountry,
        Op::RotatePbxToken,
        Op::CreateTeam,
        Op::CreateUser,
        Op::AuditLog,
        Op::ListTokens,
        Op::CreateToken,
        Op::RestMe,
        Op::RestListContacts,
        Op::RestCreateContact,
        Op::RestListDeals,
        Op::RestCreateDeal,
        Op::RestMoveDeal,
        Op::RestRestoreContact,
        Op::RestLogActivity,
        Op::RestMyTasks,
    ];

    fn needs(self) -> Vec<Permission> {
        use Permission::*;
        let rest = |p: &[Permission]| [&[ApiTokensManage], p].concat();
        match self {
            Op::ListContacts
            | Op::GetContact
            | Op::ListCompanies
            | Op::GetCompany
            | Op::ContactTimeline
            | Op::MyTasks => vec![ContactsView],
            Op::CreateContact
            | Op::UpdateContact
            | Op::DeleteContact
            | Op::CreateCompany
            | Op::LogActivity
            | Op::CreateTask => vec![ContactsView, ContactsManage],
            Op::ListDeals | Op::GetDeal | Op::Board | Op::Dashboard => vec![DealsView],
            Op::CreateDeal | Op::MoveDeal | Op::DeleteDeal => vec![DealsView, DealsManage],
            Op::RestoreContact | Op::RestoreCompany | Op::RestoreDeal => vec![RecordsRestore],
            Op::ListCalls => vec![CallsView],
            Op::Console | Op::StartCall => vec![CallsPlace],
            Op::SeeRecording => vec![CallsView, CallsRecordingsView],
            Op::PermissionMatrix
            | Op::CreatePipeline
            | Op::CreateDisposition
            | Op::SetDefaultCountry
            | Op::RotatePbxToken => vec![SettingsManage],
            Op::CreateTeam | Op::CreateUser => vec![UsersManage],
            Op::AuditLog => vec![AuditView],
            Op::ListTokens | Op::CreateToken | Op::RestMe => vec![ApiTokensManage],
            Op::RestListContacts | Op::RestMyTasks => rest(&[ContactsView]),
            Op::RestCreateContact | Op::RestLogActivity => rest(&[ContactsView, ContactsManage]),
            Op::RestListDeals => rest(&[DealsView]),
            Op::RestCreateDeal | Op::RestMoveDeal => rest(&[DealsView, DealsManage]),
            Op::RestRestoreContact => rest(&[RecordsRestore]),
        }
    }
}

/// The walker (a supervisor whose role the admin edits), the admin, and the records they use.
struct World {
    app: TestApp,
    admin: reqwest::Client,
    walker: reqwest::Client,
    walker_id: String,
    admin_api: ApiClient,
    walker_api: ApiClient,
    contact: String,
    company: String,
    deal: String,
    pipeline: String,
    recorded_call: i64,
    seq: AtomicUsize,
}

#[test]
fn every_permission_has_an_operation_in_the_walk() {
    for permission in Permission::ALL {
        assert!(
            Op::ALL.iter().any(|op| op.needs().contains(&permission)),
            "{permission} guards nothing the walk tries"
        );
    }
}
