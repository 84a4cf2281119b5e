//! The dashboard on the start page: open pipeline value by stage, won and lost this month,
//! activities per rep this week and overdue tasks, for what the signed-in user may see.

use super::{
    charts::{Bar, BarChart, StackedBarChart, StackedRow},
    server_fns::load_dashboard,
    CurrencyAmount, Dashboard, OverdueTask,
};
use crate::{ui::record_page::RecordProblem, validation::money::format_money};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use std::collections::BTreeSet;

/// The activity kinds' names and colours, in the order of `RepActivities::counts`.
const KIND_SERIES: [(&str, &str); 4] = [
    ("Calls", "#0ea5e9"),
    ("Emails", "#6366f1"),
    ("Meetings", "#f59e0b"),
    ("Notes", "#64748b"),
];

/// `3 deals · 1,200.00 EUR, 50.00 USD`
fn deals_and_amounts(count: i64, amounts: &[CurrencyAmount]) -> String {
    let deals = if count == 1 { "deal" } else { "deals" };
    let money: Vec<String> = amounts
        .iter()
        .map(|a| format_money(a.amount_minor, &a.currency))
        .collect();
    if money.is_empty() {
        format!("{count} {deals}")
    } else {
        format!("{count} {deals} · {}", money.join(", "))
    }
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let query = use_query_map();
    let dashboard = Resource::new(
        move || {
            query
                .with(|q| q.get("pipeline"))
                .and_then(|p| p.parse::<i64>().ok())
        },
        load_dashboard,
    );
    view! {
        <Title text="Dashboard · CRM" />
        <Transition fallback=|| {
            view! { <p class="muted">"Loading the dashboard…"</p> }
        }>
            {move || Suspend::new(async move {
                match dashboard.await {
                    Ok(d) => view! { <DashboardBody d /> }.into_any(),
                    Err(error) => view! { <RecordProblem error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn DashboardBody(d: Dashboard) -> impl IntoView {
    let pipeline_name = d.pipeline_name().unwrap_or_default().to_string();
    view! {
        <h1>"Dashboard"</h1>
        <p class="muted">"Periods in " {d.timezone.clone()} "."</p>
        <div class="dashboard" data-testid="dashboard">
            <PipelineValue d=d.clone() pipeline_name />
            <WonLostCard d=d.clone() />
            <ActivitiesCard d=d.clone() />
            <OverdueCard d />
        </div>
    }
}

#[component]
fn PipelineValue(d: Dashboard, pipeline_name: String) -> impl IntoView {
    let switcher = (d.pipelines.len() > 1).then(|| {
        let current = d.pipeline_id;
        view! {
            <nav class="pipeline-switcher" aria-label="Pipelines">
                {d
                    .pipelines
                    .iter()
                    .map(|p| {
                        view! {
                            <a
                                href=format!("/?pipeline={}", p.id)
                                aria-current=(Some(p.id) == current).then_some("page")
                            >
                                {p.name.clone()}
                            </a>
                        }
                    })
                    .collect_view()}
            </nav>
        }
    });
    let currencies: BTreeSet<String> = d
        .stages
        .iter()
        .flat_map(|s| s.amounts.iter().map(|a| a.currency.clone()))
        .collect();
    let body = if currencies.is_empty() {
        view! {
            <p class="muted" data-testid="no-open-deals">
                "No open deals yet."
            </p>
        }
        .into_any()
    } else {
        // Amounts in different currencies are not added up: one chart per currency.
        let charts = currencies
            .into_iter()
            .map(|currency| {
                let bars = d
                    .stages
                    .iter()
                    .map(|s| {
                        let amount = s.amounts.iter().find(|a| a.currency == currency);
                        let (minor, count) = amount.map_or((0, 0), |a| (a.amount_minor, a.count));
                        let deals = if count == 1 { "deal" } else { "deals" };
                        Bar {
                            label: s.name.clone(),
                            value: minor as f64,
                            value_text: format!(
                                "{count} {deals} · {}",
                                format_money(minor, &currency)
                            ),
                            color: s.color.clone(),
                        }
                    })
                    .collect();
                view! {
                    <BarChart
                        id=format!("pipeline-{}", currency.to_lowercase())
                        title=format!("Open deals by stage in {currency}, {pipeline_name}")
                        columns=("Stage", "Open deals and value")
                        bars
                    />
                }
            })
            .collect_view();
        view! { <div class="chart-group">{charts}</div> }.into_any()
    };
    view! {
        <section
            class="panel dashboard-card dashboard-wide"
            aria-labelledby="pipeline-value-title"
            data-testid="pipeline-value"
        >
            <div class="dashboard-card-header">
                <h2 id="pipeline-value-title">"Open pipeline value"</h2>
                {switcher}
            </div>
            <p class="muted">{pipeline_name.clone()}</p>
            {body}
        </section>
    }
}

#[component]
fn WonLostCard(d: Dashboard) -> impl IntoView {
    let w = d.won_lost;
    let closed = w.won_count + w.lost_count > 0;
    let bars = vec![
        Bar {
            label: "Won".into(),
            value: w.won_count as f64,
            value_text: deals_and_amounts(w.won_count, &w.won_amounts),
            color: "#16a34a".into(),
        },
        Bar {
            label: "Lost".into(),
            value: w.lost_count as f64,
            value_text: deals_and_amounts(w.lost_count, &w.lost_amounts),
            color: "#dc2626".into(),
        },
    ];
    view! {
        <section
            class="panel dashboard-card"
            aria-labelledby="won-lost-title"
            data-testid="won-lost"
        >
            <h2 id="won-lost-title">"Won and lost this month"</h2>
            <p class="muted">{d.month_label.clone()} ", all pipelines"</p>
            <dl class="stat-row">
                <div>
                    <dt>"Won"</dt>
                    <dd data-testid="won-count">{w.won_count}</dd>
                </div>
                <div>
                    <dt>"Lost"</dt>
                    <dd data-testid="lost-count">{w.lost_count}</dd>
                </div>
            </dl>
            {if closed {
                view! {
                    <BarChart
                        id="won-lost"
                        title=format!("Deals won and lost in {}", d.month_label)
                        columns=("Outcome", "Deals and value")
                        bars
                    />
                }
                    .into_any()
            } else {
                view! { <p class="muted">"No deals closed this month yet."</p> }.into_any()
            }}
        </section>
    }
}

#[component]
fn ActivitiesCard(d: Dashboard) -> impl IntoView {
    let rows: Vec<StackedRow> = d
        .activities_by_rep
        .iter()
        .map(|r| StackedRow {
            label: r.name.clone(),
            values: r.counts.to_vec(),
        })
        .collect();
    let total: i64 = d.activities_by_rep.iter().map(|r| r.total()).sum();
    view! {
        <section
            class="panel dashboard-card"
            aria-labelledby="activities-title"
            data-testid="activities"
        >
            <h2 id="activities-title">"Activities this week"</h2>
            <p class="muted">
                {d.week_label.clone()} " · " <span data-testid="activities-total">{total}</span>
                " logged"
            </p>
            {if rows.is_empty() {
                view! {
                    <p class="muted">"No calls, emails, meetings or notes logged this week yet."</p>
                }
                    .into_any()
            } else {
                view! {
                    <StackedBarChart
                        id="activities"
                        title=format!("Activities per rep, {}", d.week_label)
                        row_heading="Rep"
                        series=KIND_SERIES.to_vec()
                        rows
                    />
                }
                    .into_any()
            }}
        </section>
    }
}

#[component]
fn OverdueCard(d: Dashboard) -> impl IntoView {
    let overdue = d.overdue_tasks;
    let list = if overdue.top.is_empty() {
        view! { <p class="muted">"Nothing overdue."</p> }.into_any()
    } else {
        view! {
            <ul class="overdue-list">
                {overdue.top.into_iter().map(|task| view! { <OverdueRow task /> }).collect_view()}
            </ul>
            <p>
                <a href="/tasks">"Open my tasks"</a>
            </p>
        }
        .into_any()
    };
    view! {
        <section class="panel dashboard-card" aria-labelledby="overdue-title" data-testid="overdue">
            <h2 id="overdue-title">
                "Overdue tasks " <span class="badge" data-testid="overdue-count">
                    {overdue.count}
                </span>
            </h2>
            {list}
        </section>
    }
}

#[component]
fn OverdueRow(task: OverdueTask) -> impl IntoView {
    let contact = task.contact_id.map(|id| {
        let name = task
            .contact_name
            .clone()
            .unwrap_or_else(|| format!("Contact {id}"));
        view! { <a href=format!("/contacts/{id}")>{name}</a> }
    });
    let deal = task.deal_id.map(|id| {
        let title = task
            .deal_title
            .clone()
            .unwrap_or_else(|| format!("Deal {id}"));
        view! { <a href=format!("/deals/{id}")>{title}</a> }
    });
    view! {
        <li data-testid="overdue-task">
            <a href="/tasks" class="task-title">
                {task.title.clone()}
            </a>
            <span class="muted">
                " due " {task.due_at.format("%Y-%m-%d %H:%M UTC").to_string()}
                {task.assignee_name.clone().map(|n| format!(" · {n}"))}
            </span>
            {contact}
            {deal}
        </li>
    }
}
