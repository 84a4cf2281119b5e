//! Extractors for the REST API whose failures are the API's JSON errors, naming the field that
//! could not be read, instead of axum's plain-text rejections.

use crate::error::AppError;
use axum::{
    body::Bytes,
    extract::{FromRequest, FromRequestParts, Path, Request},
    http::{header::CONTENT_TYPE, request::Parts},
};
use serde::{de::DeserializeOwned, Deserialize, Deserializer};
use std::collections::BTreeMap;

/// A JSON body.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        let json = request
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|mime| {
                let mime = mime.trim();
                mime == "application/json" || mime.ends_with("+json")
            });
        if !json {
            return Err(AppError::UnsupportedMediaType(
                "Send the body as JSON with `Content-Type: application/json`.".into(),
            ));
        }
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|e| AppError::BadRequest(e.body_text()))?;
        let mut value: serde_json::Value = serde_json::from_slice(&bytes)
            .map_err(|e| AppError::BadRequest(format!("The body is not valid JSON: {e}")))?;
        // serde would also read a struct from an array of its fields in order.
        if !value.is_object() {
            return Err(AppError::invalid("body", "must be a JSON object"));
        }
        whole_numbers_as_integers(&mut value);
        serde_path_to_error::deserialize(value)
            .map(ApiJson)
            .map_err(|e| field_error(&e.path().to_string(), &e.into_inner().to_string()))
    }
}

/// JSON Schema's `integer` is any number without a fraction, `3.0` included, and clients (and
/// their JSON libraries) send it so; serde's integers take only `3`. Whole floats in the range
/// of an `i64` become integers before the body is read.
fn whole_numbers_as_integers(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Number(n) if !(n.is_i64() || n.is_u64()) => {
            if let Some(f) = n.as_f64() {
                // 2^63 is exactly representable; every whole f64 below it in size fits an i64.
                if f.fract() == 0.0 && f.abs() < 9_223_372_036_854_775_808.0 {
                    *n = serde_json::Number::from(f as i64);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(whole_numbers_as_integers),
        serde_json::Value::Object(fields) => {
            fields.values_mut().for_each(whole_numbers_as_integers)
        }
        _ => {}
    }
}

/// A query string.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        let query = parts.uri.query().unwrap_or_default();
        let deserializer =
            serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(deserializer)
            .map(ApiQuery)
            .map_err(|e| field_error(&e.path().to_string(), &e.into_inner().to_string()))
    }
}

/// A record id in the path; anything that is not an id is a record that does not exist.
pub struct RecordId(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for RecordId {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        Path::<i64>::from_request_parts(parts, state)
            .await
            .map(|Path(id)| RecordId(id))
            .map_err(|_| AppError::NotFound)
    }
}

/// serde's message as a 422 on the field it concerns. A missing field is reported at the level
/// above it, so its name comes from the message.
fn field_error(path: &str, message: &str) -> AppError {
    let message = message
        .rfind(" at line ")
        .map_or(message, |at| &message[..at])
        .to_string();
    let named = ["missing field `", "unknown field `"]
        .iter()
        .find_map(|start| message.strip_prefix(start))
        .and_then(|rest| rest.split('`').next());
    let field = match (path, named) {
        (".", Some(name)) => name.to_string(),
        (path, Some(name)) if !path.ends_with(name) => format!("{path}.{name}"),
        (".", None) => "body".to_string(),
        (path, _) => path.to_string(),
    };
    let reason = if message.starts_with("missing field") {
        "is required".to_string()
    } else if message.starts_with("unknown field") {
        "is not a field of this resource".to_string()
    } else {
        message
    };
    AppError::Validation {
        message: format!("{field}: {reason}"),
        fields: BTreeMap::from([(field, reason)]),
    }
}

/// A date or time given as text (`format: date` / `date-time` in the document): absent is "",
/// which the domain reads as none, but a blank value is no date and is refused.
pub fn date_text(field: &str, value: Option<String>) -> Result<String, AppError> {
    match value {
        Some(text) if text.trim().is_empty() => Err(AppError::invalid(
            field,
            "must be a date (and time), or left out",
        )),
        value => Ok(value.unwrap_or_default()),
    }
}

/// For PATCH bodies: tells "absent" (`None`) from "set to null" (`Some(None)`).
pub fn present<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_floats_are_read_as_integers() {
        let mut body = serde_json::json!({"id": 3.0, "ids": [-2.0, 1.5], "big": 1e300});
        whole_numbers_as_integers(&mut body);
        assert_eq!(
            body,
            serde_json::json!({"id": 3, "ids": [-2, 1.5], "big": 1e300})
        );
    }

    #[test]
    fn serde_messages_name_their_field() {
        let e = field_error(".", "missing field `version` at line 1 column 2");
        assert_eq!(e.field("version").as_deref(), Some("is required"));
        let e = field_error("titel", "unknown field `titel`, expected one of `title`");
        assert_eq!(
            e.field("titel").as_deref(),
            Some("is not a field of this resource")
        );
        let e = field_error("amount_minor", "invalid type: string \"ten\", expected i64");
        assert_eq!(
            e.field("amount_minor").as_deref(),
            Some("invalid type: string \"ten\", expected i64")
        );
    }
}

/// A timeline or list page: where it starts and how long it is.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// The `next_cursor` of the page before.
    #[param(min_length = 1)]
    pub cursor: Option<String>,
    /// 1 to 200; 50 when absent.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}
