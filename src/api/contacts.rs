//! `/api/v1/contacts`: list and search, read, create, edit, delete, restore, timeline.

use super::{
    body::{present, ApiJson, ApiQuery, PageQuery, RecordId},
    ApiCaller, ApiError,
};
use crate::{
    activities::{TimelineOf, TimelinePage},
    contacts::{
        input::{ContactDraft, ContactInput, ContactLinks, ContactText},
        service, Contact, ContactFilter, ContactPage, ContactScore, ContactStatus,
    },
    error::AppError,
    state::AppState,
    validation::{Draft, FieldErrors},
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

/// A new contact: `name` is required, every other field may be left out.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewContact {
    /// Not blank, no control characters; at most 200 characters once trimmed.
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
    )]
    pub name: String,
    #[serde(default)]
    #[schema(
        max_length = 254,
        pattern = r"^(\s*|\s*[^@\s]+@[^@\s.]+(\.[^@\s.]+)+\s*)$"
    )]
    pub email: Option<String>,
    /// Digits with `+ ( ) - . /` and spaces, 5 to 20 digits; e.g. `+49 30 1234567`.
    #[serde(default)]
    #[schema(pattern = r"^( *|[ +()./-]*([0-9][ +()./-]*){5,20})$")]
    pub phone: Option<String>,
    #[serde(default)]
    #[schema(max_length = 100)]
    pub source: Option<String>,
    #[serde(default)]
    #[schema(max_length = 10000)]
    pub notes: Option<String>,
    /// `New` when absent.
    #[serde(default)]
    pub status: Option<ContactStatus>,
    /// `warm` when absent.
    #[serde(default)]
    pub score: Option<ContactScore>,
    /// One of the tenant's companies.
    #[serde(default)]
    pub company_id: Option<i64>,
    /// A user of the tenant the caller may give records to; the caller when absent.
    #[serde(default)]
    pub owner_id: Option<i64>,
}

impl From<NewContact> for ContactDraft {
    fn from(new: NewContact) -> Self {
        let text = ContactText {
            name: &new.name,
            email: new.email.as_deref(),
            phone: new.phone.as_deref(),
            source: new.source.as_deref(),
            notes: new.notes.as_deref().unwrap_or_default(),
        };
        Draft {
            values: ContactInput::parse(
                text,
                Ok(new.status.unwrap_or(ContactStatus::New)),
                Ok(new.score.unwrap_or(ContactScore::Warm)),
                FieldErrors::default(),
            ),
            links: ContactLinks {
                company_id: new.company_id,
                owner_id: new.owner_id,
            },
        }
    }
}

/// Changes to a contact: absent means unchanged and `null` clears an optional field. The
/// constraints are those of a new contact.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ContactFields {
    #[serde(default)]
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
    )]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, max_length = 254,
        pattern = r"^(\s*|\s*[^@\s]+@[^@\s.]+(\.[^@\s.]+)+\s*)$")]
    pub email: Option<Option<String>>,
    /// Stored in E.164 form, e.g. `+4930123456`.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, pattern = r"^( *|[ +()./-]*([0-9][ +()./-]*){5,20})$")]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, max_length = 100)]
    pub source: Option<Option<String>>,
    #[serde(default)]
    #[schema(max_length = 10000)]
    pub notes: Option<String>,
    #[serde(default)]
    pub status: Option<ContactStatus>,
    #[serde(default)]
    pub score: Option<ContactScore>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>)]
    pub company_id: Option<Option<i64>>,
    #[serde(default)]
    pub owner_id: Option<i64>,
}

impl ContactFields {
    /// These fields laid over the contact as it is.
    fn over(self, current: Contact) -> NewContact {
        NewContact {
            name: self.name.unwrap_or(current.name),
            email: self.email.unwrap_or(current.email),
            phone: self.phone.unwrap_or(current.phone),
            source: self.source.unwrap_or(current.source),
            notes: Some(self.notes.unwrap_or(current.notes)),
            status: self.status.or(ContactStatus::parse(&current.status)),
            score: self.score.or(ContactScore::parse(&current.score)),
            company_id: self.company_id.unwrap_or(current.company_id),
            owner_id: self.owner_id.or(current.owner_id),
        }
    }
}

