//! What the overview and an offer's page share: the range form, the key figures and the
//! day-by-day table (the chart's numbers, readable without it).

use chrono::NaiveDate;
use maud::{html, Markup};
use trackly_domain::stats::{per_click, Counts, DateRange, DayCounts};
use trackly_domain::InputError;

use super::params::{param, Query};
use crate::format;

/// The range a page shows: `from`/`to` from its query (the last 7 days by default), or
/// the default with the reason the asked range was refused.
pub(crate) fn range(query: &Query, today: NaiveDate) -> (DateRange, Option<InputError>) {
    match DateRange::parse(param(query, "from"), param(query, "to"), today) {
        Ok(range) => (range, None),
        Err(error) => (
            DateRange::parse(None, None, today).unwrap_or(DateRange {
                from: today,
                to: today,
            }),
            Some(error),
        ),
    }
}

/// The form that picks the range.
pub(crate) fn range_form(action: &str, range: DateRange, refused: Option<&InputError>) -> Markup {
    html! {
        form.range method="get" action=(action) {
            div.field {
                label for="from" { "From" }
                input #from name="from" type="date" value=(range.from);
            }
            div.field {
                label for="to" { "To" }
                input #to name="to" type="date" value=(range.to);
            }
            button type="submit" { "Show" }
            @if let Some(error) = refused {
                p.error role="alert" { (error) " Showing the last 7 days." }
            }
        }
    }
}

/// The key figures of `totals`.
pub(crate) fn figures(totals: &Counts) -> Markup {
    let clicks = u64::try_from(totals.clicks).unwrap_or_default();
    let tiles = [
        ("Clicks", format::count(totals.clicks)),
        ("Unique clicks", format::count(totals.unique_clicks)),
        ("First clicks", format::count(totals.first_clicks)),
        ("Bot clicks", format::count(totals.bot_clicks)),
        ("Conversions", format::count(totals.conversions)),
        ("Revenue", format::money(totals.revenue)),
        ("EPC", format::per_click(per_click(totals.revenue, clicks))),
        (
            "Conversion rate",
            format::percent(totals.conversions, totals.clicks),
        ),
    ];
    html! {
        dl.figures {
            @for (name, value) in tiles {
                div.figure { dt { (name) } dd { (value) } }
            }
        }
    }
}

/// Every day of the range with its counts.
pub(crate) fn daily_table(days: &[DayCounts]) -> Markup {
    html! {
        div.table-wrap {
            table.numbers {
                caption { "Day by day (UTC)" }
                thead { tr {
                    th scope="col" { "Day" }
                    th scope="col" { "Clicks" }
                    th scope="col" { "Unique" }
                    th scope="col" { "First" }
                    th scope="col" { "Bots" }
                    th scope="col" { "Conversions" }
                    th scope="col" { "Revenue" }
                } }
                tbody {
                    @for day in days.iter().rev() {
                        tr {
                            th scope="row" { (day.day) }
                            td { (format::count(day.counts.clicks)) }
                            td { (format::count(day.counts.unique_clicks)) }
                            td { (format::count(day.counts.first_clicks)) }
                            td { (format::count(day.counts.bot_clicks)) }
                            td { (format::count(day.counts.conversions)) }
                            td { (format::money(day.counts.revenue)) }
                        }
                    }
                }
            }
        }
    }
}
