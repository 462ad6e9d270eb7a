//! The report's tables as a workbook: a sheet a table (named by its title), the period and
//! department in the first row, the column heads bold and frozen, money as numbers in yuan
//! with two decimals, shares as percentages: numbers stay numbers for whoever sums them.

use jiedai_domain::reports::Summary;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::tables::{Cell, Table};
use crate::i18n::Tr;

/// Excel forbids these in a sheet's name.
fn sheet_name(title: &str, used: &mut Vec<String>) -> String {
    let mut name: String =
        title.chars().filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\')).take(28).collect();
    if name.trim().is_empty() {
        name = "Sheet".into();
    }
    let mut candidate = name.clone();
    let mut n = 2;
    while used.contains(&candidate) {
        candidate = format!("{name} {n}");
        n += 1;
    }
    used.push(candidate.clone());
    candidate
}

/// The workbook of `tables`.
pub fn workbook(tr: Tr, s: &Summary, tables: &[Table]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("#,##0.00");
    let share = Format::new().set_num_format("0.00%");
    let score = Format::new().set_num_format("0.00");
    let mut used = Vec::new();
    for t in tables {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(&t.title, &mut used))?;
        ws.write_string_with_format(0, 0, &t.title, &bold)?;
        ws.write_string(
            0,
            1,
            tr.t_with("reports.sheet_period", &[("from", &s.from.to_string()), ("to", &s.to.to_string())]),
        )?;
        for (c, h) in t.heads.iter().enumerate() {
            ws.write_string_with_format(2, c as u16, h, &bold)?;
            ws.set_column_width(c as u16, if c == 0 { 28 } else { 14 })?;
        }
        ws.set_freeze_panes(3, 0)?;
        for (r, row) in t.rows.iter().enumerate() {
            let r = r as u32 + 3;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Text(v) => ws.write_string(r, c, v).map(|_| ())?,
                    Cell::Int(n) => ws.write_number(r, c, *n as f64).map(|_| ())?,
                    // Exact to the fen: an i64 of fen below 2^53 is exact as a double, and
                    // so is its quotient by 100 to two decimals as Excel shows it.
                    Cell::Money(f) => ws.write_number_with_format(r, c, f.get() as f64 / 100.0, &money).map(|_| ())?,
                    Cell::Share(Some(bp)) => {
                        ws.write_number_with_format(r, c, *bp as f64 / 10_000.0, &share).map(|_| ())?
                    }
                    Cell::Score(Some(h)) => ws.write_number_with_format(r, c, *h as f64 / 100.0, &score).map(|_| ())?,
                    Cell::Share(None) | Cell::Score(None) => ws.write_string(r, c, "").map(|_| ())?,
                }
            }
        }
    }
    if tables.is_empty() {
        wb.add_worksheet();
    }
    wb.save_to_buffer()
}
