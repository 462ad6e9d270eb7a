//! `/reports`: the period and department chosen at the top, then each part of the report as
//! a chart drawn here (SVG) with its table beside it and a link to the table as a workbook;
//! `/reports.xlsx` the tables as sheets (all, or the one asked for).

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::NaiveDate;
use jiedai_app::{accounts, receptions, reports};
use jiedai_domain::reports::{Summary, hundredths_text, percent_text};
use jiedai_domain::{DepartmentId, FieldErrors};
use serde::Deserialize;
use utoipa::IntoParams;

use super::svg::{self, Bar, Point};
use super::tables::{Table, tables};
use crate::auth::Cx;
use crate::error::{AppError, AppResult};
use crate::extract::{Query, empty_as_none};
use crate::i18n::Tr;
use crate::receptions::pages::export::{xlsx_error, xlsx_response};
use crate::render::{Chrome, page};
use crate::state::AppState;

/// The period and department of a report.
#[derive(Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// First visit day counted, YYYY-MM-DD; a year before `to` when absent (both absent: the
    /// twelve months to the end of this month).
    #[serde(default, deserialize_with = "empty_as_none")]
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<NaiveDate>,
    /// Last visit day counted, YYYY-MM-DD.
    #[serde(default, deserialize_with = "empty_as_none")]
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<NaiveDate>,
    /// Only this host department.
    #[serde(default, deserialize_with = "empty_as_none")]
    #[param(value_type = Option<i32>)]
    pub department: Option<DepartmentId>,
    /// One table of the workbook (`/reports.xlsx`): its id; all tables when absent.
    #[serde(default)]
    #[param(ignore)]
    pub table: String,
}

/// The summary of the period asked for, by those who may read it.
pub(super) async fn summary_of(s: &AppState, cx: &Cx, q: &ReportQuery) -> AppResult<Summary> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    if !reports::may_view(&viewer) {
        return Err(AppError::Forbidden);
    }
    let period = reports::period(&s.app, q.from, q.to, q.department)?;
    Ok(reports::summary(&s.app, &viewer, period).await?)
}

/// A part of the page: its chart and its table.
pub struct Part {
    table: Table,
    chart: String,
    /// Figures written above the chart (a total, a share).
    headline: String,
}

#[derive(Template)]
#[template(path = "reports/reports.html")]
struct ReportsPage {
    c: Chrome,
    from: String,
    to: String,
    department: Option<i32>,
    departments: Vec<(i32, String)>,
    errors: Vec<String>,
    parts: Vec<Part>,
    /// The query string of the period (for the workbook links).
    query: String,
    total: i64,
}

impl ReportsPage {
    fn part_cells(&self, p: &Part) -> Vec<Vec<(String, bool)>> {
        p.table.rows.iter().map(|r| r.iter().map(|c| (c.text(self.c.tr), c.numeric())).collect()).collect()
    }
}

fn bar(label: String, value: i64, figure: String) -> Bar {
    Bar { label, value, figure, mark: None, warn: false }
}

