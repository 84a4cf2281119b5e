//! Realistic sample data: colleagues in two teams, companies, contacts (names with accents,
//! so search can be tried), deals across the stages, activities and follow-ups. Seeded for the
//! demo tenant, and `crm generate` fills any tenant with N of each for benchmarks. Deterministic
//! for a given seed.

use crate::db::BeginWrite;
use crate::{
    activities::store::{ActivityStore, NewActivity},
    db::Db,
    on_db,
    search::{fold, search_text},
};
use chrono::{DateTime, Duration, Utc};
use rand::{rngs::StdRng, seq::IndexedRandom, Rng, SeedableRng};
use serde_json::json;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sizes {
    pub companies: usize,
    pub contacts: usize,
    pub deals: usize,
    pub activities: usize,
    pub tasks: usize,
}

/// What a new user of the demo sees: a living CRM, not an empty one.
pub const DEMO: Sizes = Sizes {
    companies: 60,
    contacts: 200,
    deals: 150,
    activities: 400,
    tasks: 80,
};

const FIRST: [&str; 24] = [
    "José", "Zoë", "Ana", "Łukasz", "Søren", "Chloé", "Mehmet", "Aoife", "Björn", "Inès", "Mateo",
    "Priya", "Jürgen", "Noémie", "Tomás", "Yara", "Oskar", "Amélie", "Ravi", "Greta", "Hugo",
    "Léa", "Niamh", "Kenji",
];
const LAST: [&str; 24] = [
    "García",
    "Müller",
    "Kowalski",
    "Jørgensen",
    "Dubois",
    "Yılmaz",
    "O'Brien",
    "Andersson",
    "Ferreira",
    "Rossi",
    "Novák",
    "Schmidt",
    "Martín",
    "Nakamura",
    "Haddad",
    "Fischer",
    "Lefèvre",
    "Costa",
    "Weiß",
    "Brennan",
    "Silva",
    "Horvat",
    "Lindqvist",
    "Moreau",
];
const COMPANY_A: [&str; 12] = [
    "Nord", "Alpen", "Blue", "Kraft", "Lumen", "Vega", "Atlas", "Orbit", "Terra", "Pixel", "Helix",
    "Aurora",
];
const COMPANY_B: [&str; 10] = [
    "Logistik",
    "Systems",
    "Foods",
    "Energie",
    "Robotics",
    "Textil",
    "Pharma",
    "Media",
    "Bau",
    "Analytics",
];
const SUFFIX: [&str; 5] = ["GmbH", "AG", "Ltd", "S.A.", "B.V."];
const SOURCES: [&str; 5] = ["Website", "Referral", "Trade fair", "Cold call", "LinkedIn"];
const STATUSES: [&str; 5] = ["New", "Active", "Hot", "Inactive", "Cold"];
const SCORES: [&str; 3] = ["hot", "warm", "cold"];
const NOTES: [&str; 6] = [
    "Asked for a proposal by end of month.",
    "Prefers email over calls.",
    "Budget approved for next quarter.",
    "Wants a demo with the technical team.",
    "Comparing us with two competitors.",
    "Follow up after the trade fair.",
];

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Filled {
    pub companies: usize,
    pub contacts: usize,
    pub deals: usize,
    pub activities: usize,
    pub tasks: usize,
}

