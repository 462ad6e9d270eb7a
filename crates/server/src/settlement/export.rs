//! The statement on A4 and as a workbook; finance's period exports: every approved
//! settlement of receptions whose first visit day lies in the period, one row per expense
//! line, as a workbook (with a totals row) and as CSV for the accounting system. The period
//! is of visit days, not of approval: a reception's costs belong to the month it took place.

use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use jiedai_app::receptions;
use jiedai_app::settlement::{self, PeriodRow};
use jiedai_domain::settlement::SettlementState;
use jiedai_domain::{Code, Fen, ReceptionId};
use serde::Deserialize;
use utoipa::IntoParams;

use super::view::{Statement, statement};
use crate::auth::Cx;
use crate::error::AppResult;
use crate::extract::{Id, Query};
use crate::i18n::Tr;
use crate::i18n::keys::expense_category;
use crate::receptions::pages::export::{xlsx_error, xlsx_response};
use crate::render::{Chrome, Problem, page};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "settlement/print.html")]
struct PrintPage {
    c: Chrome,
    id: ReceptionId,
    s: Statement,
    printed: String,
}

impl PrintPage {
    fn money(&self, f: impl std::fmt::Display) -> String {
        f.to_string()
    }
}

/// `GET /receptions/{id}/settlement/print`: the statement for A4.
pub async fn print(State(s): State<AppState>, cx: Cx, Id(id): Id<ReceptionId>) -> AppResult<Response> {
    let c = Chrome::new(&cx);
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let v = settlement::settlement(&s.app, &viewer, id).await?;
    let st = statement(cx.tr(), &v, s.tz(), c.today);
    let printed = cx.tr().datetime(chrono::Utc::now(), s.tz());
    Ok(page(&PrintPage { c, id, s: st, printed }))
}

/// `GET /receptions/{id}/settlement.xlsx`: the statement as a workbook, A4 portrait.
pub async fn statement_xlsx(State(s): State<AppState>, cx: Cx, Id(id): Id<ReceptionId>) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let v = settlement::settlement(&s.app, &viewer, id).await?;
    let today = chrono::Utc::now().with_timezone(&s.tz()).date_naive();
    let st = statement(cx.tr(), &v, s.tz(), today);
    let bytes = statement_workbook(cx.tr(), &cx.company, &st).map_err(xlsx_error)?;
    Ok(xlsx_response(bytes, &format!("{}-settlement.xlsx", st.code)))
}

fn statement_workbook(tr: Tr, company: &str, d: &Statement) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, FormatBorder, Workbook};
    let cell = Format::new().set_border(FormatBorder::Thin).set_text_wrap();
    let money = cell.clone().set_num_format("#,##0.00");
    let head = cell.clone().set_bold().set_background_color("#F3F4F6");
    let title = Format::new().set_bold().set_font_size(14);
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(&d.code)?;
    for (col, w) in [12.0, 12.0, 18.0, 12.0, 24.0, 14.0].iter().enumerate() {
        ws.set_column_width(col as u16, *w)?;
    }
    ws.merge_range(0, 0, 0, 5, company, &title)?;
    ws.merge_range(1, 0, 1, 5, tr.t("settlement.paper_title"), &title)?;
    ws.merge_range(
        2,
        0,
        2,
        5,
        &format!("{} {}  {}  {}", tr.t("reception.code"), d.code, d.organization, d.dates),
        &Format::new(),
    )?;
    let heads = [
        "settlement.col_date",
        "settlement.col_category",
        "settlement.col_vendor",
        "settlement.col_paid_by",
        "settlement.col_note",
        "settlement.col_amount",
    ];
    for (col, k) in heads.iter().enumerate() {
        ws.write_with_format(3, col as u16, tr.t(k), &head)?;
    }
    let mut row: u32 = 4;
    for l in &d.lines {
        let note = if l.adjusting {
            format!("{} {}: {}", l.note, tr.t("settlement.adjusting"), l.reason)
        } else {
            l.note.clone()
        };
        ws.write_with_format(row, 0, &l.date, &cell)?;
        ws.write_with_format(row, 1, &l.category_label, &cell)?;
        ws.write_with_format(row, 2, &l.vendor, &cell)?;
        ws.write_with_format(row, 3, &l.paid_by, &cell)?;
        ws.write_with_format(row, 4, note.trim(), &cell)?;
        ws.write_with_format(row, 5, l.amount.as_yuan_f64(), &money)?;
        row += 1;
    }
    ws.merge_range(row, 0, row, 4, tr.t("settlement.total"), &head)?;
    ws.write_with_format(row, 5, d.total.as_yuan_f64(), &money.clone().set_bold())?;
    row += 2;
    for (k, v) in [
        ("settlement.budget", d.budget),
        ("settlement.per_person", d.per_person),
        ("settlement.standard", d.standard),
        ("settlement.saving", Some(d.saving)),
    ] {
        ws.write_with_format(row, 4, tr.t(k), &head)?;
        match v {
            Some(v) => ws.write_with_format(row, 5, v.as_yuan_f64(), &money)?,
            None => ws.write_with_format(row, 5, "—", &cell)?,
        };
        row += 1;
    }
    ws.write_with_format(row, 4, tr.t("settlement.state"), &head)?;
    ws.write_with_format(row, 5, &d.state_label, &cell)?;
    ws.set_paper_size(9);
    ws.set_portrait();
    ws.set_print_fit_to_pages(1, 0);
    wb.save_to_buffer()
}

