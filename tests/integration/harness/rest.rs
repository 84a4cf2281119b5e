//! The REST API client (`/api/v1`, JSON and a bearer token) and the API tokens it uses.

use super::*;

/// A REST API client: JSON in and out, with a bearer token.
pub struct ApiClient {
    base: String,
    token: String,
    http: reqwest::Client,
}

impl ApiClient {
    /// Sends `method path` with an optional JSON body: the status and the JSON answer (Null when
    /// there is none).
    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> (u16, serde_json::Value) {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("request failed");
        let status = response.status().as_u16();
        let text = response.text().await.unwrap_or_default();
        (
            status,
            serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
        )
    }

    pub async fn get(&self, path: &str) -> (u16, serde_json::Value) {
        self.send(reqwest::Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: serde_json::Value) -> (u16, serde_json::Value) {
        self.send(reqwest::Method::POST, path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: serde_json::Value) -> (u16, serde_json::Value) {
        self.send(reqwest::Method::PATCH, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> (u16, serde_json::Value) {
        self.send(reqwest::Method::DELETE, path, None).await
    }
}

impl TestApp {
    /// Makes an API token for the user `browser` is signed in as, through the account page's
    /// server function, and returns its secret.
    pub async fn api_token(&self, browser: &reqwest::Client) -> String {
        let (status, body) = self
            .call(
                browser,
                "/api/api_tokens/create",
                &[("name", "test integration")],
            )
            .await;
        assert_eq!(status, 200, "creating an API token: {body}");
        body["secret"].as_str().expect("secret").to_string()
    }

    /// A REST client for `/api/v1` with `token`.
    pub fn api(&self, token: &str) -> ApiClient {
        ApiClient {
            base: self.url("/api/v1"),
            token: token.to_string(),
            http: reqwest::Client::new(),
        }
    }
}
