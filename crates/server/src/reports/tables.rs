//! The report's tables, written once for the page (HTML tables beside the charts) and the
//! workbooks (one sheet a table): a title, the column heads and the rows of typed cells, in
//! the reader's language.

use jiedai_domain::procedure::Group;
use jiedai_domain::reception::State;
use jiedai_domain::reports::{Summary, hundredths_text, percent_text};
use jiedai_domain::{Code, Fen, Tier};

use crate::i18n::{Tr, keys};

/// A cell, typed so that a workbook keeps numbers as numbers.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Words.
    Text(String),
    /// A count.
    Int(i64),
    /// Money.
    Money(Fen),
    /// A share in basis points (none: nothing to compare with).
    Share(Option<i64>),
    /// A score or average in hundredths.
    Score(Option<i64>),
}

impl Cell {
    /// The cell as the page writes it.
    pub fn text(&self, tr: Tr) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Int(n) => n.to_string(),
            Cell::Money(f) => tr.money(*f),
            Cell::Share(s) => s.map_or_else(|| "—".to_owned(), percent_text),
            Cell::Score(s) => s.map_or_else(|| "—".to_owned(), hundredths_text),
        }
    }

    /// True for figures (right-aligned).
    pub fn numeric(&self) -> bool {
        !matches!(self, Cell::Text(_))
    }
}

/// A table of the report.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Its id in links (`/reports.xlsx?table=…`) and the page.
    pub id: &'static str,
    /// Its title.
    pub title: String,
    /// Column heads.
    pub heads: Vec<String>,
    /// Rows.
    pub rows: Vec<Vec<Cell>>,
}

fn state_name(tr: Tr, key: &str) -> String {
    State::parse(key).map_or_else(|| key.to_owned(), |s| tr.t(keys::state(s)).to_owned())
}

fn tier_name(tr: Tr, key: &str) -> String {
    Tier::parse(key).map_or_else(|| tr.t("reports.no_tier").to_owned(), |t| tr.t(keys::tier(t)).to_owned())
}

fn group_name(tr: Tr, key: &str) -> String {
    Group::parse(key).map_or_else(|| key.to_owned(), |g| tr.t(keys::group(g)).to_owned())
}

fn heads(tr: Tr, keys: &[&str]) -> Vec<String> {
    keys.iter().map(|k| tr.t(k).to_owned()).collect()
}

