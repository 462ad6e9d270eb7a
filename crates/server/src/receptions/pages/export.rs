//! The application form on paper (an A4 print view, both parts) and in Excel: one
//! request, or the list as filtered.

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDateTime;
use jiedai_app::accounts;
use jiedai_app::receptions::{self, Approval, ReceptionView};
use jiedai_domain::{DepartmentId, ReceptionId};
use rust_xlsxwriter::{Format, FormatBorder, Workbook};

use crate::auth::Cx;
use crate::error::{AppError, AppResult};
use crate::extract::{Id, Query};
use crate::i18n::Tr;
use crate::receptions::paper::{Paper, paper};
use crate::receptions::query::ReceptionQuery;
use crate::receptions::view::{late_label, state_label, tier_label};
use crate::receptions::workbook::application_workbook;
use crate::render::{Chrome, page};
use crate::state::AppState;

/// Rows of an exported list at most (the list is paged by 200 to get there).
const MAX_EXPORT_ROWS: usize = 20_000;

#[derive(Template)]
#[template(path = "receptions/print.html")]
struct PrintPage {
    c: Chrome,
    id: ReceptionId,
    code: String,
    state: String,
    late: String,
    paper: Paper,
    printed: String,
}

/// A reception as the viewer may see it, with who approved it and when (local time).
async fn with_approval(
    s: &AppState,
    cx: &Cx,
    id: ReceptionId,
) -> AppResult<(ReceptionView, Option<(Approval, NaiveDateTime)>)> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let (v, approval) = receptions::get_with_approval(&s.app, &viewer, id).await?;
    let tz = s.tz();
    Ok((
        v,
        approval.map(|a| {
            let at = a.at.with_timezone(&tz).naive_local();
            (a, at)
        }),
    ))
}

/// `GET /receptions/{id}/print`: the application form laid out like the paper one.
pub async fn print(State(s): State<AppState>, cx: Cx, Id(id): Id<ReceptionId>) -> AppResult<Response> {
    let tr = cx.tr();
    let (v, approval) = with_approval(&s, &cx, id).await?;
    Ok(page(&PrintPage {
        c: Chrome::new(&cx),
        id: v.r.id,
        code: v.r.code.clone(),
        state: state_label(tr, v.r.state),
        late: late_label(tr, v.r.late, v.r.late_working_days),
        paper: paper(tr, &v, approval.as_ref().map(|(a, at)| (a, *at))),
        printed: tr.datetime(chrono::Utc::now(), s.tz()),
    }))
}

pub(crate) fn xlsx_response(bytes: Vec<u8>, filename: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}

pub(crate) fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> AppError {
    AppError::Internal(anyhow::anyhow!("xlsx: {e}"))
}

/// `GET /receptions/{id}/application.xlsx`: both parts in the paper's order, typed cells,
/// set up to print on A4.
pub async fn application_xlsx(State(s): State<AppState>, cx: Cx, Id(id): Id<ReceptionId>) -> AppResult<Response> {
    let tr = cx.tr();
    let (v, approval) = with_approval(&s, &cx, id).await?;
    let state = format!("{} {}", state_label(tr, v.r.state), late_label(tr, v.r.late, v.r.late_working_days));
    let form = paper(tr, &v, approval.as_ref().map(|(a, at)| (a, *at)));
    let bytes = application_workbook(tr, &cx.company, &v.r.code, state.trim(), &form).map_err(xlsx_error)?;
    Ok(xlsx_response(bytes, &format!("{}.xlsx", v.r.code)))
}

fn list_headers(tr: Tr) -> Vec<String> {
    [
        "reception.code",
        "reception.state",
        "reception.late",
        "reception.f.department",
        "reception.f.guest_organization",
        "reception.f.guest_name",
        "reception.f.purpose",
        "reception.f.visit_start",
        "reception.f.visit_end",
        "reception.f.tier",
        "reception.headcount",
        "reception.f.budget_fen",
        "reception.submitted_at",
    ]
    .iter()
    .map(|k| tr.t(k).to_owned())
    .collect()
}

/// `GET /receptions.xlsx`: the list with its filters, every matching row (at most
/// 20,000). The workbook is built off the async runtime: tens of thousands of cells are
/// CPU work that would otherwise hold up every request on the same thread.
pub async fn list_xlsx(State(s): State<AppState>, cx: Cx, Query(q): Query<ReceptionQuery>) -> AppResult<Response> {
    let tr = cx.tr();
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let req = q.parse()?;
    let names: HashMap<DepartmentId, String> = accounts::department_names(&s.app).await?.iter().cloned().collect();
    let rows = receptions::list_all(&s.app, &viewer, &req, MAX_EXPORT_ROWS).await?;
    let tz = s.tz();
    let build = move || -> AppResult<Vec<u8>> {
        let mut wb = Workbook::new();
        let head = Format::new().set_bold().set_border(FormatBorder::Thin).set_background_color("#F3F4F6");
        let date = Format::new().set_num_format("yyyy-mm-dd");
        let money = Format::new().set_num_format("#,##0.00");
        let ws = wb.add_worksheet();
        ws.set_name(tr.t("reception.list")).map_err(xlsx_error)?;
        for (c, h) in list_headers(tr).iter().enumerate() {
            ws.write_with_format(0, c as u16, h, &head).map_err(xlsx_error)?;
        }
        for (c, w) in [14, 10, 10, 14, 28, 12, 30, 12, 12, 10, 8, 12, 18].iter().enumerate() {
            ws.set_column_width(c as u16, *w).map_err(xlsx_error)?;
        }
        ws.set_freeze_panes(1, 0).map_err(xlsx_error)?;
        for (row, r) in (1u32..).zip(rows) {
            // The cell stays blank without a tier (the page shows a dash).
            let tier = r.tier.map(|t| tier_label(tr, Some(t))).unwrap_or_default();
            let state = if r.damaged { tr.t("reception.damaged").to_owned() } else { state_label(tr, r.state) };
            ws.write(row, 0, &r.code).map_err(xlsx_error)?;
            ws.write(row, 1, state).map_err(xlsx_error)?;
            ws.write(row, 2, if r.late { f64::from(r.late_working_days) } else { 0.0 }).map_err(xlsx_error)?;
            ws.write(row, 3, names.get(&r.department_id).map(String::as_str).unwrap_or("")).map_err(xlsx_error)?;
            ws.write(row, 4, &r.guest_organization).map_err(xlsx_error)?;
            ws.write(row, 5, &r.guest_name).map_err(xlsx_error)?;
            ws.write(row, 6, &r.purpose).map_err(xlsx_error)?;
            if !r.damaged {
                ws.write_with_format(row, 7, r.visit_start.to_string(), &date).map_err(xlsx_error)?;
                ws.write_with_format(row, 8, r.visit_end.to_string(), &date).map_err(xlsx_error)?;
            }
            ws.write(row, 9, tier).map_err(xlsx_error)?;
            ws.write(row, 10, f64::from(r.headcount)).map_err(xlsx_error)?;
            if let Some(b) = r.budget {
                ws.write_with_format(row, 11, b.as_yuan_f64(), &money).map_err(xlsx_error)?;
            }
            if let Some(t) = r.submitted_at {
                // ISO in exports (the pages write days as people read them).
                ws.write(row, 12, t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string()).map_err(xlsx_error)?;
            }
        }
        wb.save_to_buffer().map_err(xlsx_error)
    };
    let bytes = tokio::task::spawn_blocking(build).await.map_err(|e| AppError::Internal(e.into()))??;
    Ok(xlsx_response(bytes, &format!("receptions-{}.xlsx", s.app.today())))
}
