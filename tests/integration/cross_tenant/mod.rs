//! The cross-tenant probe: tenant A's admin sends tenant B's ids to every route that takes an id
//! and must learn nothing — the answer is the same as for an id that does not exist.
//!
//! `ID_TAKING` and `NO_ID` together must list every server function; a new one fails
//! `every_server_function_is_classified` until it is added here (and so probed).

use crate::harness::TestApp;
use serde_json::Value;
use std::collections::BTreeSet;

mod probe;

const PASSWORD: &str = crate::harness::TEST_PASSWORD;
const NO_SUCH_ID: &str = "987654321";

/// The kinds of tenant B records the probe aims at.
#[derive(Clone, Copy)]
enum Kind {
    User,
    Team,
    Contact,
    Company,
    Deal,
    Stage,
    Pipeline,
    Task,
    ApiToken,
    Disposition,
    Call,
    Notification,
    Job,
}

/// A route probed with a foreign id: its path, the field that carries the id, whose id it is,
/// and the other fields.
type Probe = (
    &'static str,
    &'static str,
    Kind,
    &'static [(&'static str, &'static str)],
);

const ID_TAKING: &[Probe] = &[
    (
        "/api/calls/event",
        "id",
        Kind::Call,
        &[("event", "hang_up")],
    ),
    (
        "/api/calls/wrap_up",
        "id",
        Kind::Call,
        &[("form[disposition_id]", "1")],
    ),
    (
        "/api/calls/start",
        "form[related_id]",
        Kind::Contact,
        &[
            ("form[number]", "+4930123456"),
            ("form[related_type]", "contact"),
        ],
    ),
    (
        "/api/calls/start",
        "form[related_id]",
        Kind::Deal,
        &[
            ("form[number]", "+4930123456"),
            ("form[related_type]", "deal"),
        ],
    ),
    ("/api/calls/list", "filter[user_id]", Kind::User, &[]),
    (
        "/api/calls/list",
        "filter[disposition_id]",
        Kind::Disposition,
        &[],
    ),
    ("/api/api_tokens/revoke", "id", Kind::ApiToken, &[]),
    ("/api/deals/list", "filter[stage_id]", Kind::Stage, &[]),
    // Lists filter by ids too: another tenant's id must find exactly what no id finds.
    ("/api/contacts/list", "filter[owner_id]", Kind::User, &[]),
    (
        "/api/contacts/list",
        "filter[company_id]",
        Kind::Company,
        &[],
    ),
    ("/api/companies/list", "filter[owner_id]", Kind::User, &[]),
    ("/api/audit/list", "filter[actor_id]", Kind::User, &[]),
    (
        "/api/audit/list",
        "filter[entity_id]",
        Kind::Contact,
        &[("filter[entity_type]", "contact")],
    ),
    (
        "/api/audit/list",
        "filter[entity_id]",
        Kind::User,
        &[("filter[entity_type]", "user")],
    ),
    ("/api/deals/list", "filter[contact_id]", Kind::Contact, &[]),
    ("/api/deals/delete", "id", Kind::Deal, &[]),
    ("/api/deals/restore", "id", Kind::Deal, &[]),
    (
        "/api/stages/update",
        "id",
        Kind::Stage,
        &[("form[name]", "Probe")],
    ),
    ("/api/stages/delete", "id", Kind::Stage, &[]),
    (
        "/api/pipelines/rename",
        "id",
        Kind::Pipeline,
        &[("name", "Probe")],
    ),
    (
        "/api/dispositions/update",
        "id",
        Kind::Disposition,
        &[("form[name]", "Probe")],
    ),
    (
        "/api/dispositions/set_default",
        "id",
        Kind::Disposition,
        &[],
    ),
    ("/api/dispositions/delete", "id", Kind::Disposition, &[]),
    // Must list the actor's own dispositions: a foreign id is refused like a made-up one.
    (
        "/api/dispositions/reorder",
        "ids[0]",
        Kind::Disposition,
        &[],
    ),
    (
        "/api/stages/create",
        "pipeline_id",
        Kind::Pipeline,
        &[("form[name]", "Probe")],
    ),
    (
        "/api/stages/reorder",
        "pipeline_id",
        Kind::Pipeline,
        &[("stage_ids[0]", "1")],
    ),
    (
        "/api/tasks/set_status",
        "id",
        Kind::Task,
        &[("status", "completed")],
    ),
    (
        "/api/tasks/create",
        "form[contact_id]",
        Kind::Contact,
        &[
            ("form[title]", "Probe"),
            ("form[due_at]", "2026-12-01T09:00:00Z"),
        ],
    ),
    (
        "/api/tasks/create",
        "form[deal_id]",
        Kind::Deal,
        &[
            ("form[title]", "Probe"),
            ("form[due_at]", "2026-12-01T09:00:00Z"),
        ],
    ),
    (
        "/api/tasks/create",
        "form[assignee_id]",
        Kind::User,
        &[
            ("form[title]", "Probe"),
            ("form[due_at]", "2026-12-01T09:00:00Z"),
        ],
    ),
    (
        "/api/tasks/update",
        "id",
        Kind::Task,
        &[
            ("form[title]", "Probe"),
            ("form[due_at]", "2026-12-01T09:00:00Z"),
        ],
    ),
    ("/api/tasks/open", "link[contact_id]", Kind::Contact, &[]),
    ("/api/tasks/open", "link[deal_id]", Kind::Deal, &[]),
    ("/api/tasks/open", "link[company_id]", Kind::Company, &[]),
    (
        "/api/trash/what_goes_with",
        "id",
        Kind::Contact,
        &[("kind", "contact")],
    ),
    (
        "/api/trash/what_goes_with",
        "id",
        Kind::Company,
        &[("kind", "company")],
    ),
    (
        "/api/trash/what_goes_with",
        "id",
        Kind::Deal,
        &[("kind", "deal")],
    ),
    ("/api/deals/get", "id", Kind::Deal, &[]),
    (
        "/api/activities/timeline",
        "id",
        Kind::Deal,
        &[("of", "deal")],
    ),
    (
        "/api/activities/timeline",
        "id",
        Kind::Contact,
        &[("of", "contact")],
    ),
    (
        "/api/activities/timeline",
        "id",
        Kind::Company,
        &[("of", "company")],
    ),
    (
        "/api/activities/log",
        "form[deal_id]",
        Kind::Deal,
        &[("form[kind]", "note"), ("form[body]", "x")],
    ),
    (
        "/api/activities/log",
        "form[contact_id]",
        Kind::Contact,
        &[("form[kind]", "note"), ("form[body]", "x")],
    ),
    (
        "/api/activities/log",
        "form[company_id]",
        Kind::Company,
        &[("form[kind]", "note"), ("form[body]", "x")],
    ),
    (
        "/api/deals/update",
        "id",
        Kind::Deal,
        &[("version", "1"), ("form[title]", "Probe")],
    ),
    (
        "/api/deals/move",
        "id",
        Kind::Deal,
        &[("to[stage_id]", "1"), ("to[version]", "1")],
    ),
    (
        "/api/deals/create",
        "form[contact_id]",
        Kind::Contact,
        &[("form[title]", "Probe")],
    ),
    (
        "/api/deals/create",
        "form[company_id]",
        Kind::Company,
        &[("form[title]", "Probe")],
    ),
    (
        "/api/deals/create",
        "form[stage_id]",
        Kind::Stage,
        &[("form[title]", "Probe")],
    ),
    ("/api/deals/board", "pipeline_id", Kind::Pipeline, &[]),
    (
        "/api/deals/board_column",
        "stage_id",
        Kind::Stage,
        &[("cursor", "p0.0")],
    ),
    ("/api/reports/dashboard", "pipeline_id", Kind::Pipeline, &[]),
    ("/api/companies/get", "id", Kind::Company, &[]),
    (
        "/api/companies/update",
        "id",
        Kind::Company,
        &[("form[name]", "Probe")],
    ),
    ("/api/companies/delete", "id", Kind::Company, &[]),
    ("/api/companies/restore", "id", Kind::Company, &[]),
    ("/api/contacts/get", "id", Kind::Contact, &[]),
    // Owner 1 is tenant A's admin, a valid owner, so only the id can fail.
    (
        "/api/contacts/assign_owner",
        "ids[0]",
        Kind::Contact,
        &[("owner_id", "1")],
    ),
    (
        "/api/companies/assign_owner",
        "ids[0]",
        Kind::Company,
        &[("owner_id", "1")],
    ),
    (
        "/api/deals/assign_owner",
        "ids[0]",
        Kind::Deal,
        &[("owner_id", "1")],
    ),
    (
        "/api/contacts/update",
        "id",
        Kind::Contact,
        &[("form[name]", "Probe")],
    ),
    ("/api/contacts/delete", "id", Kind::Contact, &[]),
    ("/api/contacts/restore", "id", Kind::Contact, &[]),
    (
        "/api/contacts/create",
        "form[company_id]",
        Kind::Company,
        &[("form[name]", "Probe")],
    ),
    (
        "/api/notifications/mark_read",
        "id",
        Kind::Notification,
        &[],
    ),
    ("/api/jobs/retry", "id", Kind::Job, &[]),
    ("/api/jobs/discard", "id", Kind::Job, &[]),
    (
        "/api/users/update",
        "user_id",
        Kind::User,
        &[("role", "sales_agent"), ("team_id", "")],
    ),
    (
        "/api/users/set_active",
        "user_id",
        Kind::User,
        &[("active", "false")],
    ),
    (
        "/api/users/create",
        "team_id",
        Kind::Team,
        &[
            ("name", "Probe"),
            ("email", "probe@a.example"),
            ("role", "sales_agent"),
            ("temporary_password", PASSWORD),
        ],
    ),
];

