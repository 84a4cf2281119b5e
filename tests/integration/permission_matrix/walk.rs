//! The walk: the walker's world, each operation run as them, every permission revoked in turn.

use super::*;

impl World {
    fn unique(&self, what: &str) -> String {
        format!("{what} {}", self.seq.fetch_add(1, Ordering::Relaxed))
    }

    async fn set(&self, permission: Permission, granted: bool) {
        let granted = granted.to_string();
        let (status, body) = self
            .app
            .call(
                &self.admin,
                "/api/permissions/set",
                &[
                    ("role", ROLE),
                    ("permission", permission.as_str()),
                    ("granted", &granted),
                ],
            )
            .await;
        assert_eq!(status, 200, "{permission} → {granted}: {body}");
    }

    /// A record owned by the walker, made by the admin (whose own permissions never change).
    async fn owned(&self, kind: &str) -> String {
        let name = self.unique(kind);
        let field = if kind == "deals" { "title" } else { "name" };
        self.app
            .created(
                &self.admin,
                kind,
                &[(field, &name), ("owner_id", &self.walker_id)],
            )
            .await
            .to_string()
    }

    async fn deleted(&self, kind: &str) -> String {
        let id = self.owned(kind).await;
        let (status, body) = self
            .app
            .call(&self.admin, &format!("/api/{kind}/delete"), &[("id", &id)])
            .await;
        assert_eq!(status, 200, "deleting {kind} {id}: {body}");
        id
    }

    async fn deal_version(&self) -> String {
        let (status, deal) = self.admin_api.get(&format!("/deals/{}", self.deal)).await;
        assert_eq!(status, 200, "{deal}");
        deal["version"].to_string()
    }

    async fn first_stage(&self) -> String {
        let (_, pipelines) = self.app.call(&self.admin, "/api/pipelines/list", &[]).await;
        pipelines[0]["stages"][0]["id"].to_string()
    }

    async fn ui(&self, path: &str, form: &[(&str, &str)]) -> (u16, Value) {
        self.app.call(&self.walker, path, form).await
    }

    async fn ui_form(&self, path: &str, fields: &[(&str, &str)]) -> (u16, Value) {
        self.app
            .call_nested(&self.walker, path, "form", fields)
            .await
    }

