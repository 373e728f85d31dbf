//! The daily chart, drawn on the server as SVG: a line with one point per day for each
//! count (clicks, unique clicks, first clicks, bot clicks, conversions) and a bar per
//! day for revenue. Colours come from the stylesheet; each point has a title with its
//! day and value. The page's table carries the same numbers for readers and keyboards.

use maud::{html, Markup};
use rust_decimal::prelude::ToPrimitive;
use trackly_domain::stats::{Counts, DayCounts};

use crate::format;

/// Drawing width and heights, in SVG units (the stylesheet scales the drawing).
const WIDTH: f64 = 720.0;
const LINES_HEIGHT: f64 = 200.0;
const BARS_HEIGHT: f64 = 80.0;
/// Room for the axis labels.
const LEFT: f64 = 48.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 24.0;

/// A counted series: its class, its name and how to read it from a day.
type Series = (&'static str, &'static str, fn(&Counts) -> i64);

/// The lines, in legend order.
const SERIES: [Series; 5] = [
    ("clicks", "Clicks", |counts| counts.clicks),
    ("unique", "Unique clicks", |counts| counts.unique_clicks),
    ("first", "First clicks", |counts| counts.first_clicks),
    ("bots", "Bot clicks", |counts| counts.bot_clicks),
    ("conversions", "Conversions", |counts| counts.conversions),
];

/// The chart of `days` (every day of the range, in order), with its legend.
pub(crate) fn daily(days: &[DayCounts]) -> Markup {
    let highest = days
        .iter()
        .flat_map(|day| SERIES.iter().map(move |(_, _, read)| read(&day.counts)))
        .max()
        .unwrap_or(0)
        .max(1);
    let most_revenue = days
        .iter()
        .filter_map(|day| day.counts.revenue.to_f64())
        .fold(0.0_f64, f64::max);
    let x = |index: usize| x_of(index, days.len());
    let y =
        |value: i64| TOP + (LINES_HEIGHT - TOP - BOTTOM) * (1.0 - value as f64 / highest as f64);
    let bar_width = ((WIDTH - LEFT - RIGHT) / days.len().max(1) as f64 * 0.6).max(1.0);
    let (first_day, last_day) = (days.first(), days.last());
    html! {
        figure.chart {
            svg.lines viewBox=(format!("0 0 {WIDTH} {LINES_HEIGHT}")) role="img"
                aria-label="Clicks, unique clicks, first clicks, bot clicks and conversions per day" {
                line.axis x1=(LEFT) y1=(y(0)) x2=(WIDTH - RIGHT) y2=(y(0)) {}
                text.label x=(LEFT - 6.0) y=(y(highest) + 4.0) text-anchor="end" { (format::count(highest)) }
                text.label x=(LEFT - 6.0) y=(y(0) + 4.0) text-anchor="end" { "0" }
                @if let (Some(first), Some(last)) = (first_day, last_day) {
                    text.label x=(LEFT) y=(LINES_HEIGHT - 6.0) { (first.day) }
                    text.label x=(WIDTH - RIGHT) y=(LINES_HEIGHT - 6.0) text-anchor="end" { (last.day) }
                }
                @for (class, name, read) in SERIES {
                    g class=(format!("series series-{class}")) {
                        polyline points=(points(days, |index, day| (x(index), y(read(&day.counts))))) {}
                        @for (index, day) in days.iter().enumerate() {
                            circle.point cx=(x(index)) cy=(y(read(&day.counts))) r="3" {
                                title { (day.day) ": " (format::count(read(&day.counts))) " " (name.to_lowercase()) }
                            }
                        }
                    }
                }
            }
            svg.bars viewBox=(format!("0 0 {WIDTH} {BARS_HEIGHT}")) role="img" aria-label="Revenue per day" {
                text.label x="4" y=(TOP + 4.0) { "Revenue" }
                @for (index, day) in days.iter().enumerate() {
                    @let revenue = day.counts.revenue.to_f64().unwrap_or(0.0).max(0.0);
                    @let height = if most_revenue > 0.0 { (BARS_HEIGHT - TOP - 4.0) * revenue / most_revenue } else { 0.0 };
                    rect.bar x=((x(index) - bar_width / 2.0).clamp(LEFT - bar_width / 2.0, WIDTH - bar_width)) y=(BARS_HEIGHT - 4.0 - height)
                        width=(bar_width) height=(height) {
                        title { (day.day) ": " (format::money(day.counts.revenue)) " revenue" }
                    }
                }
            }
            figcaption {
                ul.legend {
                    @for (class, name, _) in SERIES {
                        li { span class=(format!("swatch series-{class}")) {} (name) }
                    }
                    li { span.swatch.series-revenue {} "Revenue" }
                }
            }
        }
    }
}

/// The horizontal position of day `index` of `count`: spread over the width, one day
/// in the middle.
fn x_of(index: usize, count: usize) -> f64 {
    let span = WIDTH - LEFT - RIGHT;
    if count <= 1 {
        LEFT + span / 2.0
    } else {
        LEFT + span * index as f64 / (count - 1) as f64
    }
}

/// An SVG `points` list.
fn points(days: &[DayCounts], at: impl Fn(usize, &DayCounts) -> (f64, f64)) -> String {
    days.iter()
        .enumerate()
        .map(|(index, day)| {
            let (x, y) = at(index, day);
            format!("{x:.1},{y:.1}")
        })
        .collect::<Vec<_>>()
        .join(" ")
}
