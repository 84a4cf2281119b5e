//! `/api/v1/contacts`: list and search, read, create, edit, delete, restore, timeline.

use super::{
    body::{one_of, present, ApiJson, ApiQuery, PageQuery, RecordId},
    ApiCaller, ApiError,
};
use crate::{
    activities::{TimelineOf, TimelinePage},
    contacts::{queries, Contact, ContactFilter, ContactForm, ContactPage},
    error::AppError,
    state::AppState,
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

one_of!(
    /// Where a contact stands.
    ContactStatus { New = "New", Active = "Active", Hot = "Hot", Inactive = "Inactive", Cold = "Cold" }
);
one_of!(
    /// How likely a contact is to buy.
    ContactScore { Hot = "hot", Warm = "warm", Cold = "cold" }
);

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

impl From<NewContact> for ContactFields {
    fn from(new: NewContact) -> Self {
        ContactFields {
            name: Some(new.name),
            email: Some(new.email),
            phone: Some(new.phone),
            source: Some(new.source),
            notes: new.notes,
            status: new.status,
            score: new.score,
            company_id: Some(new.company_id),
            owner_id: new.owner_id,
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
            status: self.status.map_or(base.status, |s| s.as_str().into()),
            score: self.score.map_or(base.score, |s| s.as_str().into()),
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
    responses((status = 200, body = ContactPage)))]
async fn list_contacts(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiQuery(filter): ApiQuery<ContactFilter>,
) -> Result<Json<ContactPage>, AppError> {
    Ok(Json(
        queries::list_contacts(&state.db, &caller.actor, &filter).await?,
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
    let form = ContactFields::from(new).over(ContactForm::default());
    let contact = queries::create_contact(&state.db, &caller.actor, &form, &caller.client).await?;
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
        queries::get_contact(&state.db, &caller.actor, id).await?,
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
    let current = queries::get_contact(&state.db, &caller.actor, id).await?;
    let form = fields.over(form_of(current));
    Ok(Json(
        queries::update_contact(&state.db, &caller.actor, id, &form, &caller.client).await?,
    ))
}

#[utoipa::path(delete, path = "/contacts/{id}", tag = "contacts", params(("id" = i64, Path)),
    responses((status = 204, description = "Deleted; an admin can restore it")))]
async fn delete_contact(
    State(state): State<AppState>,
    caller: ApiCaller,
    RecordId(id): RecordId,
) -> Result<StatusCode, AppError> {
    queries::delete_contact(&state.db, &caller.actor, id, &caller.client).await?;
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
        queries::restore_contact(&state.db, &caller.actor, id, &caller.client).await?,
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