    /// Runs `op` as the walker: its status (and body, for the message).
    async fn run(&self, op: Op) -> (u16, Value) {
        let api = &self.walker_api;
        match op {
            Op::ListContacts => self.ui("/api/contacts/list", &[]).await,
            Op::GetContact => self.ui("/api/contacts/get", &[("id", &self.contact)]).await,
            Op::ListCompanies => self.ui("/api/companies/list", &[]).await,
            Op::GetCompany => {
                self.ui("/api/companies/get", &[("id", &self.company)])
                    .await
            }
            Op::ContactTimeline => {
                self.ui(
                    "/api/activities/timeline",
                    &[("of", "contact"), ("id", &self.contact)],
                )
                .await
            }
            Op::MyTasks => self.ui("/api/tasks/mine", &[]).await,
            Op::CreateContact => {
                let name = self.unique("Contact");
                self.ui_form("/api/contacts/create", &[("name", &name)])
                    .await
            }
            Op::UpdateContact => {
                let name = self.unique("Renamed");
                let form = [("id", self.contact.as_str()), ("form[name]", &name)];
                self.ui("/api/contacts/update", &form).await
            }
            Op::DeleteContact => {
                let id = self.owned("contacts").await;
                self.ui("/api/contacts/delete", &[("id", &id)]).await
            }
            Op::CreateCompany => {
                let name = self.unique("Company");
                self.ui_form("/api/companies/create", &[("name", &name)])
                    .await
            }
            Op::LogActivity => {
                let fields = [
                    ("kind", "note"),
                    ("body", "Spoke briefly"),
                    ("contact_id", &self.contact),
                ];
                self.ui_form("/api/activities/log", &fields).await
            }
            Op::CreateTask => {
                let fields = [("title", "Call back"), ("due_at", "2030-01-02T09:00:00Z")];
                self.ui_form("/api/tasks/create", &fields).await
            }
            Op::ListDeals => self.ui("/api/deals/list", &[]).await,
            Op::GetDeal => self.ui("/api/deals/get", &[("id", &self.deal)]).await,
            Op::Board => {
                self.ui("/api/deals/board", &[("pipeline_id", &self.pipeline)])
                    .await
            }
            Op::Dashboard => self.ui("/api/reports/dashboard", &[]).await,
            Op::CreateDeal => {
                let title = self.unique("Deal");
                self.ui_form("/api/deals/create", &[("title", &title)])
                    .await
            }
            Op::MoveDeal => {
                let (version, stage) = (self.deal_version().await, self.first_stage().await);
                let form = [
                    ("id", self.deal.as_str()),
                    ("to[stage_id]", &stage),
                    ("to[version]", &version),
                ];
                self.ui("/api/deals/move", &form).await
            }
            Op::DeleteDeal => {
                let id = self.owned("deals").await;
                self.ui("/api/deals/delete", &[("id", &id)]).await
            }
            Op::RestoreContact => {
                let id = self.deleted("contacts").await;
                self.ui("/api/contacts/restore", &[("id", &id)]).await
            }
            Op::RestoreCompany => {
                let id = self.deleted("companies").await;
                self.ui("/api/companies/restore", &[("id", &id)]).await
            }
            Op::RestoreDeal => {
                let id = self.deleted("deals").await;
                self.ui("/api/deals/restore", &[("id", &id)]).await
            }
            Op::ListCalls => self.ui("/api/calls/list", &[]).await,
            Op::Console => self.ui("/api/calls/console", &[]).await,
            // The request id of the call made while setting up: the same call again, not a dial.
            Op::StartCall => {
                let fields = [("number", "+12015550123"), ("request_id", "walk")];
                self.ui_form("/api/calls/start", &fields).await
            }
            // The recording link is blanked, not refused: report a blank link as a 403.
            Op::SeeRecording => {
                let (status, page) = self.ui("/api/calls/list", &[]).await;
                if status != 200 {
                    return (status, page);
                }
                let call = page["calls"]
                    .as_array()
                    .and_then(|items| items.iter().find(|c| c["id"] == self.recorded_call))
                    .cloned()
                    .unwrap_or_else(|| panic!("the recorded call is listed: {page}"));
                let status = if call["recording_url"].is_string() {
                    200
                } else {
                    403
                };
                (status, call)
            }
            Op::PermissionMatrix => self.ui("/api/permissions/matrix", &[]).await,
            Op::CreatePipeline => {
                let name = self.unique("Pipeline");
                self.ui("/api/pipelines/create", &[("name", &name)]).await
            }
            Op::CreateDisposition => {
                let name = self.unique("Disposition");
                self.ui_form("/api/dispositions/create", &[("name", &name)])
                    .await
            }
            Op::SetDefaultCountry => {
                self.ui("/api/calls/set_default_country", &[("country", "US")])
                    .await
            }
            Op::RotatePbxToken => self.ui("/api/pbx_tokens/rotate", &[]).await,
            Op::CreateTeam => {
                let name = self.unique("Team");
                self.ui("/api/teams/create", &[("name", &name)]).await
            }
            Op::CreateUser => {
                let email = format!(
                    "user{}@alpha.example",
                    self.seq.fetch_add(1, Ordering::Relaxed)
                );
                let form = [
                    ("name", "New person"),
                    ("email", email.as_str()),
                    ("role", "sales_agent"),
                    ("team_id", ""),
                    ("temporary_password", crate::harness::TEST_PASSWORD),
                ];
                self.ui("/api/users/create", &form).await
            }
            Op::AuditLog => self.ui("/api/audit/list", &[]).await,
            Op::ListTokens => self.ui("/api/api_tokens/list", &[]).await,
            Op::CreateToken => {
                let (status, body) = self.ui("/api/api_tokens/create", &[("name", "walk")]).await;
                // Revoke it again so the walk stays under the per-user token limit.
                if let Some(id) = body["token"]["id"].as_i64() {
                    let (revoked, answer) = self
                        .ui("/api/api_tokens/revoke", &[("id", &id.to_string())])
                        .await;
                    assert_eq!(revoked, 200, "{answer}");
                }
                (status, body)
            }
            Op::RestMe => api.get("/me").await,
            Op::RestListContacts => api.get("/contacts").await,
            Op::RestCreateContact => {
                let name = self.unique("Rest contact");
                api.post("/contacts", json!({ "name": name })).await
            }
            Op::RestListDeals => api.get("/deals").await,
            Op::RestCreateDeal => {
                let title = self.unique("Rest deal");
                api.post("/deals", json!({ "title": title })).await
            }
            Op::RestMoveDeal => {
                let (version, stage) = (self.deal_version().await, self.first_stage().await);
                let body = json!({"stage_id": stage.parse::<i64>().expect("an id"), "version": version.parse::<i64>().expect("an id")});
                api.post(&format!("/deals/{}/move", self.deal), body).await
            }
            Op::RestRestoreContact => {
                let id = self.deleted("contacts").await;
                api.post(&format!("/contacts/{id}/restore"), json!({}))
                    .await
            }
            Op::RestLogActivity => {
                let contact = self.contact.parse::<i64>().expect("an id");
                let body = json!({"kind": "note", "body": "From the API", "contact_id": contact});
                api.post("/activities", body).await
            }
            Op::RestMyTasks => api.get("/tasks").await,
        }
    }

