//! The application form as an Excel workbook: the paper's two parts in its order, values
//! as typed cells (counts as numbers, money as numbers in a ¥ format, days and times as
//! Excel dates), set up to print on A4 portrait, one page wide, with the form's title
//! repeated on every page.

use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use crate::i18n::Tr;
use crate::receptions::paper::{Line, Paper, Part, Value};

/// Excel's paper size code for A4.
const PAPER_A4: u8 = 9;

/// The number format of money: yuan with two decimals, after a yuan sign.
pub const MONEY_FORMAT: &str = "\"¥\"#,##0.00";
/// The number format of days.
pub const DATE_FORMAT: &str = "yyyy-mm-dd";
/// The number format of dates with a time.
pub const DATETIME_FORMAT: &str = "yyyy-mm-dd hh:mm";

/// The cell formats of the sheet.
struct Formats {
    title: Format,
    company: Format,
    part: Format,
    label: Format,
    detail: Format,
    text: Format,
    count: Format,
    money: Format,
    date: Format,
    datetime: Format,
    head: Format,
}

impl Formats {
    fn new() -> Formats {
        let cell = Format::new().set_border(FormatBorder::Thin).set_align(FormatAlign::Top);
        Formats {
            title: Format::new().set_bold().set_font_size(14).set_align(FormatAlign::Center),
            company: Format::new().set_bold().set_align(FormatAlign::Center),
            part: Format::new().set_bold().set_font_size(12),
            label: cell.clone().set_bold().set_background_color("#F3F4F6").set_text_wrap(),
            detail: cell.clone().set_indent(1).set_text_wrap(),
            text: cell.clone().set_text_wrap().set_align(FormatAlign::Left),
            count: cell.clone().set_num_format("0").set_align(FormatAlign::Left),
            money: cell.clone().set_num_format(MONEY_FORMAT).set_align(FormatAlign::Left),
            date: cell.clone().set_num_format(DATE_FORMAT).set_align(FormatAlign::Left),
            datetime: cell.clone().set_num_format(DATETIME_FORMAT).set_align(FormatAlign::Left),
            head: cell.set_bold().set_background_color("#F3F4F6"),
        }
    }
}

fn day(d: chrono::NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    use chrono::Datelike;
    // Dates of a form are within 2000–2100, which Excel holds.
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
}

/// Writes a value in its typed cell (and the visit's last day beside its first).
fn write_value(ws: &mut Worksheet, row: u32, col: u16, v: &Value, text: &str, f: &Formats) -> Result<(), XlsxError> {
    use chrono::Timelike;
    match v {
        Value::Count(n) => {
            ws.write_number_with_format(row, col, f64::from(*n), &f.count)?;
        }
        Value::Money(m) => {
            ws.write_number_with_format(row, col, m.as_yuan_f64(), &f.money)?;
        }
        Value::Date(d) => {
            ws.write_datetime_with_format(row, col, day(*d)?, &f.date)?;
        }
        Value::Days(a, b) => {
            ws.write_datetime_with_format(row, col, day(*a)?, &f.date)?;
            if a != b {
                ws.write_datetime_with_format(row, col + 1, day(*b)?, &f.date)?;
            }
        }
        Value::DateTime(t) => {
            let at = day(t.date())?.and_hms(t.hour() as u16, t.minute() as u8, t.second())?;
            ws.write_datetime_with_format(row, col, at, &f.datetime)?;
        }
        Value::Text(_) | Value::Empty => {
            ws.write_with_format(row, col, text, &f.text)?;
        }
    }
    Ok(())
}

/// Writes a line: its label, its boxes or value, then each detail on a row of its own.
fn write_line(ws: &mut Worksheet, row: &mut u32, l: &Line, f: &Formats) -> Result<(), XlsxError> {
    ws.write_with_format(*row, 0, &l.label, &f.label)?;
    write_value(ws, *row, 1, &l.value, &l.text, f)?;
    *row += 1;
    for d in &l.details {
        ws.write_with_format(*row, 0, &d.label, &f.detail)?;
        write_value(ws, *row, 1, &d.value, &d.text, f)?;
        *row += 1;
    }
    Ok(())
}

fn write_part(ws: &mut Worksheet, tr: Tr, row: &mut u32, part: &Part, f: &Formats) -> Result<(), XlsxError> {
    ws.write_with_format(*row, 0, &part.title, &f.part)?;
    *row += 1;
    for l in part.head.iter().flatten() {
        write_line(ws, row, l, f)?;
    }
    for group in &part.people {
        *row += 1;
        ws.write_with_format(*row, 0, &group.title, &f.part)?;
        *row += 1;
        for (c, h) in
            ["reception.f.name", "reception.f.title", "reception.f.phone", "reception.f.needs"].iter().enumerate()
        {
            ws.write_with_format(*row, c as u16, tr.t(h), &f.head)?;
        }
        *row += 1;
        for r in &group.rows {
            for (c, value) in r.iter().enumerate() {
                ws.write_with_format(*row, c as u16, value, &f.text)?;
            }
            *row += 1;
        }
    }
    if !part.people.is_empty() {
        *row += 1;
    }
    for l in part.rest.iter().flatten() {
        write_line(ws, row, l, f)?;
    }
    *row += 1;
    Ok(())
}

/// The workbook of one application form: the company's name and the form's title on top
/// (repeated on every printed page), the state, then both parts.
pub fn application_workbook(
    tr: Tr,
    company: &str,
    code: &str,
    state: &str,
    paper: &Paper,
) -> Result<Vec<u8>, XlsxError> {
    let f = Formats::new();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(code)?;
    for (c, w) in [28.0, 34.0, 16.0, 24.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.merge_range(0, 0, 0, 3, company, &f.company)?;
    ws.merge_range(1, 0, 1, 3, &format!("{} {}", tr.t("reception.paper_title"), code), &f.title)?;
    ws.write_with_format(2, 0, tr.t("reception.state"), &f.label)?;
    ws.write_with_format(2, 1, state, &f.text)?;
    let mut row: u32 = 4;
    write_part(ws, tr, &mut row, &paper.one, &f)?;
    write_part(ws, tr, &mut row, &paper.two, &f)?;
    // Page set-up: A4 portrait, one page wide (as long as it needs), margins in inches
    // (about 15 mm), the title rows on every page, the page number in the footer.
    ws.set_paper_size(PAPER_A4);
    ws.set_portrait();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_margins(0.6, 0.6, 0.75, 0.75, 0.3, 0.3);
    ws.set_print_center_horizontally(true);
    ws.set_repeat_rows(0, 1)?;
    ws.set_print_area(0, 0, row.saturating_sub(1), 3)?;
    ws.set_footer("&C&P / &N");
    wb.save_to_buffer()
}
