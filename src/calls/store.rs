//! All of the calls' SQL, as one trait for both backends: each method runs on a pooled
//! connection or inside the service's transaction. A person's calls are always looked up with
//! their tenant and user; the log's are scoped by `Visible`.

use super::{state::CallState, Call};
use crate::{auth::scope::Visible, impl_for_backends};
use chrono::{DateTime, Utc};
use std::future::Future;

/// Ends before `WHERE`; `c` is the call.
const SELECT: &str = "SELECT c.id, c.user_id, u.name AS user_name, c.direction,
        c.from_number, c.to_number, c.contact_id, ct.name AS contact_name, c.company_id,
        c.deal_id, d.title AS deal_title, c.state, c.started_at, c.answered_at, c.ended_at,
        c.duration_seconds, c.disposition_id, cd.name AS disposition_name, c.wrapup_notes,
        c.recording_url
    FROM calls c
    JOIN users u ON u.id = c.user_id
    LEFT JOIN contacts ct ON ct.id = c.contact_id
    LEFT JOIN deals d ON d.id = c.deal_id
    LEFT JOIN call_dispositions cd ON cd.id = c.disposition_id";

/// States of a call that is not finished: live, or over and waiting for its wrap-up.
const UNFINISHED: &str = "('dialing', 'ringing', 'answered', 'ended', 'failed', 'interrupted')";

/// A call about to be dialled (or taken): who is on the other end and what it is about.
pub struct NewCall<'a> {
    pub direction: &'a str,
    pub from_number: &'a str,
    pub to_number: &'a str,
    pub contact_id: Option<i64>,
    pub company_id: Option<i64>,
    pub deal_id: Option<i64>,
    pub request_id: Option<&'a str>,
}

/// What a phone event changes: the next state and its times.
pub struct CallProgress {
    pub next: CallState,
    pub answered_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    pub duration_seconds: Option<i64>,
}

/// How a call was closed.
pub struct CallWrapUp<'a> {
    pub disposition_id: i64,
    pub notes: &'a str,
    pub activity_id: i64,
}

/// The calls log's filters, parsed; `from`/`to` are instants (the tenant's midnights).
#[derive(Default)]
pub struct LogQuery {
    pub user_id: Option<i64>,
    pub direction: Option<String>,
    pub disposition_id: Option<i64>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub before_id: Option<i64>,
}

pub trait CallStore {
    /// One of the user's own calls.
    fn own_call(
        &mut self,
        tenant_id: i64,
        user_id: i64,
        id: i64,
    ) -> impl Future<Output = Result<Option<Call>, sqlx::Error>> + Send;

    /// The call the user already started for this click-to-call request.
    fn call_for_request(
        &mut self,
        tenant_id: i64,
        user_id: i64,
        request_id: &str,
    ) -> impl Future<Output = Result<Option<i64>, sqlx::Error>> + Send;

    /// The user's call that is live or waiting for its wrap-up, with its state.
    fn unfinished_call(
        &mut self,
        tenant_id: i64,
        user_id: i64,
    ) -> impl Future<Output = Result<Option<Call>, sqlx::Error>> + Send;

    /// The user's latest calls, newest first.
    fn recent_calls(
        &mut self,
        tenant_id: i64,
        user_id: i64,
        limit: i64,
    ) -> impl Future<Output = Result<Vec<Call>, sqlx::Error>> + Send;

