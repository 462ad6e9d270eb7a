//! The task division as on paper (Attachment 2), for A4.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use jiedai_app::receptions;
use jiedai_app::tasks::{self, TaskView};
use jiedai_domain::procedure::Phase;
use jiedai_domain::{Code, Language, ReceptionId};

use super::pages::{group_label, status_badge, status_label};
use super::plan::{PlanPhase, PlanRow, name};
use crate::auth::Cx;
use crate::error::AppResult;
use crate::extract::Id;
use crate::forms::FormErrors;
use crate::i18n::keys;
use crate::render::{Chrome, page};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "tasks/print.html")]
struct PrintPage {
    c: Chrome,
    id: ReceptionId,
    code: String,
    organization: String,
    dates: String,
    phases: Vec<PlanPhase>,
    printed: String,
}

/// A reception's division as paper and workbook show it: its code, guest organisation and
/// days, and its tasks by phase.
struct Division {
    code: String,
    organization: String,
    dates: String,
    phases: Vec<PlanPhase>,
}

async fn division(s: &AppState, cx: &Cx, c: &Chrome, id: ReceptionId) -> AppResult<Division> {
    let tr = cx.tr();
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let v = receptions::get(&s.app, &viewer, id).await?;
    let list = tasks::of_reception(&s.app, &viewer, id).await?;
    let zh = tr.lang == Language::ZhCn;
    let mut phases: Vec<PlanPhase> =
        Phase::all().iter().map(|p| PlanPhase { title: tr.t(keys::phase(*p)).to_owned(), rows: Vec::new() }).collect();
    for TaskView { task: t, overdue, .. } in list {
        let i = Phase::all().iter().position(|p| *p == t.phase).unwrap_or(0);
        phases[i].rows.push(PlanRow {
            id: t.id,
            title: if zh { t.title_zh.clone() } else { t.title_en.clone() },
            group: group_label(tr, &t.group),
            duties: if zh { t.duties_zh.clone() } else { t.duties_en.clone() },
            due: c.date(&t.due),
            due_iso: t.due.to_string(),
            due_time: t.due_time.map(|x| x.format("%H:%M").to_string()).unwrap_or_default(),
            responsible_id: String::new(),
            responsible: name(s, t.responsible_id).await?,
            assistant_id: String::new(),
            assistant: name(s, t.assistant_id).await?,
            note: t.note.clone(),
            status: status_label(tr, t.status),
            badge: status_badge(t.status),
            overdue,
            version: t.version,
            plans: false,
            notes: false,
            errs: FormErrors::none(),
            steps: Vec::new(),
            place: 0,
            up: None,
            down: None,
        });
    }
    phases.retain(|p| !p.rows.is_empty());
    Ok(Division {
        code: v.r.code.clone(),
        organization: v.r.form.guest_organization.clone(),
        dates: c.dates(&v.r.visit_start, &v.r.visit_end),
        phases,
    })
}

/// `GET /receptions/{id}/tasks/print`: the task division as on paper (Attachment 2), grouped
/// by phase, with the company's name, for A4.
pub async fn print(State(s): State<AppState>, cx: Cx, Id(id): Id<ReceptionId>) -> AppResult<Response> {
    let c = Chrome::new(&cx);
    let d = division(&s, &cx, &c, id).await?;
    let printed = cx.tr().datetime(chrono::Utc::now(), s.tz());
    Ok(page(&PrintPage {
        c,
        id,
        code: d.code,
        organization: d.organization,
        dates: d.dates,
        phases: d.phases,
        printed,
    }))
}

/// `GET /receptions/{id}/tasks.xlsx`: the same as a workbook, days as typed cells, set up to
/// print on A4 (landscape, one page wide, the header rows on every page).
pub async fn xlsx(State(s): State<AppState>, cx: Cx, Id(id): Id<ReceptionId>) -> AppResult<Response> {
    let c = Chrome::new(&cx);
    let d = division(&s, &cx, &c, id).await?;
    let bytes = workbook(cx.tr(), &cx.company, &d).map_err(crate::receptions::pages::export::xlsx_error)?;
    Ok(crate::receptions::pages::export::xlsx_response(bytes, &format!("{}-tasks.xlsx", d.code)))
}

fn workbook(tr: crate::i18n::Tr, company: &str, d: &Division) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook};
    let cell = Format::new().set_border(FormatBorder::Thin).set_align(FormatAlign::Top).set_text_wrap();
    let head = cell.clone().set_bold().set_background_color("#F3F4F6");
    let date = cell.clone().set_num_format(crate::receptions::workbook::DATE_FORMAT).set_align(FormatAlign::Left);
    let title = Format::new().set_bold().set_font_size(14).set_align(FormatAlign::Center);
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(&d.code)?;
    for (col, w) in [10.0, 12.0, 8.0, 24.0, 12.0, 12.0, 40.0].iter().enumerate() {
        ws.set_column_width(col as u16, *w)?;
    }
    ws.merge_range(0, 0, 0, 6, company, &title)?;
    ws.merge_range(
        1,
        0,
        1,
        6,
        &format!("{} {} {} {}", tr.t("tasks.paper_title"), d.code, d.organization, d.dates),
        &title,
    )?;
    let heads = [
        "tasks.col_phase",
        "tasks.col_due",
        "tasks.due_time",
        "tasks.col_item",
        "tasks.responsible",
        "tasks.assistant",
        "tasks.col_duties",
    ];
    for (col, k) in heads.iter().enumerate() {
        ws.write_with_format(3, col as u16, tr.t(k), &head)?;
    }
    let mut row: u32 = 4;
    for ph in &d.phases {
        let first = row;
        for t in &ph.rows {
            ws.write_with_format(row, 0, &ph.title, &cell)?;
            match chrono::NaiveDate::parse_from_str(&t.due_iso, "%Y-%m-%d") {
                Ok(day) => {
                    use chrono::Datelike;
                    let when = ExcelDateTime::from_ymd(day.year() as u16, day.month() as u8, day.day() as u8)?;
                    ws.write_datetime_with_format(row, 1, &when, &date)?;
                }
                Err(_) => {
                    ws.write_with_format(row, 1, &t.due, &cell)?;
                }
            }
            ws.write_with_format(row, 2, &t.due_time, &cell)?;
            ws.write_with_format(row, 3, &t.title, &cell)?;
            ws.write_with_format(row, 4, &t.responsible, &cell)?;
            ws.write_with_format(row, 5, &t.assistant, &cell)?;
            ws.write_with_format(row, 6, &t.duties, &cell)?;
            row += 1;
        }
        if row > first + 1 {
            ws.merge_range(first, 0, row - 1, 0, &ph.title, &cell.clone().set_align(FormatAlign::VerticalCenter))?;
        }
    }
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 3)?;
    ws.set_print_area(0, 0, row.saturating_sub(1).max(3), 6)?;
    ws.set_footer("&C&P / &N");
    wb.save_to_buffer()
}
