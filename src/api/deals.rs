//! `/api/v1/deals`: list, read, create, edit (optimistic locking), move, delete, restore, timeline.

use super::{
    body::{date_text, present, ApiJson, ApiQuery, PageQuery, RecordId},
    ApiCaller, ApiError,
};
use crate::{
    activities::{Activity, TimelineOf, TimelinePage},
    deals::{
        input::{Amount, DealDraft, DealInput, DealLinks, DealText, StageEntry},
        service, Deal, DealFilter, DealMove, DealPage, Stage,
    },
    error::AppError,
    state::AppState,
    validation::{Draft, FieldErrors},
};
use axum::{extract::State, http::StatusCode, Json};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_deals, create_deal))
        .routes(routes!(get_deal, update_deal, delete_deal))
        .routes(routes!(move_deal))
        .routes(routes!(restore_deal))
        .routes(routes!(deal_timeline))
}

/// A new deal. Without `stage_id` it goes to the default pipeline's default stage; without
/// `currency`, the tenant's; without `owner_id`, the caller owns it.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDeal {
    /// Not blank; at most 200 characters once trimmed.
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub title: String,
    /// In minor units (cents); 0 when absent.
    #[serde(default)]
    #[schema(minimum = 0)]
    pub amount_minor: Option<i64>,
    /// ISO 4217, e.g. `EUR`; a currency with minor units. The tenant's when absent.
    #[serde(default)]
    #[schema(schema_with = currency_code)]
    pub currency: Option<String>,
    #[serde(default)]
    pub stage_id: Option<i64>,
    #[serde(default)]
    pub contact_id: Option<i64>,
    #[serde(default)]
    pub company_id: Option<i64>,
    #[serde(default)]
    pub owner_id: Option<i64>,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    #[schema(format = Date, example = "2026-12-31")]
    pub expected_close_on: Option<String>,
    /// Required when the stage `requires_note` (e.g. why a deal created as Lost was lost).
    #[serde(default)]
    #[schema(max_length = 10000)]
    pub note: Option<String>,
    /// `YYYY-MM-DD`; required when the stage `requires_followup_date`. Creates a follow-up task
    /// for the deal's owner, due at 09:00 that day in the tenant's timezone.
    #[serde(default)]
    #[schema(format = Date, example = "2026-12-31")]
    pub followup_on: Option<String>,
}

/// An ISO 4217 code the server takes: those with minor units (not gold, not test codes).
fn currency_code() -> utoipa::openapi::schema::Object {
    use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};
    let letters = || b'A'..=b'Z';
    let mut codes: Vec<serde_json::Value> = letters()
        .flat_map(|a| letters().flat_map(move |b| letters().map(move |c| [a, b, c])))
        .filter_map(|code| {
            let code = std::str::from_utf8(&code).ok()?.to_string();
            iso_currency::Currency::from_code(&code)?.exponent()?;
            Some(code.into())
        })
        .collect();
    codes.push(serde_json::Value::Null);
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .enum_values(Some(codes))
        .build()
}

/// Changes to a deal made from `version`. Absent fields stay as they are; `null` clears a link
/// or date. The stage changes only through `POST /deals/{id}/move`, which applies its rules.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DealChanges {
    /// The `version` of the deal as the caller last read it; 409 if it changed since.
    pub version: i64,
    #[serde(default)]
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub title: Option<String>,
    #[serde(default)]
    #[schema(minimum = 0)]
    pub amount_minor: Option<i64>,
    #[serde(default)]
    #[schema(schema_with = currency_code)]
    pub currency: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>)]
    pub contact_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>)]
    pub company_id: Option<Option<i64>>,
    #[serde(default)]
    pub owner_id: Option<i64>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, format = Date, example = "2026-12-31")]
    pub expected_close_on: Option<Option<String>>,
}

/// A move to `stage_id` at `position`, made from `version`. `position` is the column position to
/// take: the `position` of the card it is dropped above (0 = the top); the cards from there down
/// shift by one. Without it the deal goes to the bottom of the column.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveRequest {
    pub stage_id: i64,
    #[serde(default)]
    pub position: Option<i32>,
    /// The `version` of the deal as the caller last read it; 409 if it changed since.
    pub version: i64,
    /// Required when the target stage `requires_note`.
    #[serde(default)]
    pub note: Option<String>,
    /// Required when the target stage `requires_followup_date`.
    #[serde(default)]
    #[schema(format = Date, example = "2026-12-31")]
    pub followup_on: Option<String>,
}

/// A move's result: the deal as it is now, the stage it is in and the `stage_change` activity
/// written with it (none when it stayed in its stage).
#[derive(Serialize, ToSchema)]
pub struct MoveResult {
    pub deal: Deal,
    pub stage: Stage,
    pub activity: Option<Activity>,
}

impl TryFrom<NewDeal> for DealDraft {
    type Error = AppError;

    /// A date sent blank is refused outright (`date_text`), before the other fields.
    fn try_from(new: NewDeal) -> Result<Self, AppError> {
        let expected_close_on = date_text("expected_close_on", new.expected_close_on)?;
        let followup_on = date_text("followup_on", new.followup_on)?;
        let mut errors = FieldErrors::default();
        let entry = StageEntry::parse(
            new.note.as_deref().unwrap_or_default(),
            &followup_on,
            &mut errors,
        );
        let text = DealText {
            title: &new.title,
            currency: new.currency.as_deref(),
            expected_close_on: Some(&expected_close_on),
        };
        let amount = Amount::Minor(new.amount_minor.unwrap_or_default());
        Ok(Draft {
            values: DealInput::parse(text, amount, entry, errors),
            links: DealLinks {
                stage_id: new.stage_id,
                contact_id: new.contact_id,
                company_id: new.company_id,
                owner_id: new.owner_id,
            },
        })
    }
}