/// Server functions that take no record id.
const NO_ID: &[&str] = &[
    "/api/auth/current_user",
    // Only ever the actor's own tokens.
    "/api/api_tokens/list",
    "/api/api_tokens/create",
    "/api/auth/sign_in",
    "/api/auth/sign_out",
    "/api/auth/register",
    "/api/status/installation",
    "/api/users/list",
    "/api/users/change_password",
    // Only ever the actor's own preferences and tenant's settings.
    "/api/users/preferences",
    "/api/users/update_preferences",
    "/api/tenant/settings",
    "/api/tenant/update_settings",
    "/api/teams/list",
    "/api/teams/create",
    "/api/permissions/matrix",
    "/api/permissions/set",
    "/api/companies/create",
    "/api/pipelines/list",
    "/api/tasks/mine",
    // Only ever the actor's own tenant's records and users (tests/search.rs).
    "/api/search/everything",
    "/api/search/pick",
    // Only ever the actor's own tenant's deleted records (tests/trash.rs).
    "/api/trash/recently_deleted",
    "/api/pipelines/create",
    // Only ever the actor's own tenant's dispositions.
    "/api/dispositions/list",
    "/api/dispositions/create",
    // Only ever the actor's own calls and tenant.
    "/api/calls/console",
    "/api/calls/default_country",
    "/api/calls/set_default_country",
    // Only ever the actor's own tenant's PBX tokens (tests/calls.rs: revoking leaves another
    // tenant's working).
    "/api/pbx_tokens/list",
    "/api/pbx_tokens/rotate",
    "/api/pbx_tokens/revoke",
    // Only ever the actor's own inbox and mutes (tests/notifications).
    "/api/notifications/inbox",
    "/api/notifications/mark_all_read",
    "/api/notifications/kinds",
    "/api/notifications/set_muted",
    // Only ever the actor's own tenant's jobs (tests/jobs/admin.rs) and status rules.
    "/api/jobs/list",
    "/api/contacts/status_rules",
    "/api/contacts/update_status_rules",
];
