//! Searches run through each area's own list (its permission, its scope, its folded
//! `search_text`), so a search or a picker never finds what its user may not see.

use super::{fold, Found, FoundGroups, FoundKind, PickKind};
use crate::{
    auth::actor::Actor,
    companies::{service::list_companies, Company, CompanyFilter},
    contacts::{service::list_contacts, Contact, ContactFilter},
    db::Db,
    deals::{service::list_deals, Deal, DealFilter},
    error::AppError,
    users::service::list_users,
};

/// How many of each kind the header search shows.
pub const HEADER_GROUP: u32 = 5;
/// How many a picker offers.
pub const PICKER_CHOICES: u32 = 8;

/// A query too long to be something remembered is refused rather than scanned for.
fn checked_query(q: &str) -> Result<&str, AppError> {
    let q = q.trim();
    if q.chars().count() > 100 {
        return Err(AppError::invalid("q", "must be at most 100 characters"));
    }
    Ok(q)
}

/// Up to `limit` records of `kind` matching `q` (all of them, by the list's order, when blank).
pub async fn find(
    db: &Db,
    actor: &Actor,
    kind: FoundKind,
    q: &str,
    limit: u32,
) -> Result<Vec<Found>, AppError> {
    let q = checked_query(q)?.to_string();
    let limit = Some(limit);
    Ok(match kind {
        FoundKind::Contact => {
            let filter = ContactFilter {
                q,
                limit,
                ..Default::default()
            };
            let page = list_contacts(db, actor, &filter).await?;
            page.items.iter().map(contact).collect()
        }
        FoundKind::Company => {
            let filter = CompanyFilter {
                q,
                limit,
                ..Default::default()
            };
            let page = list_companies(db, actor, &filter).await?;
            page.items.iter().map(company).collect()
        }
        FoundKind::Deal => {
            let filter = DealFilter {
                q,
                limit,
                ..Default::default()
            };
            let page = list_deals(db, actor, &filter).await?;
            page.items.iter().map(deal).collect()
        }
    })
}

/// A picker's choices for `q`: records of `kind`, or for an owner the active users the actor
/// may give records to (themselves, their team or the tenant, by their scope).
pub async fn choices(
    db: &Db,
    actor: &Actor,
    kind: PickKind,
    q: &str,
) -> Result<Vec<Found>, AppError> {
    let record = match kind {
        PickKind::Contact => FoundKind::Contact,
        PickKind::Company => FoundKind::Company,
        PickKind::Deal => FoundKind::Deal,
        PickKind::Owner => {
            let q = fold(checked_query(q)?);
            let users = list_users(db, actor).await?;
            return Ok(users
                .into_iter()
                .filter(|u| u.is_active)
                .filter(|u| fold(&format!("{} {}", u.name, u.email)).contains(&q))
                .take(PICKER_CHOICES as usize)
                .map(|u| Found {
                    id: u.id,
                    label: u.name,
                    detail: Some(u.team_name.unwrap_or(u.email)),
                })
                .collect());
        }
    };
    find(db, actor, record, q, PICKER_CHOICES).await
}

/// The header search: a few of each kind. A kind the user may not view stays empty.
pub async fn everything(db: &Db, actor: &Actor, q: &str) -> Result<FoundGroups, AppError> {
    let q = checked_query(q)?;
    if q.is_empty() {
        return Ok(FoundGroups::default());
    }
    let group = |kind| async move {
        match find(db, actor, kind, q, HEADER_GROUP).await {
            Err(AppError::Forbidden) => Ok(Vec::new()),
            other => other,
        }
    };
    Ok(FoundGroups {
        contacts: group(FoundKind::Contact).await?,
        companies: group(FoundKind::Company).await?,
        deals: group(FoundKind::Deal).await?,
    })
}

fn contact(c: &Contact) -> Found {
    Found {
        id: c.id,
        label: c.name.clone(),
        detail: c.company_name.clone().or_else(|| c.email.clone()),
    }
}

fn company(c: &Company) -> Found {
    Found {
        id: c.id,
        label: c.name.clone(),
        detail: c.domain.clone(),
    }
}

fn deal(d: &Deal) -> Found {
    let detail = match &d.contact_name {
        Some(contact) => format!("{} · {contact}", d.stage_name),
        None => d.stage_name.clone(),
    };
    Found {
        id: d.id,
        label: d.title.clone(),
        detail: Some(detail),
    }
}