impl DealChanges {
    /// These changes laid over the deal as it is (its stage stays: edits never move).
    fn over(self, current: Deal) -> NewDeal {
        NewDeal {
            title: self.title.unwrap_or(current.title),
            amount_minor: Some(self.amount_minor.unwrap_or(current.amount_minor)),
            currency: Some(self.currency.unwrap_or(current.currency)),
            stage_id: None,
            contact_id: self.contact_id.unwrap_or(current.contact_id),
            company_id: self.company_id.unwrap_or(current.company_id),
            owner_id: self.owner_id.or(current.owner_id),
            expected_close_on: match self.expected_close_on {
                None => current.expected_close_on.map(|d| d.to_string()),
                Some(date) => date,
            },
            note: None,
            followup_on: None,
        }
    }
}

#[utoipa::path(get, path = "/deals", tag = "deals", params(DealFilter),
    responses((status = 200, body = DealPage)))]
async fn list_deals(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiQuery(filter): ApiQuery<DealFilter>,
) -> Result<Json<DealPage>, AppError> {
    Ok(Json(
        service::list_deals(&state.db, &caller.actor, &filter).await?,
    ))
}

#[utoipa::path(post, path = "/deals", tag = "deals", request_body = NewDeal,
    responses((status = 201, body = Deal)))]
async fn create_deal(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiJson(new): ApiJson<NewDeal>,
) -> Result<(StatusCode, Json<Deal>), AppError> {
    let draft = DealDraft::try_from(new)?;
    let deal = service::create_deal(&state.db, &caller.actor, draft, &caller.client).await?;
    Ok((StatusCode::CREATED, Json(deal)))
}

#[utoipa::path(get, path = "/deals/{id}", tag = "deals", params(("id" = i64, Path)),
    responses((status = 200, body = Deal)))]
async fn get_deal(
    State(state): State<AppState>,
    caller: ApiCaller,
    RecordId(id): RecordId,
) -> Result<Json<Deal>, AppError> {
    Ok(Json(service::get_deal(&state.db, &caller.actor, id).await?))
}

#[utoipa::path(patch, path = "/deals/{id}", tag = "deals", params(("id" = i64, Path)), request_body = DealChanges,
    responses((status = 200, body = Deal),
        (status = 409, description = "Stale `version`; `error.current` is the deal as it is now", body = ApiError)))]
async fn update_deal(
    State(state): State<AppState>,
    caller: ApiCaller,
    RecordId(id): RecordId,
    ApiJson(changes): ApiJson<DealChanges>,
) -> Result<Json<Deal>, AppError> {
    let current = service::get_deal(&state.db, &caller.actor, id).await?;
    let version = changes.version;
    let draft = DealDraft::try_from(changes.over(current))?;
    let deal =
        service::update_deal(&state.db, &caller.actor, id, version, draft, &caller.client).await?;
    Ok(Json(deal))
}

#[utoipa::path(delete, path = "/deals/{id}", tag = "deals", params(("id" = i64, Path)),
    responses((status = 204, description = "Deleted; an admin can restore it")))]
async fn delete_deal(
    State(state): State<AppState>,
    caller: ApiCaller,
    RecordId(id): RecordId,
) -> Result<StatusCode, AppError> {
    service::delete_deal(&state.db, &caller.actor, id, &caller.client).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Restoring a deal that is not deleted changes nothing and answers it.
#[utoipa::path(post, path = "/deals/{id}/restore", tag = "deals", params(("id" = i64, Path)),
    responses((status = 200, body = Deal)))]
async fn restore_deal(
    State(state): State<AppState>,
    caller: ApiCaller,
    RecordId(id): RecordId,
) -> Result<Json<Deal>, AppError> {
    Ok(Json(
        service::restore_deal(&state.db, &caller.actor, id, &caller.client).await?,
    ))
}

/// Moves the deal to a stage and/or position, following the target stage's rules (a `note` or
/// a `followup_on` date when it requires one).
#[utoipa::path(post, path = "/deals/{id}/move", tag = "deals", params(("id" = i64, Path)), request_body = MoveRequest,
    responses((status = 200, body = MoveResult),
        (status = 409, description = "Stale `version`; `error.current` is the deal as it is now", body = ApiError),
        (status = 422, description = "The stage's rules were not met, or a bad value", body = ApiError)))]
async fn move_deal(
    State(state): State<AppState>,
    caller: ApiCaller,
    RecordId(id): RecordId,
    ApiJson(request): ApiJson<MoveRequest>,
) -> Result<Json<MoveResult>, AppError> {
    let to = DealMove {
        stage_id: request.stage_id,
        position: request.position,
        version: request.version,
        note: request.note.unwrap_or_default(),
        followup_on: date_text("followup_on", request.followup_on)?,
    };
    let moved = service::move_deal(&state.db, &caller.actor, id, &to, &caller.client).await?;
    let stage =
        crate::pipelines::service::stage_of_tenant(&state.db, &caller.actor, moved.deal.stage_id)
            .await?
            .ok_or(AppError::Internal)?;
    Ok(Json(MoveResult {
        deal: moved.deal,
        stage,
        activity: moved.activity,
    }))
}

/// The deal's activities, newest first.
#[utoipa::path(get, path = "/deals/{id}/timeline", tag = "deals", params(("id" = i64, Path), PageQuery),
    responses((status = 200, body = TimelinePage)))]
async fn deal_timeline(
    State(state): State<AppState>,
    caller: ApiCaller,
    RecordId(id): RecordId,
    ApiQuery(page): ApiQuery<PageQuery>,
) -> Result<Json<TimelinePage>, AppError> {
    super::activities::timeline_of(&state, &caller, TimelineOf::Deal, id, page).await
}