    fn insert_call(
        &mut self,
        tenant_id: i64,
        user_id: i64,
        call: &NewCall<'_>,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<i64, sqlx::Error>> + Send;

    /// Moves the call on if it is still in state `from`; whether it was.
    fn progress_call(
        &mut self,
        tenant_id: i64,
        user_id: i64,
        id: i64,
        from: CallState,
        progress: &CallProgress,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<bool, sqlx::Error>> + Send;

    /// Wraps the call up if it is still in state `from`; whether it was.
    fn wrap_up_call(
        &mut self,
        tenant_id: i64,
        user_id: i64,
        id: i64,
        from: CallState,
        wrap_up: &CallWrapUp<'_>,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<bool, sqlx::Error>> + Send;

    /// Up to `fetch` calls `visible` covers, matching `query`, newest first.
    fn call_log(
        &mut self,
        visible: Visible,
        query: &LogQuery,
        fetch: i64,
    ) -> impl Future<Output = Result<Vec<Call>, sqlx::Error>> + Send;

    /// Live contacts of the tenant whose phone is `e164`, oldest first: at most 200.
    fn contacts_with_phone(
        &mut self,
        tenant_id: i64,
        e164: &str,
    ) -> impl Future<Output = Result<Vec<i64>, sqlx::Error>> + Send;
}

impl_for_backends! {
    impl CallStore {
        async fn own_call(&mut self, tenant_id: i64, user_id: i64, id: i64) -> Result<Option<Call>, sqlx::Error> {
            sqlx::query_as(&format!(
                "{SELECT} WHERE c.tenant_id = $1 AND c.user_id = $2 AND c.id = $3"
            ))
            .bind(tenant_id)
            .bind(user_id)
            .bind(id)
            .fetch_optional(&mut *self)
            .await
        }

        async fn call_for_request(
            &mut self,
            tenant_id: i64,
            user_id: i64,
            request_id: &str,
        ) -> Result<Option<i64>, sqlx::Error> {
            sqlx::query_scalar(
                "SELECT id FROM calls WHERE tenant_id = $1 AND user_id = $2 AND request_id = $3",
            )
            .bind(tenant_id)
            .bind(user_id)
            .bind(request_id)
            .fetch_optional(&mut *self)
            .await
        }

        async fn unfinished_call(&mut self, tenant_id: i64, user_id: i64) -> Result<Option<Call>, sqlx::Error> {
            sqlx::query_as(&format!(
                "{SELECT} WHERE c.tenant_id = $1 AND c.user_id = $2 AND c.state IN {UNFINISHED}
                 ORDER BY c.id LIMIT 1"
            ))
            .bind(tenant_id)
            .bind(user_id)
            .fetch_optional(&mut *self)
            .await
        }

        async fn recent_calls(&mut self, tenant_id: i64, user_id: i64, limit: i64) -> Result<Vec<Call>, sqlx::Error> {
            sqlx::query_as(&format!(
                "{SELECT} WHERE c.tenant_id = $1 AND c.user_id = $2 ORDER BY c.id DESC LIMIT $3"
            ))
            .bind(tenant_id)
            .bind(user_id)
            .bind(limit)
            .fetch_all(&mut *self)
            .await
        }

        async fn insert_call(
            &mut self,
            tenant_id: i64,
            user_id: i64,
            call: &NewCall<'_>,
            now: DateTime<Utc>,
        ) -> Result<i64, sqlx::Error> {
            sqlx::query_scalar(
                "INSERT INTO calls (tenant_id, user_id, direction, from_number, to_number, contact_id,
                    company_id, deal_id, state, request_id, started_at, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'dialing', $9, $10, $10, $10) RETURNING id",
            )
            .bind(tenant_id)
            .bind(user_id)
            .bind(call.direction)
            .bind(call.from_number)
            .bind(call.to_number)
            .bind(call.contact_id)
            .bind(call.company_id)
            .bind(call.deal_id)
            .bind(call.request_id)
            .bind(now)
            .fetch_one(&mut *self)
            .await
        }

        async fn progress_call(
            &mut self,
            tenant_id: i64,
            user_id: i64,
            id: i64,
            from: CallState,
            progress: &CallProgress,
            now: DateTime<Utc>,
        ) -> Result<bool, sqlx::Error> {
            let changed = sqlx::query(
                "UPDATE calls SET state = $1, answered_at = $2, ended_at = COALESCE($3, ended_at),
                    duration_seconds = COALESCE($4, duration_seconds), updated_at = $5
                 WHERE tenant_id = $6 AND user_id = $7 AND id = $8 AND state = $9",
            )
            .bind(progress.next.as_str())
            .bind(progress.answered_at)
            .bind(progress.ended_at)
            .bind(progress.duration_seconds)
            .bind(now)
            .bind(tenant_id)
            .bind(user_id)
            .bind(id)
            .bind(from.as_str())
            .execute(&mut *self)
            .await?
            .rows_affected();
            Ok(changed > 0)
        }

        async fn wrap_up_call(
            &mut self,
            tenant_id: i64,
            user_id: i64,
            id: i64,
            from: CallState,
            wrap_up: &CallWrapUp<'_>,
            now: DateTime<Utc>,
        ) -> Result<bool, sqlx::Error> {
            let changed = sqlx::query(
                "UPDATE calls SET state = 'wrapped_up', disposition_id = $1, wrapup_notes = $2,
                    wrapped_up_at = $3, activity_id = $4, updated_at = $3
                 WHERE tenant_id = $5 AND user_id = $6 AND id = $7 AND state = $8",
            )
            .bind(wrap_up.disposition_id)
            .bind(wrap_up.notes)
            .bind(now)
            .bind(wrap_up.activity_id)
            .bind(tenant_id)
            .bind(user_id)
            .bind(id)
            .bind(from.as_str())
            .execute(&mut *self)
            .await?
            .rows_affected();
            Ok(changed > 0)
        }

        async fn call_log(&mut self, visible: Visible, query: &LogQuery, fetch: i64) -> Result<Vec<Call>, sqlx::Error> {
            let mut sql = sqlx::QueryBuilder::new(format!("{SELECT} WHERE "));
            visible.push(&mut sql, "c", "user_id");
            if let Some(user) = query.user_id {
                sql.push(" AND c.user_id = ").push_bind(user);
            }
            if let Some(d) = &query.direction {
                sql.push(" AND c.direction = ").push_bind(d.clone());
            }
            if let Some(d) = query.disposition_id {
                sql.push(" AND c.disposition_id = ").push_bind(d);
            }
            if let Some(at) = query.from {
                sql.push(" AND c.started_at >= ").push_bind(at);
            }
            if let Some(at) = query.to {
                sql.push(" AND c.started_at < ").push_bind(at);
            }
            if let Some(id) = query.before_id {
                sql.push(" AND c.id < ").push_bind(id);
            }
            sql.push(" ORDER BY c.id DESC LIMIT ").push_bind(fetch);
            sql.build_query_as::<Call>().fetch_all(&mut *self).await
        }

        async fn contacts_with_phone(
            &mut self,
            tenant_id: i64,
            e164: &str,
        ) -> Result<Vec<i64>, sqlx::Error> {
            sqlx::query_scalar(
                "SELECT id FROM contacts
                 WHERE tenant_id = $1 AND phone_e164 = $2 AND deleted_at IS NULL ORDER BY id LIMIT 200",
            )
            .bind(tenant_id)
            .bind(e164)
            .fetch_all(&mut *self)
            .await
        }
    }
}
