//! `/api/v1/companies`: list and search, read, create, edit, delete, restore, timeline.

use super::{
    body::{present, ApiJson, ApiQuery, PageQuery, RecordId},
    ApiCaller,
};
use crate::{
    activities::{TimelineOf, TimelinePage},
    companies::{
        input::{CompanyDraft, CompanyInput, CompanyText},
        service, Company, CompanyFilter, CompanyPage,
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
        .routes(routes!(list_companies, create_company))
        .routes(routes!(get_company, update_company, delete_company))
        .routes(routes!(restore_company))
        .routes(routes!(company_timeline))
}

/// A new company: `name` is required, every other field may be left out.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCompany {
    /// Not blank, no control characters; at most 200 characters once trimmed.
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
    )]
    pub name: String,
    /// A domain such as `example.com`; a link to the site is cut down to its domain.
    #[serde(default)]
    #[schema(
        max_length = 253,
        pattern = r"^\s*((https?://)?(www\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(/.*)?)?\s*$"
    )]
    pub domain: Option<String>,
    /// Digits with `+ ( ) - . /` and spaces, 5 to 20 digits.
    #[serde(default)]
    #[schema(pattern = r"^( *|[ +()./-]*([0-9][ +()./-]*){5,20})$")]
    pub phone: Option<String>,
    #[serde(default)]
    #[schema(max_length = 500)]
    pub address: Option<String>,
    #[serde(default)]
    #[schema(max_length = 10000)]
    pub notes: Option<String>,
    /// A user of the tenant the caller may give records to; the caller when absent.
    #[serde(default)]
    pub owner_id: Option<i64>,
}

impl From<NewCompany> for CompanyDraft {
    fn from(new: NewCompany) -> Self {
        let text = CompanyText {
            name: &new.name,
            domain: new.domain.as_deref(),
            phone: new.phone.as_deref(),
            address: new.address.as_deref(),
            notes: new.notes.as_deref().unwrap_or_default(),
        };
        Draft {
            values: CompanyInput::parse(text, FieldErrors::default()),
            links: new.owner_id,
        }
    }
}

/// Changes to a company: absent means unchanged and `null` clears an optional field. The
/// constraints are those of a new company.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct CompanyFields {
    #[serde(default)]
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
    )]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, max_length = 253,
        pattern = r"^\s*((https?://)?(www\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(/.*)?)?\s*$")]
    pub domain: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, pattern = r"^( *|[ +()./-]*([0-9][ +()./-]*){5,20})$")]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, max_length = 500)]
    pub address: Option<Option<String>>,
    #[serde(default)]
    #[schema(max_length = 10000)]
    pub notes: Option<String>,
    #[serde(default)]
    pub owner_id: Option<i64>,
}

impl CompanyFields {
    /// These fields laid over the company as it is.
    fn over(self, current: Company) -> NewCompany {
        NewCompany {
            name: self.name.unwrap_or(current.name),
            domain: self.domain.unwrap_or(current.domain),
            phone: self.phone.unwrap_or(current.phone),
            address: self.address.unwrap_or(current.address),
            notes: Some(self.notes.unwrap_or(current.notes)),
            owner_id: self.owner_id.or(current.owner_id),
        }
    }
}

#[utoipa::path(get, path = "/companies", tag = "companies", params(CompanyFilter),
    responses((status = 200, body = CompanyPage)))]
async fn list_companies(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiQuery(filter): ApiQuery<CompanyFilter>,
) -> Result<Json<CompanyPage>, AppError> {
    Ok(Json(
        service::list_companies(&state.db, &caller.actor, &filter).await?,
    ))
}

#[utoipa::path(post, path = "/companies", tag = "companies", request_body = NewCompany,
    responses((status = 201, body = Company)))]
async fn create_company(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiJson(new): ApiJson<NewCompany>,
) -> Result<(StatusCode, Json<Company>), AppError> {
    let draft = CompanyDraft::from(new);
    let company = service::create_company(&state.db, &caller.actor, draft, &caller.client).await?;
    Ok((StatusCode::CREATED, Json(company)))
}

#[utoipa::path(get, path = "/companies/{id}", tag = "companies", params(("id" = i64, Path)),
    responses((status = 200, body = Company)))]
async fn get_company(
    State(state): State<AppState>,
    caller: ApiCaller,
    RecordId(id): RecordId,
) -> Result<Json<Company>, AppError> {
    Ok(Json(
        service::get_company(&state.db, &caller.actor, id).await?,
    ))
}

#[utoipa::path(patch, path = "/companies/{id}", tag = "companies", params(("id" = i64, Path)), request_body = CompanyFields,
    responses((status = 200, body = Company)))]
async fn update_company(
    State(state): State<AppState>,
    caller: ApiCaller,
    RecordId(id): RecordId,
    ApiJson(fields): ApiJson<CompanyFields>,
) -> Result<Json<Company>, AppError> {
    let current = service::get_company(&state.db, &caller.actor, id).await?;
    let draft = CompanyDraft::from(fields.over(current));
    Ok(Json(
        service::update_company(&state.db, &caller.actor, id, draft, &caller.client).await?,
    ))
}

#[utoipa::path(delete, path = "/companies/{id}", tag = "companies", params(("id" = i64, Path)),
    responses((status = 204, description = "Deleted; an admin can restore it")))]
async fn delete_company(
    State(state): State<AppState>,
    caller: ApiCaller,
    RecordId(id): RecordId,
) -> Result<StatusCode, AppError> {
    service::delete_company(&state.db, &caller.actor, id, &caller.client).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Restoring a company that is not deleted changes nothing and answers it.
#[utoipa::path(post, path = "/companies/{id}/restore", tag = "companies", params(("id" = i64, Path)),
    responses((status = 200, body = Company)))]
async fn restore_company(
    State(state): State<AppState>,
    caller: ApiCaller,
    RecordId(id): RecordId,
) -> Result<Json<Company>, AppError> {
    Ok(Json(
        service::restore_company(&state.db, &caller.actor, id, &caller.client).await?,
    ))
}

/// The company's activities, newest first.
#[utoipa::path(get, path = "/companies/{id}/timeline", tag = "companies", params(("id" = i64, Path), PageQuery),
    responses((status = 200, body = TimelinePage)))]
async fn company_timeline(
    State(state): State<AppState>,
    caller: ApiCaller,
    RecordId(id): RecordId,
    ApiQuery(page): ApiQuery<PageQuery>,
) -> Result<Json<TimelinePage>, AppError> {
    super::activities::timeline_of(&state, &caller, TimelineOf::Company, id, page).await
}
