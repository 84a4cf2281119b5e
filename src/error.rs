//! One error type for server functions and the REST API: an HTTP status, a stable code that API
//! clients can switch on, a message fit for the user, and per-field messages for forms.
//! Internal detail (SQL errors and the like) is logged on the server and never sent.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Please sign in.")]
    Unauthorized,
    /// Wrong email or password, a locked account, or an account that may not sign in. The
    /// message never says whether the email exists.
    #[error("{0}")]
    SignInFailed(String),
    #[error("You do not have permission to do that.")]
    Forbidden,
    /// Also the answer for records of another tenant or outside the actor's scope, so existence
    /// does not leak.
    #[error("Not found.")]
    NotFound,
    #[error("{message}")]
    Validation {
        message: String,
        fields: BTreeMap<String, String>,
    },
    #[error("{0}")]
    Conflict(String),
    /// The record changed since the client read it (optimistic locking); `current` is the record
    /// as it is now, so the client can show it and let the user decide.
    #[error("{message}")]
    Stale {
        message: String,
        current: serde_json::Value,
    },
    /// The value of `field` already belongs to record `existing_id`, which the UI links to.
    #[error("{message}")]
    Duplicate {
        field: String,
        message: String,
        existing_id: i64,
    },
    /// A request the API cannot read at all (a body that is not JSON).
    #[error("{0}")]
    BadRequest(String),
    /// A body sent as something other than the JSON the API reads.
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("{0}")]
    TooManyRequests(String),
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
    /// The request did not reach the server function, or its answer could not be read.
    #[error("{0}")]
    Transport(String),
}

impl AppError {
    /// A validation error on one field.
    pub fn invalid(field: &str, reason: impl Into<String>) -> Self {
        let reason = reason.into();
        AppError::Validation {
            message: reason.clone(),
            fields: BTreeMap::from([(field.to_string(), reason)]),
        }
    }

    /// A validation error on several fields; `None` when there are none.
    pub fn from_field_errors(fields: BTreeMap<String, String>) -> Option<Self> {
        if fields.is_empty() {
            return None;
        }
        Some(AppError::Validation {
            message: "Please correct the highlighted fields.".into(),
            fields,
        })
    }

    /// The message with each field's reason (`number: '…' is not a phone number`), for places
    /// with no field to show a reason beside, such as a call button or a form's summary line.
    pub fn explained(&self) -> String {
        match self {
            AppError::Validation { fields, .. } if !fields.is_empty() => fields
                .iter()
                .map(|(f, r)| format!("{}: {r}", f.replace('_', " ")))
                .collect::<Vec<_>>()
                .join("; "),
            other => other.to_string(),
        }
    }

    /// The message for one form field, if this error names it.
    pub fn field(&self, name: &str) -> Option<String> {
        match self {
            AppError::Validation { fields, .. } => fields.get(name).cloned(),
            AppError::Duplicate { field, message, .. } if field == name => Some(message.clone()),
            _ => None,
        }
    }

    pub fn status(&self) -> u16 {
        match self {
            AppError::BadRequest(_) => 400,
            AppError::UnsupportedMediaType(_) => 415,
            AppError::Unauthorized | AppError::SignInFailed(_) => 401,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::Validation { .. } => 422,
            AppError::Conflict(_) | AppError::Duplicate { .. } | AppError::Stale { .. } => 409,
            AppError::TooManyRequests(_) => 429,
            AppError::Internal => 500,
            AppError::Transport(_) => 502,
        }
    }

    /// Stable machine-readable code for API clients.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::BadRequest(_) => "bad_request",
            AppError::UnsupportedMediaType(_) => "unsupported_media_type",
            AppError::Unauthorized => "unauthorized",
            AppError::SignInFailed(_) => "sign_in_failed",
            AppError::Forbidden => "forbidden",
            AppError::NotFound => "not_found",
            AppError::Validation { .. } => "validation_failed",
            AppError::Conflict(_) => "conflict",
            AppError::Duplicate { .. } => "duplicate",
            AppError::Stale { .. } => "stale_version",
            AppError::TooManyRequests(_) => "too_many_requests",
            AppError::Internal => "internal",
            AppError::Transport(_) => "transport",
        }
    }
}