/// The chart and headline of a table.
fn chart(s: &Summary, t: &Table, tr: Tr) -> (String, String) {
    use super::tables::Cell;
    let title = &t.title;
    let label = |row: &[Cell]| row.first().map(|c| c.text(tr)).unwrap_or_default();
    let count_bars = || {
        t.rows
            .iter()
            .map(|r| {
                let n = match r.get(1) {
                    Some(Cell::Int(n)) => *n,
                    _ => 0,
                };
                bar(label(r), n, n.to_string())
            })
            .collect::<Vec<_>>()
    };
    match t.id {
        "states" | "tiers" | "departments" => (
            svg::bars(title, &count_bars()),
            tr.t_with(
                "reports.headline_receptions",
                &[("count", &s.receptions.total.to_string()), ("guests", &s.receptions.guests.to_string())],
            ),
        ),
        "spend" => {
            let bars: Vec<Bar> = s
                .spend
                .by_tier
                .iter()
                .zip(&t.rows)
                .map(|(x, r)| Bar {
                    label: label(r),
                    value: x.per_guest_fen.map_or(0, |f| f.get()),
                    figure: x.per_guest_fen.map_or_else(|| "—".into(), |f| tr.money(f)),
                    mark: x.standard_per_person_fen.map(|f| f.get()),
                    warn: x.over.is_some_and(|o| o.is_over()),
                })
                .collect();
            // Under budget is told as such ("8 % under", not "-8 % over").
            let share = s.spend.over.and_then(|o| o.share_bp);
            let key =
                if share.is_some_and(|bp| bp < 0) { "reports.headline_spend_under" } else { "reports.headline_spend" };
            let headline = tr.t_with(
                key,
                &[
                    ("settled", &s.spend.settled.to_string()),
                    ("actual", &tr.money(s.spend.actual_fen)),
                    ("budget", &tr.money(s.spend.budget_fen)),
                    ("share", &share.map_or_else(|| "—".into(), |bp| percent_text(bp.abs()))),
                ],
            );
            (svg::bars(title, &bars), headline)
        }
        "overruns" => {
            let bars: Vec<Bar> = s
                .spend
                .largest_overruns
                .iter()
                .map(|o| Bar {
                    label: format!("{} {}", o.code, o.guest_organization),
                    value: o.over.over_fen.get(),
                    figure: format!(
                        "{} ({})",
                        tr.money(o.over.over_fen),
                        o.over.share_bp.map_or_else(|| "—".into(), percent_text)
                    ),
                    mark: None,
                    warn: true,
                })
                .collect();
            (svg::bars(title, &bars), String::new())
        }
        "satisfaction" => {
            let bars: Vec<Bar> = s
                .satisfaction
                .items
                .iter()
                .zip(&t.rows)
                .map(|(i, r)| Bar {
                    label: label(r),
                    value: i.average_hundredths.unwrap_or(0),
                    figure: format!(
                        "{} / {}",
                        i.average_hundredths.map_or_else(|| "—".into(), hundredths_text),
                        i.reference
                    ),
                    mark: Some(i.reference * 100),
                    warn: false,
                })
                .collect();
            let headline = tr.t_with(
                "reports.headline_satisfaction",
                &[
                    ("responses", &s.satisfaction.responses.to_string()),
                    ("total", &s.satisfaction.total_hundredths.map_or_else(|| "—".into(), hundredths_text)),
                ],
            );
            (svg::bars(title, &bars), headline)
        }
        "months" => {
            let points: Vec<Point> = s
                .satisfaction
                .by_month
                .iter()
                .map(|m| Point {
                    label: m.month.to_string(),
                    value: m.total_hundredths,
                    figure: m.total_hundredths.map_or_else(|| "—".into(), hundredths_text),
                })
                .collect();
            (svg::line(title, &points, 10_000, 100), String::new())
        }
        "late" | "tasks" => {
            let share_col = t.heads.len() - 1;
            let bars: Vec<Bar> = t
                .rows
                .iter()
                .map(|r| {
                    let (v, f) = match r.get(share_col) {
                        Some(Cell::Share(Some(bp))) => (*bp, percent_text(*bp)),
                        _ => (0, "—".into()),
                    };
                    bar(label(r), v, f)
                })
                .collect();
            let headline = if t.id == "tasks" {
                tr.t_with(
                    "reports.headline_tasks",
                    &[
                        ("done", &s.tasks.done.to_string()),
                        ("share", &s.tasks.share_bp.map_or_else(|| "—".into(), percent_text)),
                    ],
                )
            } else {
                String::new()
            };
            (svg::bars(title, &bars), headline)
        }
        "savings" => {
            let bars: Vec<Bar> = s
                .savings
                .by_item
                .iter()
                .map(|i| bar(i.name.clone(), i.value_fen.get(), tr.money(i.value_fen)))
                .collect();
            let headline = tr.t_with("reports.headline_savings", &[("total", &tr.money(s.savings.total_fen))]);
            (svg::bars(title, &bars), headline)
        }
        "actions" => (
            String::new(),
            tr.t_with(
                "reports.headline_actions",
                &[("open", &s.actions.open.to_string()), ("overdue", &s.actions.overdue.to_string())],
            ),
        ),
        _ => (String::new(), String::new()),
    }
}

fn query_string(from: NaiveDate, to: NaiveDate, department: Option<DepartmentId>) -> String {
    let mut q = format!("from={from}&to={to}");
    if let Some(d) = department {
        q.push_str(&format!("&department={d}"));
    }
    q
}

/// `GET /reports?from=&to=&department=`.
pub async fn reports_page(State(s): State<AppState>, cx: Cx, Query(q): Query<ReportQuery>) -> AppResult<Response> {
    let tr = cx.tr();
    let departments = accounts::list_departments(&s.app).await?.into_iter().map(|d| (d.id.get(), d.name)).collect();
    let (summary, errors) = match summary_of(&s, &cx, &q).await {
        Ok(sum) => (Some(sum), Vec::new()),
        Err(AppError::Validation(errs)) => (None, messages(tr, &errs)),
        Err(e) => return Err(e),
    };
    let (from, to, query, parts, total) = match &summary {
        Some(sum) => {
            let parts = tables(sum, tr)
                .into_iter()
                .map(|table| {
                    let (chart, headline) = chart(sum, &table, tr);
                    Part { table, chart, headline }
                })
                .collect();
            (
                sum.from.to_string(),
                sum.to.to_string(),
                query_string(sum.from, sum.to, sum.department_id),
                parts,
                sum.receptions.total,
            )
        }
        None => (
            q.from.map(|d| d.to_string()).unwrap_or_default(),
            q.to.map(|d| d.to_string()).unwrap_or_default(),
            String::new(),
            Vec::new(),
            0,
        ),
    };
    Ok(page(&ReportsPage {
        c: Chrome::new(&cx),
        from,
        to,
        department: q.department.map(|d| d.get()),
        departments,
        errors,
        parts,
        query,
        total,
    }))
}

fn messages(tr: Tr, errs: &FieldErrors) -> Vec<String> {
    errs.0.iter().map(|e| tr.field_error(e)).collect()
}

/// `GET /reports.xlsx?from=&to=&department=&table=`: the report's tables as sheets, or the
/// one asked for.
pub async fn reports_xlsx(State(s): State<AppState>, cx: Cx, Query(q): Query<ReportQuery>) -> AppResult<Response> {
    let sum = summary_of(&s, &cx, &q).await?;
    let tr = cx.tr();
    let all = tables(&sum, tr);
    let chosen: Vec<Table> = match q.table.as_str() {
        "" => all,
        id => {
            let one: Vec<Table> = all.into_iter().filter(|t| t.id == id).collect();
            if one.is_empty() {
                return Err(AppError::NotFound);
            }
            one
        }
    };
    let bytes = super::xlsx::workbook(tr, &sum, &chosen).map_err(xlsx_error)?;
    let name = match q.table.as_str() {
        "" => format!("report-{}-{}.xlsx", sum.from, sum.to),
        id => format!("report-{id}-{}-{}.xlsx", sum.from, sum.to),
    };
    Ok(xlsx_response(bytes, &name))
}
