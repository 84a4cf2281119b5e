//! The OpenAPI document against the routes that serve it: every documented operation exists,
//! answers only statuses it documents, and needs a token; and every route that takes an id
//! learns nothing about another tenant's records. Every operation documents the errors its shape
//! can answer, and bodies that are not JSON objects get the API's JSON errors.

use crate::harness::{registered_admin, ApiClient, TestApp};
use reqwest::Method;
use serde_json::{json, Value};

const NO_SUCH_ID: &str = "987654321";

async fn document(app: &TestApp) -> Value {
    let response = reqwest::get(app.url("/api/v1/openapi.json"))
        .await
        .expect("request");
    assert_eq!(response.status(), 200);
    response.json().await.expect("the document is JSON")
}

/// Every (method, path) the document lists.
fn operations(doc: &Value) -> Vec<(Method, String)> {
    let mut found = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("path item").keys() {
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
            found.push((method, path.clone()));
        }
    }
    found
}

/// A body that gets past the JSON extractor to the record lookup.
fn body_for(method: &Method, path: &str) -> Option<Value> {
    match (method.as_str(), path) {
        ("PATCH", "/api/v1/deals/{id}") => Some(json!({"version": 1})),
        ("POST", "/api/v1/deals/{id}/move") => Some(json!({"stage_id": 1, "version": 1})),
        ("PATCH", "/api/v1/tasks/{id}") => Some(json!({"status": "completed"})),
        ("POST" | "PATCH" | "PUT", _) => Some(json!({})),
        _ => None,
    }
}

async fn admin_api(app: &TestApp, company: &str) -> ApiClient {
    let email = format!("admin@{}.example", company.to_lowercase());
    let browser = registered_admin(app, company, &email).await;
    app.api(&app.api_token(&browser).await)
}

db_test!(the_openapi_document_matches_the_routes, |app| {
    let doc = document(&app).await;
    assert!(doc["openapi"].as_str().expect("version").starts_with("3."));
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    let listed = operations(&doc);
    for (method, path) in [
        (Method::GET, "/api/v1/deals"),
        (Method::POST, "/api/v1/deals"),
        (Method::PATCH, "/api/v1/deals/{id}"),
        (Method::DELETE, "/api/v1/deals/{id}"),
        (Method::POST, "/api/v1/deals/{id}/move"),
        (Method::POST, "/api/v1/activities"),
        (Method::GET, "/api/v1/contacts/{id}/timeline"),
        (Method::GET, "/api/v1/companies/{id}/timeline"),
        (Method::GET, "/api/v1/contacts"),
        (Method::GET, "/api/v1/companies"),
        (Method::GET, "/api/v1/tasks"),
        (Method::GET, "/api/v1/pipelines"),
    ] {
        assert!(
            listed.iter().any(|(m, p)| *m == method && p == path),
            "{method} {path} is not documented"
        );
    }

    let api = admin_api(&app, "Alpha").await;
    let anonymous = app.api("");
    for (method, path) in &listed {
        let concrete = path.replace("{id}", NO_SUCH_ID);
        let route = concrete.trim_start_matches("/api/v1");
        let body = body_for(method, path);
        let (status, answer) = api.send(method.clone(), route, body.clone()).await;
        assert_ne!(
            answer["error"]["code"], "route_not_found",
            "{method} {path} is documented but not routed"
        );
        assert_ne!(status, 405, "{method} {path} is documented but not routed");
        let documented = &doc["paths"][path][method.as_str().to_lowercase()]["responses"];
        assert!(
            documented.get(status.to_string()).is_some(),
            "{method} {path} answered {status}, which it does not document: {answer}"
        );
        let (status, _) = anonymous.send(method.clone(), route, body).await;
        assert_eq!(status, 401, "{method} {path} without a token");
        assert!(
            documented.get("401").is_some(),
            "{method} {path} does not document 401"
        );
    }

    let (status, answer) = api.get("/no-such-thing").await;
    assert_eq!(status, 404);
    assert_eq!(answer["error"]["code"], "route_not_found");
    let (status, answer) = api.send(Method::PUT, "/deals", Some(json!({}))).await;
    assert_eq!(status, 405);
    assert_eq!(answer["error"]["code"], "method_not_allowed");
});

