//! Small SVG charts drawn by the app itself (no chart library). Each scales with its `viewBox`
//! from a phone to a desktop, names itself for screen readers and carries its numbers in a
//! visually hidden table, since a picture of bars says nothing to a screen reader.

use leptos::prelude::*;

/// The drawing's width in `viewBox` units; the SVG scales to its container.
const WIDTH: f64 = 400.0;
const ROW: f64 = 46.0;

/// One bar: its label, the value that sets its length, the value as people read it, its colour.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub value_text: String,
    pub color: String,
}

/// The length of `value` on a scale where `max` fills the width; a non-zero value stays visible.
fn bar_length(value: f64, max: f64) -> f64 {
    if value <= 0.0 || max <= 0.0 {
        0.0
    } else {
        (value / max * WIDTH).max(2.0)
    }
}

fn height_for(rows: usize) -> f64 {
    (rows.max(1) as f64) * ROW
}

/// Horizontal bars, one row each: label on the left, value on the right, bar below them.
#[component]
pub fn BarChart(
    /// Unique on the page; the SVG's title takes its id from it.
    #[prop(into)]
    id: String,
    #[prop(into)] title: String,
    /// The hidden table's column headings: what a row is, what its value is.
    columns: (&'static str, &'static str),
    bars: Vec<Bar>,
) -> impl IntoView {
    let max = bars.iter().map(|b| b.value).fold(0.0, f64::max);
    let height = height_for(bars.len());
    let title_id = format!("{id}-title");
    let labelled_by = title_id.clone();
    let table_rows = bars
        .iter()
        .map(|b| {
            view! {
                <tr>
                    <th scope="row">{b.label.clone()}</th>
                    <td>{b.value_text.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    let rows = bars
        .into_iter()
        .enumerate()
        .map(|(i, bar)| {
            let top = i as f64 * ROW;
            view! {
                <g data-testid="chart-bar">
                    <text x="0" y=top + 16.0 class="chart-label">
                        {bar.label}
                    </text>
                    <text
                        x=WIDTH
                        y=top + 16.0
                        text-anchor="end"
                        class="chart-value"
                        data-testid="bar-value"
                    >
                        {bar.value_text}
                    </text>
                    <rect
                        x="0"
                        y=top + 24.0
                        width=WIDTH
                        height="14"
                        rx="3"
                        class="chart-track"
                    ></rect>
                    <rect
                        x="0"
                        y=top + 24.0
                        width=bar_length(bar.value, max)
                        height="14"
                        rx="3"
                        fill=bar.color
                    ></rect>
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="chart" data-testid=format!("chart-{id}")>
            <svg
                viewBox=format!("0 0 {WIDTH} {height}")
                role="img"
                aria-labelledby=labelled_by
                preserveAspectRatio="xMinYMin meet"
            >
                <title id=title_id>{title.clone()}</title>
                {rows}
            </svg>
            // A table does not shrink to 1 px: its wrapper hides it.
            <div class="visually-hidden">
                <table>
                    <caption>{title}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{columns.0}</th>
                            <th scope="col">{columns.1}</th>
                        </tr>
                    </thead>
                    <tbody>{table_rows}</tbody>
                </table>
            </div>
        </figure>
    }
}

/// One row of a stacked bar chart: its label and one value per series.
#[derive(Clone, Debug, PartialEq)]
pub struct StackedRow {
    pub label: String,
    pub values: Vec<i64>,
}

/// Horizontal bars split into coloured segments, one per series, with a legend; the total is
/// written at the end of each row.
#[component]
pub fn StackedBarChart(
    #[prop(into)] id: String,
    #[prop(into)] title: String,
    row_heading: &'static str,
    /// Each series' name and colour, in the order of `StackedRow::values`.
    series: Vec<(&'static str, &'static str)>,
    rows: Vec<StackedRow>,
) -> impl IntoView {
    let max = rows
        .iter()
        .map(|r| r.values.iter().sum::<i64>())
        .max()
        .unwrap_or(0) as f64;
    let height = height_for(rows.len());
    let title_id = format!("{id}-title");
    let labelled_by = title_id.clone();
    let headings = series
        .iter()
        .map(|(name, _)| view! { <th scope="col">{*name}</th> })
        .collect_view();
    let table_rows = rows
        .iter()
        .map(|r| {
            let total: i64 = r.values.iter().sum();
            view! {
                <tr>
                    <th scope="row">{r.label.clone()}</th>
                    {r.values.iter().map(|v| view! { <td>{*v}</td> }).collect_view()}
                    <td>{total}</td>
                </tr>
            }
        })
        .collect_view();
    let colors: Vec<&'static str> = series.iter().map(|(_, c)| *c).collect();
    let drawn = rows
        .into_iter()
        .enumerate()
        .map(|(i, row)| {
            let top = i as f64 * ROW;
            let total: i64 = row.values.iter().sum();
            let mut x = 0.0;
            let segments = row
                .values
                .iter()
                .zip(colors.iter())
                .map(|(value, color)| {
                    let width = bar_length(*value as f64, max);
                    let start = x;
                    x += width;
                    view! { <rect x=start y=top + 24.0 width=width height="14" fill=*color></rect> }
                })
                .collect_view();
            view! {
                <g data-testid="chart-bar">
                    <text x="0" y=top + 16.0 class="chart-label">
                        {row.label}
                    </text>
                    <text
                        x=WIDTH
                        y=top + 16.0
                        text-anchor="end"
                        class="chart-value"
                        data-testid="bar-value"
                    >
                        {total}
                    </text>
                    <rect
                        x="0"
                        y=top + 24.0
                        width=WIDTH
                        height="14"
                        rx="3"
                        class="chart-track"
                    ></rect>
                    {segments}
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="chart" data-testid=format!("chart-{id}")>
            <svg
                viewBox=format!("0 0 {WIDTH} {height}")
                role="img"
                aria-labelledby=labelled_by
                preserveAspectRatio="xMinYMin meet"
            >
                <title id=title_id>{title.clone()}</title>
                {drawn}
            </svg>
            <ul class="chart-legend" aria-hidden="true">
                {series
                    .iter()
                    .map(|(name, color)| {
                        view! {
                            <li>
                                <span
                                    class="chart-swatch"
                                    style=format!("background:{color}")
                                ></span>
                                {*name}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            // A table does not shrink to 1 px: its wrapper hides it.
            <div class="visually-hidden">
                <table>
                    <caption>{title}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{row_heading}</th>
                            {headings}
                            <th scope="col">"Total"</th>
                        </tr>
                    </thead>
                    <tbody>{table_rows}</tbody>
                </table>
            </div>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_and_small_ones_stay_visible() {
        assert_eq!(bar_length(50.0, 100.0), WIDTH / 2.0);
        assert_eq!(bar_length(100.0, 100.0), WIDTH);
        assert_eq!(bar_length(0.0, 100.0), 0.0);
        assert_eq!(bar_length(1.0, 1_000_000.0), 2.0);
        assert_eq!(bar_length(0.0, 0.0), 0.0);
    }
}
