//! All of the contacts' SQL, as one trait for both backends: each method runs on a pooled
//! connection or inside the service's transaction.

use super::{input::ContactRecord, Contact, ContactFilter, ContactSort};
use crate::{
    auth::scope::Visible,
    impl_for_backends,
    records::store::RecordStore,
    search::{contains_pattern, fold, search_text},
    validation::Email,
};
use chrono::{DateTime, Utc};
use std::future::Future;

/// Ends in `WHERE `; `c` is the contact.
pub const SELECT: &str =
    "SELECT c.id, c.name, c.email, c.phone, c.phone_e164, c.source, c.notes, c.status, c.score,
        c.company_id, co.name AS company_name, c.owner_id, u.name AS owner_name,
        c.last_contacted_at, c.next_followup_at, c.created_at, c.updated_at, c.deleted_at
    FROM contacts c
    LEFT JOIN companies co ON co.id = c.company_id
    LEFT JOIN users u ON u.id = c.owner_id
    WHERE ";

/// Where the previous page ended: the sort value (folded name or creation time) and id of its
/// last row.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct ContactCursor {
    name: Option<String>,
    created_at: Option<DateTime<Utc>>,
    id: i64,
}

impl ContactCursor {
    pub fn after(last: &Contact, sort: ContactSort) -> ContactCursor {
        ContactCursor {
            name: (sort == ContactSort::Name).then(|| fold(&last.name)),
            created_at: (sort == ContactSort::Newest).then_some(last.created_at),
            id: last.id,
        }
    }
}

pub trait ContactStore: RecordStore {
    fn contact(
        &mut self,
        visible: Visible,
        id: i64,
        deleted: bool,
    ) -> impl Future<Output = Result<Option<Contact>, sqlx::Error>> + Send;

    /// The live contact of this tenant that has `email`, other than `except`.
    fn contact_with_email(
        &mut self,
        tenant_id: i64,
        email: &str,
        except: Option<i64>,
    ) -> impl Future<Output = Result<Option<i64>, sqlx::Error>> + Send;

