//! Search for the UI: the header's grouped search and the pickers' choices.

use super::{Found, FoundGroups, PickKind};
use crate::{error::AppError, text_enum::Word};
use leptos::prelude::*;

#[server(endpoint = "search/everything")]
pub async fn search_everything(q: String) -> Result<FoundGroups, AppError> {
    crate::auth::request::acting(|a| async move {
        super::service::everything(&a.state.db, &a.actor, &q).await
    })
    .await
}

/// The choices a picker offers for `q`: records of `kind` the user may see, or the users they
/// may give a record to.
#[server(endpoint = "search/pick")]
pub async fn pick_choices(kind: Word<PickKind>, q: String) -> Result<Vec<Found>, AppError> {
    crate::auth::request::acting(|a| async move {
        let kind = kind.parse().ok_or_else(|| {
            AppError::invalid("kind", "must be one of contact, company, deal, owner")
        })?;
        super::service::choices(&a.state.db, &a.actor, kind, &q).await
    })
    .await
}