/// Search (`q`, without regard to case or accents) and filters; sorted by name or newest.
#[utoipa::path(get, path = "/contacts", tag = "contacts", params(ContactFilter),
    responses((status = 200, body = ContactPage)))]
async fn list_contacts(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiQuery(filter): ApiQuery<ContactFilter>,
) -> Result<Json<ContactPage>, AppError> {
    Ok(Json(
        service::list_contacts(&state.db, &caller.actor, &filter).await?,
    ))
}

#[utoipa::path(post, path = "/contacts", tag = "contacts", request_body = NewContact,
    responses((status = 201, body = Contact),
        (status = 409, description = "The email belongs to `error.existing_id`", body = ApiError)))]
async fn create_contact(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiJson(new): ApiJson<NewContact>,
) -> Result<(StatusCode, Json<Contact>), AppError> {
    let draft = ContactDraft::from(new);
    let contact = service::create_contact(&state.db, &caller.actor, draft, &caller.client).await?;
    Ok((StatusCode::CREATED, Json(contact)))
}

#[utoipa::path(get, path = "/contacts/{id}", tag = "contacts", params(("id" = i64, Path)),
    responses((status = 200, body = Contact)))]
async fn get_contact(
    State(state): State<AppState>,
    caller: ApiCaller,
    RecordId(id): RecordId,
) -> Result<Json<Contact>, AppError> {
    Ok(Json(
        service::get_contact(&state.db, &caller.actor, id).await?,
    ))
}

#[utoipa::path(patch, path = "/contacts/{id}", tag = "contacts", params(("id" = i64, Path)), request_body = ContactFields,
    responses((status = 200, body = Contact),
        (status = 409, description = "The email belongs to `error.existing_id`", body = ApiError)))]
async fn update_contact(
    State(state): State<AppState>,
    caller: ApiCaller,
    RecordId(id): RecordId,
    ApiJson(fields): ApiJson<ContactFields>,
) -> Result<Json<Contact>, AppError> {
    let current = service::get_contact(&state.db, &caller.actor, id).await?;
    let draft = ContactDraft::from(fields.over(current));
    Ok(Json(
        service::update_contact(&state.db, &caller.actor, id, draft, &caller.client).await?,
    ))
}

#[utoipa::path(delete, path = "/contacts/{id}", tag = "contacts", params(("id" = i64, Path)),
    responses((status = 204, description = "Deleted; an admin can restore it")))]
async fn delete_contact(
    State(state): State<AppState>,
    caller: ApiCaller,
    RecordId(id): RecordId,
) -> Result<StatusCode, AppError> {
    service::delete_contact(&state.db, &caller.actor, id, &caller.client).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Restoring a contact that is not deleted changes nothing and answers it.
#[utoipa::path(post, path = "/contacts/{id}/restore", tag = "contacts", params(("id" = i64, Path)),
    responses((status = 200, body = Contact),
        (status = 409, description = "Its email now belongs to `error.existing_id`", body = ApiError)))]
async fn restore_contact(
    State(state): State<AppState>,
    caller: ApiCaller,
    RecordId(id): RecordId,
) -> Result<Json<Contact>, AppError> {
    Ok(Json(
        service::restore_contact(&state.db, &caller.actor, id, &caller.client).await?,
    ))
}

/// The contact's activities and those of its deals, newest first.
#[utoipa::path(get, path = "/contacts/{id}/timeline", tag = "contacts", params(("id" = i64, Path), PageQuery),
    responses((status = 200, body = TimelinePage)))]
async fn contact_timeline(
    State(state): State<AppState>,
    caller: ApiCaller,
    RecordId(id): RecordId,
    ApiQuery(page): ApiQuery<PageQuery>,
) -> Result<Json<TimelinePage>, AppError> {
    super::activities::timeline_of(&state, &caller, TimelineOf::Contact, id, page).await
}