    /// Every operation: 403 exactly when it needs `missing`, success otherwise.
    async fn check_all(&self, missing: Option<Permission>) {
        for op in Op::ALL {
            let (status, body) = self.run(op).await;
            let refused = missing.is_some_and(|p| op.needs().contains(&p));
            if refused {
                assert_eq!(status, 403, "{op:?} without {missing:?}: {body}");
            } else {
                assert!(
                    (200..300).contains(&status),
                    "{op:?} (missing {missing:?}) answered {status}: {body}"
                );
            }
        }
    }
}

async fn world(app: TestApp) -> World {
    let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
    let walker = app
        .user_signed_in(&admin, "sam@alpha.example", ROLE, "")
        .await;
    let (_, users) = app.call(&admin, "/api/users/list", &[]).await;
    let walker_id = users
        .as_array()
        .and_then(|u| u.iter().find(|u| u["email"] == "sam@alpha.example"))
        .map(|u| u["id"].to_string())
        .unwrap_or_else(|| panic!("sam is listed: {users}"));
    let admin_api = app.api(&app.api_token(&admin).await);
    let mut world = World {
        walker_api: app.api("not yet"),
        admin_api,
        admin,
        walker,
        walker_id,
        contact: String::new(),
        company: String::new(),
        deal: String::new(),
        pipeline: String::new(),
        recorded_call: 0,
        seq: AtomicUsize::new(1),
        app,
    };
    for permission in Permission::ALL {
        world.set(permission, true).await;
    }
    world.walker_api = world.app.api(&world.app.api_token(&world.walker).await);
    world.contact = world.owned("contacts").await;
    world.company = world.owned("companies").await;
    world.deal = world.owned("deals").await;
    let (_, pipelines) = world
        .app
        .call(&world.admin, "/api/pipelines/list", &[])
        .await;
    world.pipeline = pipelines[0]["id"].to_string();
    world.recorded_call = recorded_call(&world).await;
    world
}

/// The walker makes a call (request id "walk") and the PBX attaches a recording to it.
async fn recorded_call(w: &World) -> i64 {
    let fields = [
        ("number", "+12015550123"),
        ("related_type", "contact"),
        ("related_id", w.contact.as_str()),
        ("request_id", "walk"),
    ];
    let (status, call) = w.ui_form("/api/calls/start", &fields).await;
    assert_eq!(status, 200, "{call}");
    let id = call["id"].as_i64().expect("call id");
    for event in ["answer", "hang_up"] {
        let (status, body) = w
            .ui(
                "/api/calls/event",
                &[("id", &id.to_string()), ("event", event)],
            )
            .await;
        assert_eq!(status, 200, "{event}: {body}");
    }
    let (_, dispositions) = w.ui("/api/dispositions/list", &[]).await;
    let disposition = dispositions
        .as_array()
        .and_then(|d| d.iter().find(|d| d["is_default"] == true))
        .map(|d| d["id"].to_string())
        .expect("a default disposition");
    let form = [
        ("id", id.to_string()),
        ("form[disposition_id]", disposition),
        ("form[notes]", String::new()),
    ];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, body) = w.ui("/api/calls/wrap_up", &form).await;
    assert_eq!(status, 200, "{body}");
    let record = json!({"pbx_call_id": "walk-1", "call_id": id, "duration_seconds": 30,
                        "recording_url": "https://pbx.example/r/walk-1.wav"});
    // The PBX posts with the tenant's PBX token, made by the admin.
    let (status, made) = w.app.call(&w.admin, "/api/pbx_tokens/rotate", &[]).await;
    assert_eq!(status, 200, "{made}");
    let pbx = w.app.api(made["secret"].as_str().expect("secret"));
    let (status, body) = pbx.post("/pbx/cdr", record).await;
    assert_eq!(status, 200, "{body}");
    id
}

db_test!(each_permission_guards_exactly_its_operations, |app| {
    let w = world(app).await;
    w.check_all(None).await;
    for permission in Permission::ALL {
        w.set(permission, false).await;
        w.check_all(Some(permission)).await;
        w.set(permission, true).await;
    }
    w.check_all(None).await;
});
