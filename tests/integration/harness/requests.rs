//! Talking to the app like a browser: forms, server-function calls, registering, signing in.

use super::*;

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request failed")
    }

    /// Posts a form the way the browser does (same-origin `Origin` header, the app's cookies).
    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.post_form_as(&self.client, path, form).await
    }

    pub async fn post_form_as(
        &self,
        client: &reqwest::Client,
        path: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        client
            .post(self.url(path))
            .header("Origin", format!("http://{}", self.address))
            .form(form)
            .send()
            .await
            .expect("request failed")
    }

    /// Calls a server function as `client`: the status and the JSON body (Null when there is none).
    pub async fn call(
        &self,
        client: &reqwest::Client,
        path: &str,
        form: &[(&str, &str)],
    ) -> (u16, serde_json::Value) {
        let response = self.post_form_as(client, path, form).await;
        let status = response.status().as_u16();
        (
            status,
            response.json().await.unwrap_or(serde_json::Value::Null),
        )
    }

    /// Like `call`, with every field nested under `prefix` (`form[name]=…`), as struct arguments
    /// of server functions arrive.
    pub async fn call_nested(
        &self,
        client: &reqwest::Client,
        path: &str,
        prefix: &str,
        fields: &[(&str, &str)],
    ) -> (u16, serde_json::Value) {
        let named: Vec<(String, &str)> = fields
            .iter()
            .map(|(k, v)| (format!("{prefix}[{k}]"), *v))
            .collect();
        let form: Vec<(&str, &str)> = named.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        self.call(client, path, &form).await
    }

    /// Creates a `kind` record (`contacts`, `companies`, `deals`) as `client` through its
    /// server function and returns its id.
    pub async fn created(
        &self,
        client: &reqwest::Client,
        kind: &str,
        fields: &[(&str, &str)],
    ) -> i64 {
        let (status, body) = self
            .call_nested(client, &format!("/api/{kind}/create"), "form", fields)
            .await;
        assert_eq!(status, 200, "creating {kind}: {body}");
        body["id"].as_i64().expect("id")
    }

    /// Creates a user as `admin` and returns a browser signed in as them.
    pub async fn user_signed_in(
        &self,
        admin: &reqwest::Client,
        email: &str,
        role: &str,
        team_id: &str,
    ) -> reqwest::Client {
        let form = [
            ("name", email),
            ("email", email),
            ("role", role),
            ("team_id", team_id),
            ("temporary_password", TEST_PASSWORD),
        ];
        let (status, body) = self.call(admin, "/api/users/create", &form).await;
        assert_eq!(status, 200, "creating {email}: {body}");
        let browser = new_browser();
        let (status, body) = self
            .call(
                &browser,
                "/api/auth/sign_in",
                &[("email", email), ("password", TEST_PASSWORD)],
            )
            .await;
        assert_eq!(status, 200, "signing in {email}: {body}");
        browser
    }
}

/// The password every test account gets.
pub const TEST_PASSWORD: &str = "a strong password";

/// Registers a company through the real endpoint, signing `client` in as its admin.
pub async fn register_company(
    app: &TestApp,
    client: &reqwest::Client,
    company: &str,
    email: &str,
) -> reqwest::Response {
    let form = [
        ("company_name", company),
        ("admin_name", "Ana Admin"),
        ("email", email),
        ("password", TEST_PASSWORD),
    ];
    app.post_form_as(client, "/api/auth/register", &form).await
}

/// A fresh browser signed in as the admin of a newly registered company.
pub async fn registered_admin(app: &TestApp, company: &str, email: &str) -> reqwest::Client {
    let browser = new_browser();
    let response = register_company(app, &browser, company, email).await;
    assert_eq!(response.status(), 200, "registering {company}");
    browser
}

/// A client that keeps cookies, like one browser.
pub fn new_browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}