impl leptos::server_fn::error::FromServerFnError for AppError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        use leptos::server_fn::error::ServerFnErrorErr::{Args, MissingArg};
        match value {
            // The request's arguments do not fit the function: the caller's mistake, not ours.
            Args(_) | MissingArg(_) => AppError::BadRequest(value.to_string()),
            _ => AppError::Transport(value.to_string()),
        }
    }
}

#[cfg(feature = "ssr")]
mod server {
    use super::AppError;
    use axum::{
        http::StatusCode,
        response::{IntoResponse, Response},
        Json,
    };

    impl From<sqlx::Error> for AppError {
        fn from(e: sqlx::Error) -> Self {
            tracing::error!(error = %e, "database error");
            AppError::Internal
        }
    }

    impl From<anyhow::Error> for AppError {
        fn from(e: anyhow::Error) -> Self {
            tracing::error!(error = ?e, "internal error");
            AppError::Internal
        }
    }

    impl AppError {
        /// Sets the HTTP status of the server function's response to match this error (server
        /// functions answer 500 for every error otherwise).
        pub fn into_response_status(self) -> Self {
            if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
                response.set_status(
                    StatusCode::from_u16(self.status())
                        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                );
            }
            self
        }
    }

    /// The REST API's error body: `{"error": {"code", "message", "fields"}}`, plus `current`
    /// (the record as it is now) for a stale version and `existing_id` for a duplicate.
    impl IntoResponse for AppError {
        fn into_response(self) -> Response {
            let status =
                StatusCode::from_u16(self.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let fields = match &self {
                AppError::Validation { fields, .. } => fields.clone(),
                AppError::Duplicate { field, message, .. } => {
                    [(field.clone(), message.clone())].into()
                }
                _ => Default::default(),
            };
            let mut error = serde_json::json!({
                "code": self.code(), "message": self.to_string(), "fields": fields
            });
            match self {
                AppError::Stale { current, .. } => error["current"] = current,
                AppError::Duplicate { existing_id, .. } => {
                    error["existing_id"] = existing_id.into()
                }
                _ => {}
            }
            (status, Json(serde_json::json!({ "error": error }))).into_response()
        }
    }

    /// Turns a unique-constraint violation into a 422 on the field it concerns.
    pub trait ResultExt<T> {
        fn on_unique_violation(self, field: &str, reason: &str) -> Result<T, AppError>;
    }

    impl<T> ResultExt<T> for Result<T, sqlx::Error> {
        fn on_unique_violation(self, field: &str, reason: &str) -> Result<T, AppError> {
            self.map_err(|e| match &e {
                sqlx::Error::Database(db) if db.is_unique_violation() => {
                    AppError::invalid(field, reason)
                }
                _ => e.into(),
            })
        }
    }
}

#[cfg(feature = "ssr")]
pub use server::ResultExt;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explained_names_each_field_and_its_reason() {
        let e = AppError::invalid("number", "'030 123' is not a valid phone number");
        assert_eq!(e.to_string(), "'030 123' is not a valid phone number");
        let fields = BTreeMap::from([
            ("number".to_string(), "is required".to_string()),
            ("request_id".to_string(), "is too long".to_string()),
        ]);
        let e = AppError::from_field_errors(fields).expect("two fields");
        assert_eq!(
            e.explained(),
            "number: is required; request id: is too long"
        );
        assert_eq!(
            AppError::NotFound.explained(),
            AppError::NotFound.to_string()
        );
    }

    #[test]
    fn field_errors_carry_field_and_reason() {
        let e = AppError::invalid("email", "is not a valid email address");
        assert_eq!(e.status(), 422);
        assert_eq!(e.code(), "validation_failed");
        assert_eq!(
            e.field("email").as_deref(),
            Some("is not a valid email address")
        );
        assert_eq!(e.field("name"), None);
    }

    #[test]
    fn no_field_errors_is_no_error() {
        assert_eq!(AppError::from_field_errors(BTreeMap::new()), None);
    }

    #[test]
    fn statuses_match_their_meaning() {
        assert_eq!(AppError::Unauthorized.status(), 401);
        assert_eq!(AppError::Forbidden.status(), 403);
        assert_eq!(AppError::NotFound.status(), 404);
        assert_eq!(AppError::Conflict("stale".into()).status(), 409);
        assert_eq!(AppError::TooManyRequests("slow down".into()).status(), 429);
    }
}
