//! The rules a stage sets for a deal entering it — a note, a follow-up date — applied the same
//! way whether the deal is created there or moved there, from the board, the card or the API.
//! A follow-up date becomes a pending task on the deal for its owner, which also sets the
//! contact's next follow-up.

use super::{input::StageEntry, Deal, Stage};
use crate::{
    db::Db,
    error::AppError,
    on_db,
    tasks::{store::NewTask, TaskPriority},
    tenancy::store::TenantStore,
    validation::FieldErrors,
};
use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// Checks what a deal brings into `stage` against the stage's rules, recording field errors
/// that name the stage. `entering` is false when the deal stays in its stage (a reorder): no
/// rule applies.
pub fn check(stage: &Stage, entering: bool, entry: &StageEntry, errors: &mut FieldErrors) {
    if !entering {
        return;
    }
    if stage.requires_note && entry.note.is_empty() {
        errors.check::<()>(
            "note",
            Err(format!("is required for a deal in {}", stage.name)),
        );
    }
    if stage.requires_followup_date && entry.followup_on.is_none() {
        errors.check::<()>(
            "followup_on",
            Err(format!("is required for a deal in {}", stage.name)),
        );
    }
}

/// The tenant's timezone, which places a follow-up date's task in the day.
pub async fn tenant_timezone(db: &Db, tenant_id: i64) -> Result<Tz, AppError> {
    let name = on_db!(db, |pool| {
        pool.acquire().await?.tenant_timezone(tenant_id).await?
    });
    Ok(name.parse().unwrap_or(Tz::UTC))
}

/// The deal a follow-up is for.
pub struct FollowupOf<'a> {
    pub deal_id: i64,
    pub title: &'a str,
    pub owner_id: Option<i64>,
    pub contact_id: Option<i64>,
}

impl<'a> From<&'a Deal> for FollowupOf<'a> {
    fn from(deal: &'a Deal) -> Self {
        FollowupOf {
            deal_id: deal.id,
            title: &deal.title,
            owner_id: deal.owner_id,
            contact_id: deal.contact_id,
        }
    }
}

/// The follow-up task a date asks for: due at 09:00 that day in the tenant's timezone, for the
/// deal's owner (the actor when the deal has none), linked to the deal and its contact.
pub fn followup_task(
    of: FollowupOf<'_>,
    on: NaiveDate,
    tz: Tz,
    actor_id: i64,
    tenant_id: i64,
) -> NewTask {
    NewTask {
        tenant_id,
        title: format!("Follow up: {}", of.title),
        notes: String::new(),
        due_at: nine_in_the_morning(on, tz),
        priority: TaskPriority::Normal,
        assignee_id: of.owner_id.unwrap_or(actor_id),
        created_by: actor_id,
        contact_id: of.contact_id,
        deal_id: Some(of.deal_id),
    }
}

fn nine_in_the_morning(on: NaiveDate, tz: Tz) -> DateTime<Utc> {
    let nine = on.and_time(NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default());
    // `earliest` settles a daylight-saving gap or overlap at 09:00 (none exists today, but
    // timezone rules change); UTC if the local time cannot exist at all.
    tz.from_local_datetime(&nine)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| nine.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stage(requires_note: bool, requires_followup_date: bool) -> Stage {
        Stage {
            id: 1,
            pipeline_id: 1,
            name: "Lost".into(),
            color: String::new(),
            sort_order: 0,
            probability: 0,
            is_default: false,
            is_won: false,
            is_lost: true,
            requires_note,
            requires_followup_date,
        }
    }

    #[test]
    fn a_stage_asks_for_what_it_requires_only_on_entry() {
        let checked = |stage: &Stage, entering: bool, note: &str, followup_on: &str| {
            let mut errors = FieldErrors::default();
            let entry = StageEntry::parse(note, followup_on, &mut errors);
            check(stage, entering, &entry, &mut errors);
            (entry, errors)
        };
        let (_, errors) = checked(&stage(true, true), true, "  ", "");
        let errors = errors.into_inner();
        assert_eq!(errors["note"], "is required for a deal in Lost");
        assert_eq!(errors["followup_on"], "is required for a deal in Lost");

        let (_, errors) = checked(&stage(true, true), false, "", "");
        assert!(errors.is_empty(), "staying in the stage asks for nothing");

        let (e, errors) = checked(&stage(false, false), true, " why ", "2026-12-31");
        assert!(errors.is_empty());
        assert_eq!(e.note, "why");
        assert_eq!(e.followup_on, NaiveDate::from_ymd_opt(2026, 12, 31));
    }

    #[test]
    fn follow_ups_are_due_at_nine_local_time() {
        let on = NaiveDate::from_ymd_opt(2026, 7, 1).expect("date");
        let berlin: Tz = "Europe/Berlin".parse().expect("tz");
        assert_eq!(
            nine_in_the_morning(on, berlin).to_rfc3339(),
            "2026-07-01T07:00:00+00:00"
        );
        assert_eq!(
            nine_in_the_morning(on, Tz::UTC).to_rfc3339(),
            "2026-07-01T09:00:00+00:00"
        );
    }
}