/// The period of an export: first visit days from `from` to `to` (both included); this
/// month when left out.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodQuery {
    /// First visit day from (YYYY-MM-DD); the first of this month when left out.
    #[serde(default, deserialize_with = "crate::extract::empty_as_none")]
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<NaiveDate>,
    /// First visit day to (YYYY-MM-DD), included; the last of this month when left out.
    #[serde(default, deserialize_with = "crate::extract::empty_as_none")]
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<NaiveDate>,
}

/// The period asked for, this month by default.
pub(crate) fn period_of(q: &PeriodQuery, today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let first = today.with_day(1).unwrap_or(today);
    let last = first.checked_add_months(chrono::Months::new(1)).and_then(|d| d.pred_opt()).unwrap_or(today);
    (q.from.unwrap_or(first), q.to.unwrap_or(last))
}

async fn approved(s: &AppState, cx: &Cx, q: &PeriodQuery) -> AppResult<(Vec<PeriodRow>, NaiveDate, NaiveDate)> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let today = chrono::Utc::now().with_timezone(&s.tz()).date_naive();
    let (from, to) = period_of(q, today);
    let rows = settlement::period_export(&s.app, &viewer, from, to).await?;
    Ok((rows, from, to))
}

/// The export's columns, as the CSV heads them.
const CSV_HEADS: [&str; 11] = [
    "reception_code",
    "department",
    "category",
    "amount_yuan",
    "date",
    "paid_by",
    "vendor",
    "note",
    "approved_at",
    "adjusting",
    "reason",
];

/// One row per expense line: the texts of [`CSV_HEADS`] (amount as `1234.50`, category as
/// its code, paid by `company` or the person's name, approved at in the company's time).
fn export_rows(rows: &[PeriodRow], tz: chrono_tz::Tz) -> Vec<(Fen, [String; 11])> {
    let mut out = Vec::new();
    for r in rows {
        let approved = r
            .row
            .settlement
            .approved_at
            .map(|a| a.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default();
        for (e, payer) in r.row.expenses.iter().zip(&r.payers) {
            let x = &e.expense;
            out.push((
                x.amount,
                [
                    r.row.code.clone(),
                    r.department.clone(),
                    x.category.as_str().to_owned(),
                    x.amount.yuan_plain(),
                    x.date.to_string(),
                    payer.clone(),
                    x.vendor.clone(),
                    x.note.clone(),
                    approved.clone(),
                    if x.adjusting { "yes" } else { "no" }.to_owned(),
                    x.reason.clone(),
                ],
            ));
        }
    }
    out
}

fn csv_field(s: &str) -> String {
    // A cell that a spreadsheet would run as a formula is written as text.
    let s = if s.starts_with(['=', '+', '@']) || (s.starts_with('-') && s.parse::<f64>().is_err()) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s }
}

