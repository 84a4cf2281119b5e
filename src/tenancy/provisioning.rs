//! What every new tenant starts with: the default role permissions, a sales pipeline with six
//! stages and six call dispositions. [`super::store::TenantStore::provision_tenant_defaults`]
//! writes them inside the transaction that creates the tenant.

pub struct DefaultStage {
    pub name: &'static str,
    pub color: &'static str,
    pub probability: i32,
    pub is_default: bool,
    pub is_won: bool,
    pub is_lost: bool,
    pub requires_note: bool,
}

const fn stage(name: &'static str, color: &'static str, probability: i32) -> DefaultStage {
    DefaultStage {
        name,
        color,
        probability,
        is_default: false,
        is_won: false,
        is_lost: false,
        requires_note: false,
    }
}

pub const DEFAULT_PIPELINE: &str = "Sales pipeline";

pub const DEFAULT_STAGES: [DefaultStage; 6] = [
    DefaultStage {
        is_default: true,
        ..stage("New", "#64748b", 10)
    },
    stage("Qualified", "#0ea5e9", 25),
    stage("Proposal", "#6366f1", 50),
    stage("Negotiation", "#f59e0b", 75),
    DefaultStage {
        is_won: true,
        ..stage("Won", "#16a34a", 100)
    },
    // Losing a deal asks why, so the team can learn from it.
    DefaultStage {
        is_lost: true,
        requires_note: true,
        ..stage("Lost", "#dc2626", 0)
    },
];

/// (name, is_default, requires_note)
pub const DEFAULT_DISPOSITIONS: [(&str, bool, bool); 6] = [
    ("Connected", true, false),
    ("No answer", false, false),
    ("Busy", false, false),
    ("Voicemail", false, false),
    ("Wrong number", false, false),
    ("Callback requested", false, true),
];
