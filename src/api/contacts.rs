//! `/api/v1/contacts`: list and search, read, create, edit, delete, restore, timeline.

use super::{
    body::{present, ApiJson, ApiQuery, RecordId},
    deals::PageQuery,
    ApiCaller, ApiError,
};
use crate::{
    activities::{TimelineOf, TimelinePage},
    contacts::{queries, Contact, ContactFilter, ContactForm, ContactPage},
    error::AppError,
    server::AppState,
};
use axum::{extract::State, http::StatusCode, Json};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_contacts, create_contact))
        .routes(routes!(get_contact, update_contact, delete_contact))
        .routes(routes!(restore_contact))
        .routes(routes!(contact_timeline))
}

/// A contact's fields. On create, absent means empty (`name` is required); on PATCH, absent
/// means unchanged and `null` clears an optional field.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ContactFields {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
    /// Stored in E.164 form, e.g. `+4930123456`.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub source: Option<Option<String>>,
    #[serde(default)]
    pub notes: Option<String>,
    /// `New`, `Active`, `Hot`, `Inactive` or `Cold`.
    #[serde(default)]
    pub status: Option<String>,
    /// `hot`, `warm` or `cold`.
    #[serde(default)]
    pub score: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>)]
    pub company_id: Option<Option<i64>>,
    #[serde(default)]
    pub owner_id: Option<i64>,
}

impl ContactFields {
    /// These fields laid over `base` as a form.
    fn over(self, base: ContactForm) -> ContactForm {
        let text = |v: Option<Option<String>>, old: String| match v {
            None => old,
            Some(v) => v.unwrap_or_default(),
        };
        ContactForm {
            name: self.name.unwrap_or(base.name),
            email: text(self.email, base.email),
            phone: text(self.phone, base.phone),
            source: text(self.source, base.source),
            notes: self.notes.unwrap_or(base.notes),
            status: self.status.unwrap_or(base.status),
            score: self.score.unwrap_or(base.score),
            company_id: match self.company_id {
                None => base.company_id,
                Some(id) => id.map(|id| id.to_string()).unwrap_or_default(),
            },
            owner_id: self
                .owner_id
                .map(|id| id.to_string())
                .unwrap_or(base.owner_id),
        }
    }
}

fn form_of(c: Contact) -> ContactForm {
    ContactForm {
        name: c.name,
        email: c.email.unwrap_or_default(),
        phone: c.phone.unwrap_or_default(),
        source: c.source.unwrap_or_default(),
        notes: c.notes,
        status: c.status,
        score: c.score,
        company_id: c.company_id.map(|id| id.to_string()).unwrap_or_default(),
        owner_id: c.owner_id.map(|id| id.to_string()).unwrap_or_default(),
    }
}

/// Search (`q`, without regard to case or accents) and filters; sorted by name or newest.
#[utoipa::path(get, path = "/contacts", tag = "contacts", params(ContactFilter),
    responses((status = 200, body = ContactPage), (status = 401, body = ApiError), (status = 422, body = ApiError)))]
async fn list_contacts(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiQuery(filter): ApiQuery<ContactFilter>,
) -> Result<Json<ContactPage>, AppError> {
    Ok(Json(
        queries::list_contacts(&state.db, &caller.actor, &filter).await?,
    ))
}

#[utoipa::path(post, path = "/contacts", tag = "contacts", request_body = ContactFields,
    responses((status = 201, body = Contact), (status = 401, body = ApiError),
        (status = 409, description = "The email belongs to `error.existing_id`", body = ApiError),
        (status = 422, body = ApiError)))]
async fn create_contact(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiJson(fields): ApiJson<ContactFields>,
) -> Result<(StatusCode, Json<Contact>), AppError> {
    let form = fields.over(ContactForm::default());
    let contact = queries::create_contact(&state.db, &caller.actor, &form, &caller.client).await?;
    Ok((StatusCode::CREATED, Json(contact)))
}

#[utoipa::path(get, path = "/contacts/{id}", tag = "contacts", params(("id" = i64, Path)),
    responses((status = 200, body = Contact), (status = 401, body = ApiError), (status = 404, body = ApiError)))]
async fn get_contact(
    State(state): State<AppState>,
    caller: ApiCaller,
    RecordId(id): RecordId,
) -> Result<Json<Contact>, AppError> {
    Ok(Json(
        queries::get_contact(&state.db, &caller.actor, id).await?,
    ))
}

#[utoipa::path(patch, path = "/contacts/{id}", tag = "contacts", params(("id" = i64, Path)), request_body = ContactFields,
    responses((status = 200, body = Contact), (status = 401, body = ApiError), (status = 404, body = ApiError),
        (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn update_contact(
    State(state): State<AppState>,
    caller: ApiCaller,
    RecordId(id): RecordId,
    ApiJson(fields): ApiJson<ContactFields>,
) -> Result<Json<Contact>, AppError> {
    let current = queries::get_contact(&state.db, &caller.actor, id).await?;
    let form = fields.over(form_of(current));
    Ok(Json(
        queries::update_contact(&state.db, &caller.actor, id, &form, &caller.client).await?,
    ))
}

#[utoipa::path(delete, path = "/contacts/{id}", tag = "contacts", params(("id" = i64, Path)),
    responses((status = 204, description = "Deleted; an admin can restore it"), (status = 401, body = ApiError), (status = 404, body = ApiError)))]
async fn delete_contact(
    State(state): State<AppState>,
    caller: ApiCaller,
    RecordId(id): RecordId,
) -> Result<StatusCode, AppError> {
    queries::delete_contact(&state.db, &caller.actor, id, &caller.client).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/contacts/{id}/restore", tag = "contacts", params(("id" = i64, Path)),
    responses((status = 200, body = Contact), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
async fn restore_contact(
    State(state): State<AppState>,
    caller: ApiCaller,
    RecordId(id): RecordId,
) -> Result<Json<Contact>, AppError> {
    Ok(Json(
        queries::restore_contact(&state.db, &caller.actor, id, &caller.client).await?,
    ))
}

/// The contact's activities and those of its deals, newest first.
#[utoipa::path(get, path = "/contacts/{id}/timeline", tag = "contacts", params(("id" = i64, Path), PageQuery),
    responses((status = 200, body = TimelinePage), (status = 401, body = ApiError), (status = 404, body = ApiError)))]
async fn contact_timeline(
    State(state): State<AppState>,
    caller: ApiCaller,
    RecordId(id): RecordId,
    ApiQuery(page): ApiQuery<PageQuery>,
) -> Result<Json<TimelinePage>, AppError> {
    super::activities::timeline_of(&state, &caller, TimelineOf::Contact, id, page).await
}
