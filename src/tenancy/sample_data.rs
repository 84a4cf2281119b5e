//! Realistic sample data: colleagues in two teams, companies, contacts (names with accents,
//! so search can be tried), deals across the stages, activities and follow-ups. Seeded for the
//! demo tenant, and `crm generate` fills any tenant with N of each for benchmarks. Deterministic
//! for a given seed.

use super::sample_store::{SampleCompany, SampleContact, SampleDeal, SampleStore, SampleTask};
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
    /// Won and lost deals closed over the last two years, on top of `deals` (which fall in
    /// every stage): a pipeline with a long history.
    pub closed_deals: usize,
    pub activities: usize,
    pub tasks: usize,
}

/// What a new user of the demo sees: a living CRM, not an empty one.
pub const DEMO: Sizes = Sizes {
    companies: 60,
    contacts: 200,
    deals: 150,
    closed_deals: 0,
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
    let owners = on_db!(db, |pool| {
        pool.acquire().await?.sample_owners(tenant_id).await?
    });
    let stages = on_db!(db, |pool| {
        pool.acquire()
            .await?
            .default_pipeline_stages(tenant_id)
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
            let owner_id = *owners.choose(&mut rng).unwrap_or(&owners[0]);
            let id = tx
                .insert_sample_company(&SampleCompany {
                    tenant_id,
                    name: &name,
                    domain: &domain,
                    owner_id,
                    sort_name: &fold(&name),
                    search_text: &search_text(&[Some(&name), Some(&domain)], &[]),
                    created_at: created,
                })
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
            let local = rng.random_range(1_000_000..9_999_999);
            let phone = format!("+49 30 {local:07}");
            let phone_e164 = format!("+4930{local:07}");
            let company = (!companies.is_empty() && rng.random_bool(0.85))
                .then(|| companies[rng.random_range(0..companies.len())]);
            let owner = *owners.choose(&mut rng).unwrap_or(&owners[0]);
            let notes = if rng.random_bool(0.3) {
                *NOTES.choose(&mut rng).unwrap_or(&"")
            } else {
                ""
            };
            let created = ago(&mut rng, 365);
            // Drawn after `created`, in this order, so a seed keeps giving the same data.
            let source = *SOURCES.choose(&mut rng).unwrap_or(&"Website");
            let status = *STATUSES.choose(&mut rng).unwrap_or(&"New");
            let score = *SCORES.choose(&mut rng).unwrap_or(&"warm");
            let id = tx
                .insert_sample_contact(&SampleContact {
                    tenant_id,
                    company_id: company,
                    name: &name,
                    email: &email,
                    phone: &phone,
                    phone_e164: &phone_e164,
                    source,
                    notes,
                    status,
                    score,
                    owner_id: owner,
                    sort_name: &fold(&name),
                    search_text: &search_text(
                        &[Some(&name), Some(&email), Some(notes)],
                        &[Some(&phone)],
                    ),
                    created_at: created,
                })
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
            let stage = stages[stage_index];
            let created = ago(&mut rng, 180);
            let title = format!(
                "{} licences",
                [5, 10, 25, 50, 100, 250][rng.random_range(0..6)]
            );
            let closed_at = (stage.is_won || stage.is_lost)
                .then(|| created + Duration::days(rng.random_range(1..60)));
            let amount_minor = rng.random_range(5..500_i64) * 10_000;
            let expected_close_on = (now + Duration::days(rng.random_range(-30..120))).date_naive();
            let id = tx
                .insert_sample_deal(&SampleDeal {
                    tenant_id,
                    pipeline_id: stage.pipeline_id,
                    stage_id: stage.id,
                    contact_id: contact,
                    company_id: company,
                    title: &title,
                    amount_minor,
                    owner_id: owner,
                    expected_close_on,
                    closed_at,
                    position: positions[stage_index],
                    created_at: created,
                })
                .await?;
            positions[stage_index] += 1;
            deals.push((id, contact, company, owner));
        }

        let closed_stages: Vec<usize> = (0..stages.len())
            .filter(|&i| stages[i].is_won || stages[i].is_lost)
            .collect();
        let mut closed_made = 0;
        for _ in 0..sizes.closed_deals {
            let (Some(&(contact, company, owner)), Some(&stage_index)) =
                (contacts.choose(&mut rng), closed_stages.choose(&mut rng))
            else {
                break;
            };
            let stage = stages[stage_index];
            let closed_at = ago(&mut rng, 730);
            let created = closed_at - Duration::days(rng.random_range(1..90));
            let amount_minor = rng.random_range(5..500_i64) * 10_000;
            tx.insert_sample_deal(&SampleDeal {
                tenant_id,
                pipeline_id: stage.pipeline_id,
                stage_id: stage.id,
                contact_id: contact,
                company_id: company,
                title: "Renewal",
                amount_minor,
                owner_id: owner,
                expected_close_on: closed_at.date_naive(),
                closed_at: Some(closed_at),
                position: positions[stage_index],
                created_at: created,
            })
            .await?;
            positions[stage_index] += 1;
            closed_made += 1;
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
                tx.touch_last_contacted(contact, happened_at).await?;
            }
        }

        for _ in 0..sizes.tasks {
            let Some(&(contact, _, owner)) = contacts.choose(&mut rng) else {
                break;
            };
            let due = now + Duration::hours(rng.random_range(-5 * 24..14 * 24));
            let title =
                ["Call back", "Send proposal", "Book a demo", "Check in"][rng.random_range(0..4)];
            let priority = ["low", "normal", "high"][rng.random_range(0..3)];
            tx.insert_sample_task(&SampleTask {
                tenant_id,
                title,
                due_at: due,
                priority,
                owner_id: owner,
                contact_id: contact,
                created_at: now,
            })
            .await?;
        }
        tx.refresh_next_followups(tenant_id).await?;
        tx.commit().await?;
        // Fresh statistics after a bulk load, so the planner uses the indexes straight away.
        pool.acquire().await?.analyze().await?;
        Ok::<_, anyhow::Error>(Filled {
            companies: companies.len(),
            contacts: contacts.len(),
            deals: deals.len() + closed_made,
            activities: if contacts.is_empty() {
                0
            } else {
                sizes.activities
            },
            tasks: if contacts.is_empty() { 0 } else { sizes.tasks },
        })
    })
}
