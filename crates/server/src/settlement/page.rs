//! The settlement page of a reception (`/receptions/{id}/settlement`): budget against actual
//! with over-runs and the saving; the expense lines with their receipts, each editable while
//! the settlement is open or returned; the form of a new line (an adjusting one once
//! approved); the rented and bought lines of the item list to confirm as expenses; submit,
//! and finance's approve or return with a comment; the history. A form with a problem comes
//! back with what was typed and the messages next to its fields.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use jiedai_app::receptions;
use jiedai_app::settlement::{self, SettlementView};
use jiedai_domain::resources::ItemSource;
use jiedai_domain::settlement::{ExpenseCategory, ExpenseInput, PaidBy, SettlementAction, parse_signed_yuan};
use jiedai_domain::{Code, ExpenseId, Fen, FieldError, FieldErrors, ItemLineId, ReceptionId};
use serde::Deserialize;

use super::view::{Statement, statement};
use crate::auth::Cx;
use crate::auth::csrf::CsrfForm;
use crate::error::{AppError, AppResult};
use crate::extract::{Id, IdAnd};
use crate::forms::FormErrors;
use crate::i18n::keys::{audit_action, expense_category};
use crate::render::{Chrome, page, redirect_with_flash};
use crate::state::AppState;

/// An expense as its form typed it.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ExpenseForm {
    /// Category code.
    pub category: String,
    /// Amount in yuan, as typed.
    pub amount: String,
    /// Day, `YYYY-MM-DD`.
    pub date: String,
    /// `company` or a user id.
    pub paid_by: String,
    /// Vendor.
    pub vendor: String,
    /// Note.
    pub note: String,
    /// Why (adjusting).
    pub reason: String,
    /// `1` for an adjusting line.
    pub adjusting: String,
    /// The item line it settles.
    pub item_line_id: String,
    /// The line's version read.
    pub version: String,
}

/// What the decision form sent.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MoveForm {
    /// The settlement's version read.
    pub version: String,
    /// Finance's comment.
    pub comment: String,
}

/// A form sent back with its problems.
pub(super) enum Sent {
    Nothing,
    New(ExpenseForm, FormErrors),
    Line(i32, ExpenseForm, FormErrors),
    Decide(String, FormErrors),
}

/// A rented or bought line of the item list, as a proposed expense.
struct Proposal {
    id: i32,
    form: ExpenseForm,
    label: String,
}

#[derive(Template)]
#[template(path = "settlement/settlement.html")]
struct SettlementPage {
    c: Chrome,
    id: ReceptionId,
    v: SettlementView,
    s: Statement,
    categories: Vec<(&'static str, &'static str)>,
    people: Vec<(String, String)>,
    new: ExpenseForm,
    new_errs: FormErrors,
    edited: Option<(i32, ExpenseForm, FormErrors)>,
    proposals: Vec<Proposal>,
    comment: String,
    comment_errs: FormErrors,
    history: Vec<(String, String, String, String)>,
    notice: Option<String>,
    no_errs: FormErrors,
}

impl SettlementPage {
    fn form_of(&self, line: &super::view::StatementLine) -> ExpenseForm {
        match &self.edited {
            Some((id, f, _)) if *id == line.id => f.clone(),
            _ => ExpenseForm {
                category: line.category.to_owned(),
                amount: line.amount.yuan_plain(),
                date: line.date.clone(),
                paid_by: line.paid_by_code.clone(),
                vendor: line.vendor.clone(),
                note: line.note.clone(),
                version: line.version.to_string(),
                ..Default::default()
            },
        }
    }

    fn errs_for(&self, id: &i32) -> &FormErrors {
        self.edited.as_ref().filter(|(e, _, _)| e == id).map_or(&self.no_errs, |(_, _, errs)| errs)
    }

    fn pre(&self, kind: &str, id: impl std::fmt::Display) -> String {
        format!("{kind}{id}")
    }

    fn has_adjustments(&self) -> bool {
        self.s.adjustments != Fen::ZERO
    }

    fn money(&self, f: impl std::fmt::Display) -> String {
        f.to_string()
    }
}

/// The expense a form typed, and the problems of what could not be read.
fn read(f: &ExpenseForm, adjusting: bool) -> (ExpenseInput, FieldErrors) {
    let mut errs = FieldErrors::new();
    let category = ExpenseCategory::parse(f.category.trim());
    if category.is_none() {
        errs.push(FieldError::new("category", "required"));
    }
    let amount = match if adjusting {
        parse_signed_yuan("amount_fen", &f.amount)
    } else {
        Fen::parse_yuan("amount_fen", &f.amount)
    } {
        Ok(a) => a.get(),
        Err(e) => {
            errs.push(e);
            0
        }
    };
    let date = match f.date.trim() {
        "" => None,
        d => NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map_err(|_| errs.push(FieldError::new("date", "invalid_date")))
            .ok(),
    };
    let paid_by = PaidBy::parse(&f.paid_by).unwrap_or_else(|| {
        errs.push(FieldError::new("paid_by", "unknown_reference"));
        PaidBy::Company
    });
    let item_line_id = f.item_line_id.trim().parse::<i32>().ok().map(ItemLineId);
    let input = ExpenseInput {
        category,
        amount_fen: amount,
        date,
        paid_by,
        vendor: f.vendor.clone(),
        note: f.note.clone(),
        reason: f.reason.clone(),
        item_line_id,
    };
    (input, errs)
}

