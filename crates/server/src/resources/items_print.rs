//! A reception's item list as on paper (物品清单表, Attachment 3), for A4 and as a workbook:
//! the company, the title, the reception, its meeting time and place, then 序号, 分类, 名称,
//! 数量, 负责人, 归还与否, 检查 and 备注, with empty boxes to tick by hand where nothing is
//! known yet.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use jiedai_app::{receptions, resources};
use jiedai_domain::ReceptionId;
use jiedai_domain::resources::{Purpose, ResourceKind};

use super::items_view::{count_text, span_text};
use crate::auth::Cx;
use crate::error::AppResult;
use crate::extract::Id;
use crate::i18n::Tr;
use crate::receptions::pages::export::{xlsx_error, xlsx_response};
use crate::render::{Chrome, page};
use crate::state::AppState;

/// A line as the paper has it.
struct PaperLine {
    position: i32,
    category: String,
    name: String,
    quantity: u32,
    unit: String,
    responsible: String,
    /// 归还与否 once counted back; a box to tick until then.
    returned: Option<String>,
    checked: bool,
    notes: String,
}

/// The list as the paper has it.
struct Sheet {
    code: String,
    organization: String,
    meeting_time: String,
    meeting_place: String,
    lines: Vec<PaperLine>,
}

#[derive(Template)]
#[template(path = "resources/items_print.html")]
struct PrintPage {
    c: Chrome,
    id: ReceptionId,
    sheet: Sheet,
    printed: String,
}

async fn sheet(s: &AppState, cx: &Cx, c: &Chrome, id: ReceptionId) -> AppResult<Sheet> {
    let tr = cx.tr();
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let list = resources::item_list(&s.app, &viewer, id).await?;
    let r = &list.reception;
    // The meeting: its room's booking when there is one, else the visit and the room asked for.
    let meeting = resources::bookings_of(&s.app, &viewer, id)
        .await?
        .into_iter()
        .filter(|b| b.booking.purpose == Purpose::Meeting && b.booking.kind == ResourceKind::Room)
        .min_by_key(|b| b.booking.span.start);
    let (meeting_time, meeting_place) = match meeting {
        Some(b) => (span_text(tr, s.tz(), b.booking.span.start, b.booking.span.end), b.resource_name),
        None => (c.dates(&r.visit_start, &r.visit_end), r.form.meeting_room.room.clone()),
    };
    let lines = list
        .lines
        .iter()
        .map(|v| {
            let l = &v.line;
            let returned = l.count.as_ref().map(|c| {
                let whole = !c.write_off && c.returned == l.line.quantity;
                if whole { tr.t("items.yes").to_owned() } else { count_text(tr, c) }
            });
            PaperLine {
                position: l.position,
                category: l.line.category.clone(),
                name: l.line.name.clone(),
                quantity: l.line.quantity,
                unit: l.line.unit.clone(),
                responsible: v.responsible.clone().unwrap_or_default(),
                returned,
                checked: l.line.checked,
                notes: l.line.notes.clone(),
            }
        })
        .collect();
    Ok(Sheet {
        code: r.code.clone(),
        organization: r.form.guest_organization.clone(),
        meeting_time,
        meeting_place,
        lines,
    })
}

/// `GET /receptions/{id}/items/print`: the item list as on paper, for A4.
pub async fn print(State(s): State<AppState>, cx: Cx, Id(id): Id<ReceptionId>) -> AppResult<Response> {
    let c = Chrome::new(&cx);
    let sheet = sheet(&s, &cx, &c, id).await?;
    let printed = cx.tr().datetime(chrono::Utc::now(), s.tz());
    Ok(page(&PrintPage { c, id, sheet, printed }))
}

/// `GET /receptions/{id}/items.xlsx`: the same as a workbook, A4 portrait, one page wide,
/// its header rows on every page.
pub async fn xlsx(State(s): State<AppState>, cx: Cx, Id(id): Id<ReceptionId>) -> AppResult<Response> {
    let c = Chrome::new(&cx);
    let sheet = sheet(&s, &cx, &c, id).await?;
    let bytes = workbook(cx.tr(), &cx.company, &sheet).map_err(xlsx_error)?;
    Ok(xlsx_response(bytes, &format!("{}-items.xlsx", sheet.code)))
}

/// The column heads, in the paper's order.
const HEADS: [&str; 8] = [
    "items.col_position",
    "items.col_category",
    "items.col_name",
    "items.col_quantity",
    "items.col_responsible",
    "items.col_returned",
    "items.col_checked",
    "items.col_notes",
];

fn workbook(tr: Tr, company: &str, d: &Sheet) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};
    let cell = Format::new().set_border(FormatBorder::Thin).set_align(FormatAlign::Top).set_text_wrap();
    let centre = cell.clone().set_align(FormatAlign::Center);
    let head = centre.clone().set_bold().set_background_color("#F3F4F6");
    let title = Format::new().set_bold().set_font_size(14).set_align(FormatAlign::Center);
    let info = Format::new().set_align(FormatAlign::Left);
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(&d.code)?;
    for (col, w) in [6.0, 12.0, 20.0, 10.0, 12.0, 14.0, 7.0, 26.0].iter().enumerate() {
        ws.set_column_width(col as u16, *w)?;
    }
    ws.merge_range(0, 0, 0, 7, company, &title)?;
    ws.merge_range(1, 0, 1, 7, tr.t("items.paper_title"), &title)?;
    ws.merge_range(2, 0, 2, 7, &format!("{} {}  {}", tr.t("reception.code"), d.code, d.organization), &info)?;
    let meeting = format!(
        "{}: {}    {}: {}",
        tr.t("items.meeting_time"),
        d.meeting_time,
        tr.t("items.meeting_place"),
        d.meeting_place
    );
    ws.merge_range(3, 0, 3, 7, &meeting, &info)?;
    for (col, k) in HEADS.iter().enumerate() {
        ws.write_with_format(4, col as u16, tr.t(k), &head)?;
    }
    let mut row: u32 = 5;
    for l in &d.lines {
        // The quantity a number, shown with its unit.
        let unit = l.unit.replace(['"', '\\'], "");
        let quantity =
            centre.clone().set_num_format(if unit.is_empty() { "0".to_owned() } else { format!("0 \"{unit}\"") });
        ws.write_with_format(row, 0, l.position, &centre)?;
        ws.write_with_format(row, 1, &l.category, &cell)?;
        ws.write_with_format(row, 2, &l.name, &cell)?;
        ws.write_with_format(row, 3, l.quantity, &quantity)?;
        ws.write_with_format(row, 4, &l.responsible, &cell)?;
        ws.write_with_format(row, 5, l.returned.as_deref().unwrap_or(""), &centre)?;
        ws.write_with_format(row, 6, if l.checked { "✓" } else { "" }, &centre)?;
        ws.write_with_format(row, 7, &l.notes, &cell)?;
        row += 1;
    }
    ws.set_paper_size(9);
    ws.set_portrait();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 4)?;
    ws.set_print_area(0, 0, row.saturating_sub(1).max(4), 7)?;
    ws.set_footer("&C&P / &N");
    wb.save_to_buffer()
}