/// Adds `sizes` of sample data to the tenant, owned by its active users (not read-only ones).
pub async fn fill_tenant(
    db: &Db,
    tenant_id: i64,
    sizes: Sizes,
    seed: u64,
) -> anyhow::Result<Filled> {
    let mut rng = StdRng::seed_from_u64(seed);
    let now = Utc::now();
    let owners: Vec<i64> = on_db!(db, |pool| {
        sqlx::query_scalar("SELECT id FROM users WHERE tenant_id = $1 AND is_active = TRUE AND role <> 'read_only' ORDER BY id")
            .bind(tenant_id)
            .fetch_all(pool)
            .await?
    });
    let stages: Vec<(i64, i64, bool, bool)> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT s.id, s.pipeline_id, s.is_won, s.is_lost FROM pipeline_stages s
             JOIN pipelines p ON p.id = s.pipeline_id
             WHERE s.tenant_id = $1 AND p.is_default = TRUE ORDER BY s.sort_order",
        )
        .bind(tenant_id)
        .fetch_all(pool)
        .await?
    });
    anyhow::ensure!(
        !owners.is_empty(),
        "the tenant has no active users to own the data"
    );
    anyhow::ensure!(!stages.is_empty(), "the tenant has no default pipeline");
    let ago = |rng: &mut StdRng, max_days: i64| -> DateTime<Utc> {
        now - Duration::minutes(rng.random_range(0..max_days.max(1) * 24 * 60))
    };

    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let mut companies = Vec::with_capacity(sizes.companies);
        for n in 0..sizes.companies {
            let name = format!(
                "{} {} {}",
                COMPANY_A.choose(&mut rng).unwrap_or(&"Acme"),
                COMPANY_B.choose(&mut rng).unwrap_or(&"Works"),
                SUFFIX.choose(&mut rng).unwrap_or(&"Ltd")
            );
            let domain = format!(
                "{}{n}.example",
                fold(&name).replace(|c: char| !c.is_ascii_alphanumeric(), "")
            );
            let created = ago(&mut rng, 365);
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO companies (tenant_id, name, domain, phone, notes, owner_id, sort_name, search_text, created_at, updated_at)
                 VALUES ($1, $2, $3, NULL, '', $4, $5, $6, $7, $7) RETURNING id",
            )
            .bind(tenant_id)
            .bind(&name)
            .bind(&domain)
            .bind(*owners.choose(&mut rng).unwrap_or(&owners[0]))
            .bind(fold(&name))
            .bind(search_text(&[Some(&name), Some(&domain)], &[]))
            .bind(created)
            .fetch_one(&mut *tx)
            .await?;
            companies.push(id);
        }

        let mut contacts = Vec::with_capacity(sizes.contacts);
        for n in 0..sizes.contacts {
            let first = FIRST.choose(&mut rng).unwrap_or(&"Ana");
            let last = LAST.choose(&mut rng).unwrap_or(&"Silva");
            let name = format!("{first} {last}");
            let email = format!(
                "{}.{}{n}@example.com",
                fold(first).replace(|c: char| !c.is_ascii_alphanumeric(), ""),
                fold(last).replace(|c: char| !c.is_ascii_alphanumeric(), "")
            );
            let phone = format!("+49 30 {:07}", rng.random_range(1_000_000..9_999_999));
            let company = (!companies.is_empty() && rng.random_bool(0.85))
                .then(|| companies[rng.random_range(0..companies.len())]);
            let owner = *owners.choose(&mut rng).unwrap_or(&owners[0]);
            let notes = if rng.random_bool(0.3) {
                *NOTES.choose(&mut rng).unwrap_or(&"")
            } else {
                ""
            };
            let created = ago(&mut rng, 365);
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO contacts (tenant_id, company_id, name, email, phone, source, notes, status, score, owner_id,
                    sort_name, search_text, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
            )
            .bind(tenant_id)
            .bind(company)
            .bind(&name)
            .bind(&email)
            .bind(&phone)
            .bind(*SOURCES.choose(&mut rng).unwrap_or(&"Website"))
            .bind(notes)
            .bind(*STATUSES.choose(&mut rng).unwrap_or(&"New"))
            .bind(*SCORES.choose(&mut rng).unwrap_or(&"warm"))
            .bind(owner)
            .bind(fold(&name))
            .bind(search_text(&[Some(&name), Some(&email), Some(notes)], &[Some(&phone)]))
            .bind(created)
            .fetch_one(&mut *tx)
            .await?;
            contacts.push((id, company, owner));
        }

        let mut positions = vec![0_i32; stages.len()];
        let mut deals = Vec::with_capacity(sizes.deals);
        for _ in 0..sizes.deals {
            let Some(&(contact, company, owner)) = contacts.choose(&mut rng) else {
                break;
            };
            let stage_index = rng.random_range(0..stages.len());
            let (stage, pipeline, won, lost) = stages[stage_index];
            let created = ago(&mut rng, 180);
            let title = format!(
                "{} licences",
                [5, 10, 25, 50, 100, 250][rng.random_range(0..6)]
            );
            let closed_at =
                (won || lost).then(|| created + Duration::days(rng.random_range(1..60)));
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO deals (tenant_id, pipeline_id, stage_id, contact_id, company_id, title, amount_minor, currency,
                    owner_id, expected_close_on, closed_at, position, version, stage_entered_at, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 'EUR', $8, $9, $10, $11, 1, $12, $12, $12) RETURNING id",
            )
            .bind(tenant_id)
            .bind(pipeline)
            .bind(stage)
            .bind(contact)
            .bind(company)
            .bind(&title)
            .bind(rng.random_range(5..500_i64) * 10_000)
            .bind(owner)
            .bind((now + Duration::days(rng.random_range(-30..120))).date_naive())
            .bind(closed_at)
            .bind(positions[stage_index])
            .bind(created)
            .fetch_one(&mut *tx)
            .await?;
            positions[stage_index] += 1;
            deals.push((id, contact, company, owner));
        }

        let deal_of_contact: std::collections::HashMap<i64, i64> =
            deals.iter().map(|d| (d.1, d.0)).collect();
        for _ in 0..sizes.activities {
            let Some(&(contact, company, owner)) = contacts.choose(&mut rng) else {
                break;
            };
            let deal = deal_of_contact.get(&contact).copied();
            let kind = ["call", "email", "meeting", "note"][rng.random_range(0..4)];
            let payload = match kind {
                "call" => {
                    json!({"direction": "outbound", "duration_seconds": rng.random_range(30..1800)})
                }
                "email" => {
                    json!({"direction": "outbound", "subject": "Following up on our conversation"})
                }
                _ => json!({}),
            };
            let happened_at = ago(&mut rng, 90);
            tx.insert_activity(&NewActivity {
                tenant_id,
                kind,
                body: NOTES.choose(&mut rng).unwrap_or(&"").to_string(),
                payload,
                user_id: Some(owner),
                contact_id: Some(contact),
                company_id: company,
                deal_id: deal,
                happened_at,
            })
            .await?;
            if kind != "note" {
                sqlx::query(
                    "UPDATE contacts SET last_contacted_at = $1 WHERE id = $2 AND (last_contacted_at IS NULL OR last_contacted_at < $1)",
                )
                .bind(happened_at)
                .bind(contact)
                .execute(&mut *tx)
                .await?;
            }
        }

        for _ in 0..sizes.tasks {
            let Some(&(contact, _, owner)) = contacts.choose(&mut rng) else {
                break;
            };
            let due = now + Duration::hours(rng.random_range(-5 * 24..14 * 24));
            sqlx::query(
                "INSERT INTO tasks (tenant_id, title, notes, due_at, priority, status, assignee_id, created_by, contact_id,
                    created_at, updated_at)
                 VALUES ($1, $2, '', $3, $4, 'pending', $5, $5, $6, $7, $7)",
            )
            .bind(tenant_id)
            .bind(["Call back", "Send proposal", "Book a demo", "Check in"][rng.random_range(0..4)])
            .bind(due)
            .bind(["low", "normal", "high"][rng.random_range(0..3)])
            .bind(owner)
            .bind(contact)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "UPDATE contacts SET next_followup_at =
                (SELECT MIN(due_at) FROM tasks WHERE tasks.contact_id = contacts.id AND tasks.status = 'pending')
             WHERE tenant_id = $1",
        )
        .bind(tenant_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        // Fresh statistics after a bulk load, so the planner uses the indexes straight away.
        sqlx::query("ANALYZE").execute(pool).await?;
        Ok::<_, anyhow::Error>(Filled {
            companies: companies.len(),
            contacts: contacts.len(),
            deals: deals.len(),
            activities: if contacts.is_empty() {
                0
            } else {
                sizes.activities
            },
            tasks: if contacts.is_empty() { 0 } else { sizes.tasks },
        })
    })
}
