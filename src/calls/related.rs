//! Which client a call is about: the record the agent named (a deal brings its contact and
//! company, a contact its company), or for an inbound call the contact with the caller's number.

use super::{store::CallStore, StartCallForm};
use crate::{
    auth::actor::Actor,
    db::Db,
    error::AppError,
    on_db,
    validation::{optional, FieldErrors},
};

/// What a call is about, completed the way activities are: a deal brings its contact and
/// company, a contact its company.
#[derive(Debug, Default)]
pub(super) struct Related {
    pub contact_id: Option<i64>,
    pub company_id: Option<i64>,
    pub deal_id: Option<i64>,
}

pub(super) async fn related(
    db: &Db,
    actor: &Actor,
    form: &StartCallForm,
    errors: &mut FieldErrors,
) -> Result<Related, AppError> {
    let kind = form.related_type.trim();
    let id = match (kind, optional(&form.related_id)) {
        ("", None) => return Ok(Related::default()),
        ("contact" | "company" | "deal", Some(id)) => match id.parse::<i64>() {
            Ok(id) => id,
            Err(_) => {
                errors.check::<()>("related_id", Err("is not an id".into()));
                return Ok(Related::default());
            }
        },
        ("contact" | "company" | "deal", None) => {
            errors.check::<()>("related_id", Err(format!("is required with a {kind}")));
            return Ok(Related::default());
        }
        _ => {
            errors.check::<()>(
                "related_type",
                Err("must be contact, company or deal".into()),
            );
            return Ok(Related::default());
        }
    };
    let found = match kind {
        "contact" => crate::contacts::service::get_contact(db, actor, id)
            .await
            .map(|c| Related {
                contact_id: Some(c.id),
                company_id: c.company_id,
                deal_id: None,
            }),
        "company" => crate::companies::service::get_company(db, actor, id)
            .await
            .map(|c| Related {
                company_id: Some(c.id),
                ..Related::default()
            }),
        _ => crate::deals::service::get_deal(db, actor, id)
            .await
            .map(|d| Related {
                contact_id: d.contact_id,
                company_id: d.company_id,
                deal_id: Some(d.id),
            }),
    };
    match found {
        Ok(related) => Ok(related),
        Err(AppError::NotFound | AppError::Forbidden) => {
            errors.check::<()>("related_id", Err(format!("is not one of your {kind}s")));
            Ok(Related::default())
        }
        Err(e) => Err(e),
    }
}

/// The first visible contact whose phone is `number` (E.164), for an inbound call.
pub(super) async fn contact_with_number(
    db: &Db,
    actor: &Actor,
    number: &str,
) -> Result<Option<Related>, AppError> {
    let candidates = on_db!(db, |pool| {
        pool.acquire()
            .await?
            .contacts_with_phone(actor.tenant_id, number)
            .await?
    });
    for id in candidates {
        if let Ok(c) = crate::contacts::service::get_contact(db, actor, id).await {
            return Ok(Some(Related {
                contact_id: Some(c.id),
                company_id: c.company_id,
                deal_id: None,
            }));
        }
    }
    Ok(None)
}