/// Every approved settlement of a period (by first visit day, this month by default) as CSV
/// for the accounting system: one row per expense line (finance and administrators).
#[utoipa::path(get, path = "/api/v1/settlements.csv", tag = "settlement",
    params(PeriodQuery),
    responses((status = 200, description = "UTF-8 CSV: reception_code, department, category, amount_yuan, date, paid_by, vendor, note, approved_at, adjusting, reason", content_type = "text/csv"),
        (status = 403, description = "Finance and administrators only", body = Problem),
        (status = 422, description = "`to` before `from` (`end_before_start`) or more than ten years (`period_too_long`)", body = Problem)))]
pub async fn settlements_csv(State(s): State<AppState>, cx: Cx, Query(q): Query<PeriodQuery>) -> AppResult<Response> {
    let (rows, from, to) = approved(&s, &cx, &q).await?;
    let mut out = CSV_HEADS.join(",");
    out.push_str("\r\n");
    for (_, cells) in export_rows(&rows, s.tz()) {
        out.push_str(&cells.iter().map(|c| csv_field(c)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"settlements-{from}-{to}.csv\"")),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        out,
    )
        .into_response())
}

/// Every approved settlement of a period (by first visit day, this month by default) as a
/// workbook: one row per expense line, amounts in yuan with two decimals, a totals row.
#[utoipa::path(get, path = "/api/v1/settlements.xlsx", tag = "settlement",
    params(PeriodQuery),
    responses((status = 200, description = "The workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 403, description = "Finance and administrators only", body = Problem),
        (status = 422, description = "`to` before `from` (`end_before_start`) or more than ten years (`period_too_long`)", body = Problem)))]
pub async fn settlements_xlsx(State(s): State<AppState>, cx: Cx, Query(q): Query<PeriodQuery>) -> AppResult<Response> {
    let (rows, from, to) = approved(&s, &cx, &q).await?;
    let bytes = period_workbook(cx.tr(), &rows, s.tz()).map_err(xlsx_error)?;
    Ok(xlsx_response(bytes, &format!("settlements-{from}-{to}.xlsx")))
}

fn period_workbook(tr: Tr, rows: &[PeriodRow], tz: chrono_tz::Tz) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, FormatBorder, Workbook};
    let cell = Format::new().set_border(FormatBorder::Thin);
    let money = cell.clone().set_num_format("0.00");
    let head = cell.clone().set_bold().set_background_color("#F3F4F6");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let heads = [
        "reception.code",
        "settlement.col_department",
        "settlement.col_category",
        "settlement.col_amount",
        "settlement.col_date",
        "settlement.col_paid_by",
        "settlement.col_vendor",
        "settlement.col_note",
        "settlement.col_approved_at",
        "settlement.adjusting",
        "settlement.reason",
    ];
    for (col, k) in heads.iter().enumerate() {
        ws.write_with_format(0, col as u16, tr.t(k), &head)?;
        ws.set_column_width(col as u16, 14.0)?;
    }
    let mut row: u32 = 1;
    let mut total = Fen::ZERO;
    for (amount, cells) in export_rows(rows, tz) {
        total = total.checked_add(amount).unwrap_or(total);
        for (col, text) in cells.iter().enumerate() {
            match col {
                2 => {
                    let label = jiedai_domain::settlement::ExpenseCategory::parse(text)
                        .map_or(text.as_str(), |c| tr.t(expense_category(c)));
                    ws.write_with_format(row, col as u16, label, &cell)?
                }
                3 => ws.write_with_format(row, col as u16, amount.as_yuan_f64(), &money)?,
                9 => ws.write_with_format(
                    row,
                    col as u16,
                    if text == "yes" { tr.t("settlement.yes") } else { "" },
                    &cell,
                )?,
                _ => ws.write_with_format(row, col as u16, text.as_str(), &cell)?,
            };
        }
        row += 1;
    }
    ws.write_with_format(row, 0, tr.t("settlement.total"), &head)?;
    ws.write_with_format(row, 3, total.as_yuan_f64(), &money.clone().set_bold())?;
    ws.set_freeze_panes(1, 0)?;
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    wb.save_to_buffer()
}

/// Settlements in a state, for the list page's filter.
pub(crate) fn state_filter(raw: Option<&str>) -> Option<SettlementState> {
    raw.and_then(SettlementState::parse)
}
