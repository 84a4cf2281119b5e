//! All of the companies' SQL, as one trait for both backends: each method runs on a pooled
//! connection or inside the service's transaction.

use super::{input::CompanyRecord, Company, CompanyFilter};
use crate::{
    auth::scope::Visible,
    impl_for_backends,
    records::store::RecordStore,
    search::{contains_pattern, fold, search_text},
    validation::optional,
};
use chrono::{DateTime, Utc};
use std::future::Future;

/// Ends in `WHERE `; `co` is the company.
pub(super) const SELECT: &str = "SELECT co.id, co.name, co.domain, co.phone, co.phone_e164, co.address, co.notes, co.owner_id,
        u.name AS owner_name,
        (SELECT COUNT(*) FROM contacts c WHERE c.company_id = co.id AND c.deleted_at IS NULL) AS contact_count,
        co.created_at, co.updated_at, co.deleted_at
    FROM companies co
    LEFT JOIN users u ON u.id = co.owner_id
    WHERE ";

/// Where the previous page ended: the folded name and id of its last row.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct CompanyCursor {
    name: String,
    id: i64,
}

impl CompanyCursor {
    pub fn after(last: &Company) -> CompanyCursor {
        CompanyCursor {
            name: fold(&last.name),
            id: last.id,
        }
    }
}

pub trait CompanyStore: RecordStore {
    fn company(
        &mut self,
        visible: Visible,
        id: i64,
        deleted: bool,
    ) -> impl Future<Output = Result<Option<Company>, sqlx::Error>> + Send;

    fn insert_company(
        &mut self,
        tenant_id: i64,
        record: &CompanyRecord,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<i64, sqlx::Error>> + Send;

    fn update_company(
        &mut self,
        tenant_id: i64,
        id: i64,
        record: &CompanyRecord,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;

    /// Up to `fetch` live companies matching `filter`, by name, after `after`.
    fn company_page(
        &mut self,
        visible: Visible,
        filter: &CompanyFilter,
        after: Option<&CompanyCursor>,
        fetch: i64,
    ) -> impl Future<Output = Result<Vec<Company>, sqlx::Error>> + Send;
}

/// What search matches: name, domain and notes folded; the phone's digits.
fn searchable(r: &CompanyRecord) -> String {
    let i = &r.input;
    search_text(
        &[Some(i.name.as_str()), i.domain.as_deref(), Some(&i.notes)],
        &[i.phone.as_deref()],
    )
}

impl_for_backends! {
    impl CompanyStore {
        async fn company(
            &mut self,
            visible: Visible,
            id: i64,
            deleted: bool,
        ) -> Result<Option<Company>, sqlx::Error> {
            self.visible_record(SELECT, "co", visible, id, deleted).await
        }

        async fn insert_company(
            &mut self,
            tenant_id: i64,
            record: &CompanyRecord,
            now: DateTime<Utc>,
        ) -> Result<i64, sqlx::Error> {
            let i = &record.input;
            sqlx::query_scalar(
                "INSERT INTO companies (tenant_id, name, domain, phone, address, notes, owner_id,
                    sort_name, search_text, created_at, updated_at, phone_e164)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11) RETURNING id",
            )
            .bind(tenant_id)
            .bind(i.name.as_str())
            .bind(&i.domain)
            .bind(&i.phone)
            .bind(&i.address)
            .bind(&i.notes)
            .bind(record.owner_id)
            .bind(fold(i.name.as_str()))
            .bind(searchable(record))
            .bind(now)
            .bind(&record.phone_e164)
            .fetch_one(&mut *self)
            .await
        }

        async fn update_company(
            &mut self,
            tenant_id: i64,
            id: i64,
            record: &CompanyRecord,
            now: DateTime<Utc>,
        ) -> Result<(), sqlx::Error> {
            let i = &record.input;
            sqlx::query(
                "UPDATE companies SET name = $1, domain = $2, phone = $3, address = $4, notes = $5,
                    owner_id = $6, sort_name = $7, search_text = $8, updated_at = $9, phone_e164 = $12
                 WHERE id = $10 AND tenant_id = $11",
            )
            .bind(i.name.as_str())
            .bind(&i.domain)
            .bind(&i.phone)
            .bind(&i.address)
            .bind(&i.notes)
            .bind(record.owner_id)
            .bind(fold(i.name.as_str()))
            .bind(searchable(record))
            .bind(now)
            .bind(id)
            .bind(tenant_id)
            .bind(&record.phone_e164)
            .execute(&mut *self)
            .await
            .map(|_| ())
        }

        async fn company_page(
            &mut self,
            visible: Visible,
            filter: &CompanyFilter,
            after: Option<&CompanyCursor>,
            fetch: i64,
        ) -> Result<Vec<Company>, sqlx::Error> {
            let mut query = sqlx::QueryBuilder::new(SELECT);
            visible.push(&mut query, "co", "owner_id");
            query.push(" AND co.deleted_at IS NULL");
            if let Some(q) = optional(&filter.q) {
                query
                    .push(" AND co.search_text LIKE ")
                    .push_bind(contains_pattern(q))
                    .push(" ESCAPE '\\'");
            }
            if let Some(owner) = filter.owner_id {
                query.push(" AND co.owner_id = ").push_bind(owner);
            }
            if let Some(c) = after {
                query
                    .push(" AND (co.sort_name > ")
                    .push_bind(c.name.clone())
                    .push(" OR (co.sort_name = ")
                    .push_bind(c.name.clone())
                    .push(" AND co.id > ")
                    .push_bind(c.id)
                    .push("))");
            }
            query
                .push(" ORDER BY co.sort_name, co.id LIMIT ")
                .push_bind(fetch);
            query.build_query_as::<Company>().fetch_all(&mut *self).await
        }
    }
}