db_test!(rest_routes_learn_nothing_about_another_tenants_ids, |app| {
    let a = admin_api(&app, "Alpha").await;
    let b = admin_api(&app, "Beta").await;
    let (_, contact) = b
        .post(
            "/contacts",
            json!({"name": "Bea's Lead", "email": "lead@beta.example"}),
        )
        .await;
    let (_, company) = b.post("/companies", json!({"name": "Beta Corp"})).await;
    let (_, deal) = b
        .post(
            "/deals",
            json!({"title": "Beta Deal", "contact_id": contact["id"]}),
        )
        .await;
    let (_, task) = b
        .post(
            "/tasks",
            json!({"title": "Beta Task", "due_at": "2026-12-01T09:00:00Z"}),
        )
        .await;
    let id_of = |segment: &str| -> String {
        let record = match segment {
            "deals" => &deal,
            "contacts" => &contact,
            "companies" => &company,
            "tasks" => &task,
            other => panic!("no tenant B record to probe /api/v1/{other}/{{id}} with; add one"),
        };
        record["id"].as_i64().expect("B's record").to_string()
    };

    let doc = document(&app).await;
    let mut probed = 0;
    for (method, path) in operations(&doc) {
        if !path.contains("{id}") {
            continue;
        }
        let segment = path
            .trim_start_matches("/api/v1/")
            .split('/')
            .next()
            .unwrap_or_default();
        let foreign = path.replace("{id}", &id_of(segment));
        let missing = path.replace("{id}", NO_SUCH_ID);
        let body = body_for(&method, &path);
        let (status, answer) = a
            .send(
                method.clone(),
                foreign.trim_start_matches("/api/v1"),
                body.clone(),
            )
            .await;
        let (missing_status, missing_answer) = a
            .send(method.clone(), missing.trim_start_matches("/api/v1"), body)
            .await;
        assert_eq!(
            (status, &answer),
            (missing_status, &missing_answer),
            "{method} {path}: B's id must look like no id at all"
        );
        assert_eq!(status, 404, "{method} {path}: {answer}");
        probed += 1;
    }
    assert!(probed >= 12, "only {probed} routes with ids were probed");

    // Ids inside bodies: a link to B's record is refused exactly like a link to no record.
    for (path, field, record) in [
        ("/deals", "contact_id", &contact),
        ("/deals", "company_id", &company),
        ("/activities", "deal_id", &deal),
        ("/tasks", "contact_id", &contact),
        ("/contacts", "company_id", &company),
    ] {
        let mut body = json!({"title": "Probe", "name": "Probe", "kind": "note", "body": "x", "due_at": "2026-12-01T09:00:00Z"});
        // Only the fields this resource takes.
        let keep: &[&str] = match path {
            "/deals" => &["title"],
            "/activities" => &["kind", "body"],
            "/tasks" => &["title", "due_at"],
            _ => &["name"],
        };
        body.as_object_mut()
            .expect("object")
            .retain(|k, _| keep.contains(&k.as_str()));
        let mut foreign = body.clone();
        foreign[field] = record["id"].clone();
        let mut missing = body;
        missing[field] = json!(987_654_321);
        let answer = a.post(path, foreign).await;
        assert_eq!(answer, a.post(path, missing).await, "{path} {field}");
        assert_eq!(answer.0, 422, "{path} {field}: {}", answer.1);
    }

    // B's records are as B left them.
    let (_, still) = b.get(&format!("/deals/{}", deal["id"])).await;
    assert_eq!(
        (still["title"].as_str(), still["version"].as_i64()),
        (Some("Beta Deal"), Some(1))
    );
    let (_, still) = b.get(&format!("/tasks/{}", task["id"])).await;
    assert_eq!(still["status"], "pending");
    let (status, _) = b.get(&format!("/contacts/{}", contact["id"])).await;
    assert_eq!(status, 200);
});

/// Every `$ref` in `value` names something the document defines.
fn unresolved_refs(doc: &Value, value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(fields) => {
            if let Some(Value::String(target)) = fields.get("$ref") {
                let pointer = target.trim_start_matches('#');
                if doc.pointer(pointer).is_none() {
                    found.push(target.clone());
                }
            }
            fields.values().for_each(|v| unresolved_refs(doc, v, found));
        }
        Value::Array(items) => items.iter().for_each(|v| unresolved_refs(doc, v, found)),
        _ => {}
    }
}