/// Every table of a summary.
pub fn tables(s: &Summary, tr: Tr) -> Vec<Table> {
    use Cell::{Int, Money, Score, Share, Text};
    let r = &s.receptions;
    let count_rows = |rows: Vec<(String, i64)>| -> Vec<Vec<Cell>> {
        rows.into_iter()
            .map(|(k, n)| vec![Text(k), Int(n), Share(jiedai_domain::reports::share_bp(n, r.total))])
            .collect()
    };
    let sp = &s.spend;
    let sat = &s.satisfaction;
    vec![
        Table {
            id: "states",
            title: tr.t("reports.by_state").to_owned(),
            heads: heads(tr, &["reports.col_state", "reports.col_receptions", "reports.col_share"]),
            rows: count_rows(r.by_state.iter().map(|c| (state_name(tr, &c.key), c.count)).collect()),
        },
        Table {
            id: "tiers",
            title: tr.t("reports.by_tier").to_owned(),
            heads: heads(tr, &["reports.col_tier", "reports.col_receptions", "reports.col_share"]),
            rows: count_rows(r.by_tier.iter().map(|c| (tier_name(tr, &c.key), c.count)).collect()),
        },
        Table {
            id: "departments",
            title: tr.t("reports.by_department").to_owned(),
            heads: heads(tr, &["reports.col_department", "reports.col_receptions", "reports.col_share"]),
            rows: count_rows(r.by_department.iter().map(|d| (d.name.clone(), d.count)).collect()),
        },
        Table {
            id: "spend",
            title: tr.t("reports.spend_by_tier").to_owned(),
            heads: heads(
                tr,
                &[
                    "reports.col_tier",
                    "reports.col_settled",
                    "reports.col_guests",
                    "reports.col_actual",
                    "reports.col_per_guest",
                    "reports.col_standard",
                    "reports.col_over_share",
                ],
            ),
            rows: sp
                .by_tier
                .iter()
                .map(|t| {
                    vec![
                        Text(tier_name(tr, &t.tier)),
                        Int(t.receptions),
                        Int(t.guests),
                        Money(t.actual_fen),
                        t.per_guest_fen.map_or(Text("—".into()), Money),
                        t.standard_per_person_fen.map_or(Text("—".into()), Money),
                        Share(t.over.and_then(|o| o.share_bp)),
                    ]
                })
                .collect(),
        },
        Table {
            id: "overruns",
            title: tr.t("reports.largest_overruns").to_owned(),
            heads: heads(
                tr,
                &[
                    "reception.code",
                    "reports.col_organization",
                    "reports.col_budget",
                    "reports.col_actual",
                    "reports.col_over",
                    "reports.col_over_share",
                ],
            ),
            rows: sp
                .largest_overruns
                .iter()
                .map(|o| {
                    vec![
                        Text(o.code.clone()),
                        Text(o.guest_organization.clone()),
                        Money(o.budget_fen),
                        Money(o.actual_fen),
                        Money(o.over.over_fen),
                        Share(o.over.share_bp),
                    ]
                })
                .collect(),
        },
        Table {
            id: "satisfaction",
            title: tr.t("reports.satisfaction_items").to_owned(),
            heads: heads(tr, &["reports.col_item", "reports.col_reference", "reports.col_average"]),
            rows: sat
                .items
                .iter()
                .map(|i| {
                    let text = if tr.lang == jiedai_domain::Language::ZhCn { &i.text_zh } else { &i.text_en };
                    vec![Text(text.clone()), Int(i.reference), Score(i.average_hundredths)]
                })
                .collect(),
        },
        Table {
            id: "months",
            title: tr.t("reports.satisfaction_trend").to_owned(),
            heads: heads(tr, &["reports.col_month", "reports.col_responses", "reports.col_total_score"]),
            rows: sat
                .by_month
                .iter()
                .map(|m| vec![Text(m.month.to_string()), Int(m.responses), Score(m.total_hundredths)])
                .collect(),
        },
        Table {
            id: "late",
            title: tr.t("reports.late_by_department").to_owned(),
            heads: heads(
                tr,
                &["reports.col_department", "reports.col_requests", "reports.col_late", "reports.col_share"],
            ),
            rows: s
                .late
                .iter()
                .map(|l| vec![Text(l.name.clone()), Int(l.requests), Int(l.late), Share(l.share_bp)])
                .collect(),
        },
        Table {
            id: "tasks",
            title: tr.t("reports.tasks_on_time").to_owned(),
            heads: heads(tr, &["reports.col_group", "reports.col_done", "reports.col_on_time", "reports.col_share"]),
            rows: s
                .tasks
                .by_group
                .iter()
                .map(|t| vec![Text(group_name(tr, &t.group)), Int(t.done), Int(t.on_time), Share(t.share_bp)])
                .collect(),
        },
        Table {
            id: "savings",
            title: tr.t("reports.savings").to_owned(),
            heads: heads(tr, &["reports.col_item", "reports.col_quantity", "reports.col_value"]),
            rows: s
                .savings
                .by_item
                .iter()
                .map(|i| vec![Text(i.name.clone()), Int(i.quantity), Money(i.value_fen)])
                .collect(),
        },
        Table {
            id: "actions",
            title: tr.t("reports.open_actions").to_owned(),
            heads: heads(
                tr,
                &[
                    "reports.col_action",
                    "reports.col_owner",
                    "reports.col_due",
                    "reception.code",
                    "reports.col_overdue",
                ],
            ),
            rows: s
                .actions
                .list
                .iter()
                .map(|a| {
                    vec![
                        Text(a.what.clone()),
                        Text(a.owner.clone()),
                        Text(a.due_on.to_string()),
                        Text(a.reception_code.clone()),
                        Text(if a.overdue { tr.t("common.yes") } else { tr.t("common.no") }.to_owned()),
                    ]
                })
                .collect(),
        },
    ]
}