    fn insert_contact(
        &mut self,
        tenant_id: i64,
        record: &ContactRecord,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<i64, sqlx::Error>> + Send;

    fn update_contact(
        &mut self,
        tenant_id: i64,
        id: i64,
        record: &ContactRecord,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;

    /// Up to `fetch` live contacts matching `filter`, in its order, after `after`.
    fn contact_page(
        &mut self,
        visible: Visible,
        filter: &ContactFilter,
        after: Option<&ContactCursor>,
        fetch: i64,
    ) -> impl Future<Output = Result<Vec<Contact>, sqlx::Error>> + Send;
}

/// What search matches: names, email and notes folded; the phone's digits.
fn searchable(r: &ContactRecord) -> String {
    let i = &r.input;
    search_text(
        &[
            Some(i.name.as_str()),
            i.email.as_ref().map(Email::as_str),
            Some(&i.notes),
        ],
        &[i.phone.as_deref()],
    )
}

impl_for_backends! {
    impl ContactStore {
        async fn contact(
            &mut self,
            visible: Visible,
            id: i64,
            deleted: bool,
        ) -> Result<Option<Contact>, sqlx::Error> {
            self.visible_record(SELECT, "c", visible, id, deleted).await
        }

        async fn contact_with_email(
            &mut self,
            tenant_id: i64,
            email: &str,
            except: Option<i64>,
        ) -> Result<Option<i64>, sqlx::Error> {
            sqlx::query_scalar(
                "SELECT id FROM contacts
                 WHERE tenant_id = $1 AND email = $2 AND deleted_at IS NULL AND id <> $3",
            )
            .bind(tenant_id)
            .bind(email)
            .bind(except.unwrap_or(0))
            .fetch_optional(&mut *self)
            .await
        }

        async fn insert_contact(
            &mut self,
            tenant_id: i64,
            record: &ContactRecord,
            now: DateTime<Utc>,
        ) -> Result<i64, sqlx::Error> {
            let i = &record.input;
            sqlx::query_scalar(
                "INSERT INTO contacts (tenant_id, company_id, name, email, phone, source, notes,
                    status, score, owner_id, search_text, sort_name, created_at, updated_at,
                    phone_e164)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14)
                 RETURNING id",
            )
            .bind(tenant_id)
            .bind(record.company_id)
            .bind(i.name.as_str())
            .bind(i.email.as_ref().map(Email::as_str))
            .bind(&i.phone)
            .bind(&i.source)
            .bind(&i.notes)
            .bind(i.status.as_str())
            .bind(i.score.as_str())
            .bind(record.owner_id)
            .bind(searchable(record))
            .bind(fold(i.name.as_str()))
            .bind(now)
            .bind(&record.phone_e164)
            .fetch_one(&mut *self)
            .await
        }

        async fn update_contact(
            &mut self,
            tenant_id: i64,
            id: i64,
            record: &ContactRecord,
            now: DateTime<Utc>,
        ) -> Result<(), sqlx::Error> {
            let i = &record.input;
            sqlx::query(
                "UPDATE contacts SET company_id = $1, name = $2, email = $3, phone = $4,
                    source = $5, notes = $6, status = $7, score = $8, owner_id = $9,
                    search_text = $10, sort_name = $11, updated_at = $12, phone_e164 = $15
                 WHERE id = $13 AND tenant_id = $14",
            )
            .bind(record.company_id)
            .bind(i.name.as_str())
            .bind(i.email.as_ref().map(Email::as_str))
            .bind(&i.phone)
            .bind(&i.source)
            .bind(&i.notes)
            .bind(i.status.as_str())
            .bind(i.score.as_str())
            .bind(record.owner_id)
            .bind(searchable(record))
            .bind(fold(i.name.as_str()))
            .bind(now)
            .bind(id)
            .bind(tenant_id)
            .bind(&record.phone_e164)
            .execute(&mut *self)
            .await
            .map(|_| ())
        }

        async fn contact_page(
            &mut self,
            visible: Visible,
            filter: &ContactFilter,
            after: Option<&ContactCursor>,
            fetch: i64,
        ) -> Result<Vec<Contact>, sqlx::Error> {
            let mut query = sqlx::QueryBuilder::new(SELECT);
            visible.push(&mut query, "c", "owner_id");
            query.push(" AND c.deleted_at IS NULL");
            let q = filter.q.trim();
            if !q.is_empty() {
                query
                    .push(" AND c.search_text LIKE ")
                    .push_bind(contains_pattern(q))
                    .push(" ESCAPE '\\'");
            }
            if let Some(owner) = filter.owner_id {
                query.push(" AND c.owner_id = ").push_bind(owner);
            }
            if let Some(status) = &filter.status {
                query.push(" AND c.status = ").push_bind(status.clone());
            }
            if let Some(score) = &filter.score {
                query.push(" AND c.score = ").push_bind(score.clone());
            }
            if let Some(company) = filter.company_id {
                query.push(" AND c.company_id = ").push_bind(company);
            }
            if let Some(from) = filter.created_from {
                query.push(" AND c.created_at >= ").push_bind(from);
            }
            if let Some(to) = filter.created_to {
                query.push(" AND c.created_at < ").push_bind(to);
            }
            match (filter.sort, after) {
                (ContactSort::Name, Some(c)) => {
                    let name = c.name.clone().unwrap_or_default();
                    query
                        .push(" AND (c.sort_name > ")
                        .push_bind(name.clone())
                        .push(" OR (c.sort_name = ")
                        .push_bind(name)
                        .push(" AND c.id > ")
                        .push_bind(c.id)
                        .push("))");
                }
                (ContactSort::Newest, Some(c)) => {
                    let at = c.created_at.unwrap_or_else(Utc::now);
                    query
                        .push(" AND (c.created_at < ")
                        .push_bind(at)
                        .push(" OR (c.created_at = ")
                        .push_bind(at)
                        .push(" AND c.id < ")
                        .push_bind(c.id)
                        .push("))");
                }
                (_, None) => {}
            }
            query.push(match filter.sort {
                ContactSort::Name => " ORDER BY c.sort_name, c.id",
                ContactSort::Newest => " ORDER BY c.created_at DESC, c.id DESC",
            });
            query.push(" LIMIT ").push_bind(fetch);
            query.build_query_as::<Contact>().fetch_all(&mut *self).await
        }
    }
}