pub(super) async fn render(
    s: &AppState,
    cx: &Cx,
    id: ReceptionId,
    sent: Sent,
    notice: Option<String>,
    status: StatusCode,
) -> AppResult<Response> {
    let c = Chrome::new(cx);
    let tr = cx.tr();
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let v = settlement::settlement(&s.app, &viewer, id).await?;
    let st = statement(tr, &v, s.tz(), c.today);
    // A payer disabled since stays choosable on the lines that name them.
    let payers: Vec<jiedai_domain::UserId> = v.expenses.iter().filter_map(|e| e.expense.paid_by.person()).collect();
    let people = if v.may_edit || v.may_adjust { crate::forms::people(s, &payers).await?.1 } else { Vec::new() };
    let day = v.reception.visit_start.to_string();
    let proposals = if v.may_edit {
        v.proposals
            .iter()
            .map(|l| {
                let (category, kind) = match l.line.source {
                    ItemSource::Rental => (ExpenseCategory::Rentals, "items.source_rental"),
                    _ => (ExpenseCategory::Purchases, "items.source_purchase"),
                };
                let what = format!("{} × {}{}", l.line.name, l.line.quantity, l.line.unit);
                Proposal {
                    id: l.id.get(),
                    label: format!("{} · {what}", tr.t(kind)),
                    form: ExpenseForm {
                        category: category.as_str().to_owned(),
                        date: day.clone(),
                        paid_by: "company".to_owned(),
                        vendor: l.line.vendor.clone(),
                        note: what,
                        item_line_id: l.id.to_string(),
                        ..Default::default()
                    },
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    let history = v
        .history
        .iter()
        .map(|h| {
            let comment = h
                .after
                .as_deref()
                .and_then(|a| serde_json::from_str::<serde_json::Value>(a).ok())
                .and_then(|a| a.get("comment").and_then(|c| c.as_str()).map(str::to_owned))
                .unwrap_or_default();
            let did = audit_action(&h.action).map_or_else(|| h.action.clone(), |k| tr.t(k).to_owned());
            (tr.datetime(h.at, s.tz()), h.actor_label.clone(), did, comment)
        })
        .collect();
    let blank = ExpenseForm { date: day, paid_by: "company".to_owned(), ..Default::default() };
    let (new, new_errs, edited, comment, comment_errs) = match sent {
        Sent::Nothing => (blank, FormErrors::none(), None, String::new(), FormErrors::none()),
        Sent::New(f, e) => (f, e, None, String::new(), FormErrors::none()),
        Sent::Line(l, f, e) => (blank, FormErrors::none(), Some((l, f, e)), String::new(), FormErrors::none()),
        Sent::Decide(text, e) => (blank, FormErrors::none(), None, text, e),
    };
    let categories = ExpenseCategory::all().iter().map(|c| (c.as_str(), expense_category(*c))).collect();
    let p = SettlementPage {
        c,
        id,
        v,
        s: st,
        categories,
        people,
        new,
        new_errs,
        edited,
        proposals,
        comment,
        comment_errs,
        history,
        notice,
        no_errs: FormErrors::none(),
    };
    Ok((status, page(&p)).into_response())
}

/// `GET /receptions/{id}/settlement`.
pub async fn settlement_page(State(s): State<AppState>, cx: Cx, Id(id): Id<ReceptionId>) -> AppResult<Response> {
    render(&s, &cx, id, Sent::Nothing, None, StatusCode::OK).await
}

fn back(id: ReceptionId, anchor: &str) -> String {
    format!("/receptions/{id}/settlement#{anchor}")
}

/// The page again after a failed save: the form with its messages, or a notice for a
/// conflict that has no field on the form.
async fn failed(
    s: &AppState,
    cx: &Cx,
    id: ReceptionId,
    e: jiedai_app::Error,
    sent: impl FnOnce(FormErrors) -> Sent,
) -> AppResult<Response> {
    let tr = cx.tr();
    match e {
        jiedai_app::Error::StaleVersion => {
            render(s, cx, id, Sent::Nothing, Some(tr.t("settlement.stale").to_owned()), StatusCode::CONFLICT).await
        }
        jiedai_app::Error::Conflict { code, .. } => {
            render(s, cx, id, Sent::Nothing, Some(tr.field_code(code)), StatusCode::CONFLICT).await
        }
        e => {
            let errs = FormErrors::from_failure(tr, e)?;
            render(s, cx, id, sent(errs), None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

/// `POST /receptions/{id}/settlement/expenses`: a new line (adjusting with `adjusting=1`).
pub async fn add(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<ReceptionId>,
    CsrfForm(f): CsrfForm<ExpenseForm>,
) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let adjusting = f.adjusting == "1";
    let (input, errs) = read(&f, adjusting);
    let result = if errs.is_empty() {
        settlement::add_expense(&s.app, &viewer, id, &input, adjusting, &cx.actor()).await
    } else {
        Err(jiedai_app::Error::Validation(merged(errs, &input, adjusting, &s, id).await))
    };
    match result {
        Ok(e) => {
            Ok(redirect_with_flash(&back(id, &format!("expense-{}", e.id)), "flash.expense_saved", s.secure_cookies()))
        }
        Err(e) => failed(&s, &cx, id, e, |errs| Sent::New(f, errs)).await,
    }
}

/// The problems of what could not be read, with those the rest of the line has besides.
async fn merged(
    mut errs: FieldErrors,
    input: &ExpenseInput,
    adjusting: bool,
    s: &AppState,
    id: ReceptionId,
) -> FieldErrors {
    let Ok(visit) = settlement::visit_of(&s.app, id).await else { return errs };
    if let Err(more) = input.check(adjusting, visit) {
        let seen: Vec<String> = errs.0.iter().map(|e| e.field.clone()).collect();
        errs.0.extend(more.0.into_iter().filter(|e| !seen.contains(&e.field)));
    }
    errs
}

/// `POST /receptions/{id}/settlement/expenses/{expense}`: saves a line read at its version.
pub async fn save(
    State(s): State<AppState>,
    cx: Cx,
    IdAnd(id, line): IdAnd<ReceptionId>,
    CsrfForm(f): CsrfForm<ExpenseForm>,
) -> AppResult<Response> {
    let line: ExpenseId = line.parse().map_err(|_| AppError::NotFound)?;
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let (input, errs) = read(&f, false);
    let version = f.version.trim().parse::<i32>().ok();
    let result = if errs.is_empty() {
        settlement::update_expense(&s.app, &viewer, line, version, &input, &cx.actor()).await
    } else {
        Err(jiedai_app::Error::Validation(merged(errs, &input, false, &s, id).await))
    };
    match result {
        Ok(e) if e.reception_id == id => {
            Ok(redirect_with_flash(&back(id, &format!("expense-{line}")), "flash.expense_saved", s.secure_cookies()))
        }
        Ok(_) => Err(AppError::NotFound),
        Err(e) => failed(&s, &cx, id, e, |errs| Sent::Line(line.get(), f, errs)).await,
    }
}

/// `POST /receptions/{id}/settlement/expenses/{expense}/delete`.
pub async fn delete(
    State(s): State<AppState>,
    cx: Cx,
    IdAnd(id, line): IdAnd<ReceptionId>,
    CsrfForm(f): CsrfForm<ExpenseForm>,
) -> AppResult<Response> {
    let line: ExpenseId = line.parse().map_err(|_| AppError::NotFound)?;
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    if settlement::expense(&s.app, &viewer, line).await?.reception_id != id {
        return Err(AppError::NotFound);
    }
    let version = f.version.trim().parse::<i32>().ok();
    match settlement::delete_expense(&s.app, &viewer, line, version, &cx.actor()).await {
        Ok(_) => Ok(redirect_with_flash(&back(id, "expenses"), "flash.expense_removed", s.secure_cookies())),
        Err(e) => failed(&s, &cx, id, e, |_| Sent::Nothing).await,
    }
}

/// `POST /receptions/{id}/settlement/{action}`: submit, approve or return (with a comment).
pub async fn act(
    State(s): State<AppState>,
    cx: Cx,
    IdAnd(id, action): IdAnd<ReceptionId>,
    CsrfForm(f): CsrfForm<MoveForm>,
) -> AppResult<Response> {
    let action = SettlementAction::parse(&action).ok_or(AppError::NotFound)?;
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let version =
        f.version.trim().parse::<i32>().map_err(|_| AppError::BadRequest { code: "malformed_form", detail: None })?;
    match settlement::act(&s.app, &viewer, id, action, version, &f.comment, &cx.actor()).await {
        Ok(_) => {
            let flash = match action {
                SettlementAction::Submit => "flash.settlement_submitted",
                SettlementAction::Approve => "flash.settlement_approved",
                SettlementAction::Return => "flash.settlement_returned",
            };
            Ok(redirect_with_flash(&back(id, "state"), flash, s.secure_cookies()))
        }
        Err(e) => failed(&s, &cx, id, e, |errs| Sent::Decide(f.comment, errs)).await,
    }
}