db_test!(
    every_operation_documents_the_errors_its_shape_can_answer,
    |app| {
        let doc = document(&app).await;
        let mut missing = Vec::new();
        unresolved_refs(&doc, &doc, &mut missing);
        assert!(missing.is_empty(), "unresolvable references: {missing:?}");

        for (method, path) in operations(&doc) {
            let operation = &doc["paths"][&path][method.as_str().to_lowercase()];
            let documents = |status: &str| operation["responses"].get(status).is_some();
            let params = operation["parameters"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let takes = |place: &str| params.iter().any(|p| p["in"] == place);
            let body = operation.get("requestBody").is_some();
            // Every operation may be rate limited; a personal token's user may lack a
            // permission (403), the PBX token (own security) has no roles.
            let mut expected = vec!["401", "429"];
            if operation.get("security").is_none() {
                expected.push("403");
            }
            if takes("path") {
                expected.push("404");
            }
            if body {
                expected.extend(["400", "415", "422"]);
            } else if takes("query") {
                expected.push("422");
            }
            for status in expected {
                assert!(
                    documents(status),
                    "{method} {path} does not document {status}"
                );
            }
            if body {
                // Every body refuses fields it does not know, and says so.
                let schema = &operation["requestBody"]["content"]["application/json"]["schema"];
                let name = schema["$ref"].as_str().expect("a named body schema");
                let schema = doc.pointer(name.trim_start_matches('#')).expect("defined");
                assert_eq!(
                    schema["additionalProperties"], false,
                    "{method} {path}: {name} does not say it refuses unknown fields"
                );
            }
        }
    }
);

db_test!(
    bodies_that_are_not_json_objects_get_the_apis_json_errors,
    |app| {
        let email = "admin@shapes.example";
        let browser = registered_admin(&app, "Shapes", email).await;
        let token = app.api_token(&browser).await;
        let http = reqwest::Client::new();
        let send = |content_type: &'static str, body: &'static str| {
            http.post(app.url("/api/v1/contacts"))
                .bearer_auth(&token)
                .header("content-type", content_type)
                .body(body)
                .send()
        };
        for (content_type, body, status, code) in [
            (
                "text/plain",
                r#"{"name": "Ann"}"#,
                415,
                "unsupported_media_type",
            ),
            ("application/json", "{not json", 400, "bad_request"),
            ("application/json", r#"["Ann"]"#, 422, "validation_failed"),
            (
                "application/json",
                r#"{"name": "Ann", "nmae": "x"}"#,
                422,
                "validation_failed",
            ),
        ] {
            let response = send(content_type, body).await.expect("request");
            assert_eq!(response.status(), status, "{content_type} {body}");
            let answer: Value = response.json().await.expect("a JSON error");
            assert_eq!(
                answer["error"]["code"], code,
                "{content_type} {body}: {answer}"
            );
            assert!(answer["error"]["fields"].is_object(), "{answer}");
        }
        // A whole number written with a fraction is still an integer.
        let api = app.api(&token);
        let (status, deal) = api
            .post("/deals", json!({"title": "Floaty", "amount_minor": 1200.0}))
            .await;
        assert_eq!(status, 201, "{deal}");
        assert_eq!(deal["amount_minor"], 1200);
    }
);

db_test!(
    restoring_a_record_that_is_not_deleted_answers_it_unchanged,
    |app| {
        let api = admin_api(&app, "Alpha").await;
        let (_, contact) = api.post("/contacts", json!({"name": "Live Lead"})).await;
        let id = contact["id"].as_i64().expect("id");
        let (status, restored) = api
            .post(&format!("/contacts/{id}/restore"), json!({}))
            .await;
        assert_eq!(status, 200, "{restored}");
        assert_eq!(
            restored["updated_at"], contact["updated_at"],
            "nothing was written"
        );
        let (status, _) = api
            .post(&format!("/contacts/{NO_SUCH_ID}/restore"), json!({}))
            .await;
        assert_eq!(status, 404);
    }
);
