//! `/stock`: the material kept in storage, what receptions reserve of it and what is free,
//! low ones marked; General Management adds items, corrects them (a new number on hand goes
//! to the ledger with why), deletes one no list used; `/stock/{id}`: an item's ledger.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use jiedai_app::resources::{self, StockView};
use jiedai_app::{Error, receptions};
use jiedai_domain::resources::{Movement, StockItemInput};
use jiedai_domain::{Fen, FieldErrors, StockItemId};
use serde::Deserialize;

use super::page_form::{Outcome, count, outcome};
use crate::auth::Cx;
use crate::auth::csrf::CsrfForm;
use crate::error::AppResult;
use crate::extract::Id;
use crate::forms::FormErrors;
use crate::i18n::Tr;
use crate::render::{Chrome, page, redirect_with_flash};
use crate::state::AppState;

/// What a stock item's form sends (and shows).
#[derive(Deserialize, Default, Clone)]
pub struct StockForm {
    #[serde(default)]
    version: i32,
    #[serde(default)]
    category: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    on_hand: String,
    /// `reusable` or `consumable`.
    #[serde(default)]
    reusable: String,
    #[serde(default)]
    storage: String,
    /// In yuan, as people type it (`80`, `80.50`).
    #[serde(default)]
    unit_cost: String,
    #[serde(default)]
    low_stock: String,
    #[serde(default)]
    active: Option<String>,
    /// Why the number on hand changed (the ledger's note).
    #[serde(default)]
    note: String,
}

impl StockForm {
    fn of(i: &resources::StoredStockItem) -> StockForm {
        let x = &i.item;
        StockForm {
            version: i.version,
            category: x.category.clone(),
            name: x.name.clone(),
            unit: x.unit.clone(),
            on_hand: x.on_hand.to_string(),
            reusable: if x.reusable { "reusable" } else { "consumable" }.to_owned(),
            storage: x.storage.clone(),
            unit_cost: Fen::new(x.unit_cost_fen).yuan_plain(),
            low_stock: x.low_stock.to_string(),
            active: x.active.then(|| "on".to_owned()),
            note: String::new(),
        }
    }

    fn input(&self) -> (StockItemInput, FieldErrors) {
        let mut errs = FieldErrors::new();
        let cost = self.unit_cost.trim();
        let unit_cost_fen =
            if cost.is_empty() { 0 } else { errs.check(Fen::parse_yuan("unit_cost", cost)).map_or(0, Fen::get) };
        let input = StockItemInput {
            category: self.category.clone(),
            name: self.name.clone(),
            unit: self.unit.clone(),
            on_hand: count(&mut errs, "on_hand", &self.on_hand),
            reusable: self.reusable != "consumable",
            storage: self.storage.clone(),
            unit_cost_fen,
            low_stock: count(&mut errs, "low_stock", &self.low_stock),
            active: self.active.is_some(),
        };
        (input, errs)
    }
}

/// The form's cost is typed in yuan as `unit_cost`: the domain's problems with
/// `unit_cost_fen` are shown there.
fn on_form(mut errs: FieldErrors) -> FieldErrors {
    for e in &mut errs.0 {
        if e.field == "unit_cost_fen" {
            e.field = "unit_cost".to_owned();
        }
    }
    errs
}

/// An item on the page: what is stored and reserved, and its form.
pub struct StockRow {
    /// `stock-3`, `stock-new`: the prefix of its element ids.
    key: String,
    /// Its id (0 for the form that adds).
    id: i32,
    /// Where its form posts.
    action: String,
    view: Option<StockView>,
    /// Its cost, as money.
    cost: String,
    form: StockForm,
    errs: FormErrors,
}

impl StockRow {
    fn of(v: StockView, tr: Tr) -> StockRow {
        let id = v.item.id;
        StockRow {
            key: format!("stock-{id}"),
            id: id.get(),
            action: format!("/stock/{id}"),
            cost: tr.money(Fen::new(v.item.item.unit_cost_fen)),
            form: StockForm::of(&v.item),
            view: Some(v),
            errs: FormErrors::none(),
        }
    }

    fn free(&self) -> i64 {
        self.view.as_ref().map_or(0, |v| v.item.item.on_hand - v.reserved)
    }
}

#[derive(Template)]
#[template(path = "resources/stock.html")]
struct StockPage {
    c: Chrome,
    items: Vec<StockRow>,
    new: StockRow,
    notice: Option<String>,
}

/// A form sent back: its row's key, what was typed (none for a deletion), its problems.
type Sent = Option<(String, Option<StockForm>, FormErrors)>;

async fn render(
    s: &AppState,
    cx: &Cx,
    mut sent: Sent,
    notice: Option<String>,
    status: StatusCode,
) -> AppResult<Response> {
    let tr = cx.tr();
    let mut put_back = |row: &mut StockRow| {
        if sent.as_ref().is_some_and(|(k, _, _)| *k == row.key)
            && let Some((_, f, errs)) = sent.take()
        {
            if let Some(f) = f {
                row.form = f;
            }
            row.errs = errs;
        }
    };
    let mut items = Vec::new();
    for v in resources::stock(&s.app).await? {
        let mut row = StockRow::of(v, tr);
        put_back(&mut row);
        items.push(row);
    }
    let blank = StockForm { reusable: "reusable".into(), active: Some("on".into()), ..Default::default() };
    let mut new = StockRow {
        key: "stock-new".into(),
        id: 0,
        action: "/stock".into(),
        view: None,
        cost: String::new(),
        form: blank,
        errs: FormErrors::none(),
    };
    put_back(&mut new);
    let mut r = page(&StockPage { c: Chrome::new(cx), items, new, notice });
    *r.status_mut() = status;
    Ok(r)
}

/// `GET /stock`.
pub async fn stock_page(State(s): State<AppState>, cx: Cx) -> AppResult<Response> {
    render(&s, &cx, None, None, StatusCode::OK).await
}

async fn save(s: &AppState, cx: &Cx, id: Option<StockItemId>, f: StockForm) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let (input, typed) = f.input();
    let saved = if typed.is_empty() {
        let at = id.map(|i| (i, f.version));
        let r = resources::save_stock(&s.app, &viewer, at, &input, &f.note, &cx.actor()).await;
        Some(r.map_err(|e| if let Error::Validation(errs) = e { Error::Validation(on_form(errs)) } else { e }))
    } else {
        None
    };
    let done = outcome(cx.tr(), typed, input.check().map(drop).map_err(on_form), saved)?;
    let (key, flash) = match id {
        Some(i) => (format!("stock-{i}"), "flash.stock_saved"),
        None => ("stock-new".to_owned(), "flash.stock_added"),
    };
    match done {
        Outcome::Saved => Ok(redirect_with_flash("/stock", flash, s.secure_cookies())),
        Outcome::Problems(errs, status) => render(s, cx, Some((key, Some(f), errs)), None, status).await,
        Outcome::Stale => {
            let notice = Some(cx.tr().t("resources.changed_meanwhile").to_owned());
            render(s, cx, None, notice, StatusCode::CONFLICT).await
        }
    }
}

/// `POST /stock`: adds an item (its first line in the ledger).
pub async fn add_stock(State(s): State<AppState>, cx: Cx, CsrfForm(f): CsrfForm<StockForm>) -> AppResult<Response> {
    save(&s, &cx, None, f).await
}

/// `POST /stock/{id}`: changes an item read at its version.
pub async fn save_stock(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<StockItemId>,
    CsrfForm(f): CsrfForm<StockForm>,
) -> AppResult<Response> {
    resources::stock_item(&s.app, id).await?;
    save(&s, &cx, Some(id), f).await
}

/// A form with nothing but its CSRF token.
#[derive(Deserialize)]
pub struct Empty {}

/// `POST /stock/{id}/delete`: one a list used is refused, saying to disable it instead.
pub async fn delete_stock(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<StockItemId>,
    CsrfForm(_): CsrfForm<Empty>,
) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let result = resources::delete_stock(&s.app, &viewer, id, &cx.actor()).await;
    match outcome(cx.tr(), FieldErrors::new(), Ok(()), Some(result))? {
        Outcome::Saved => Ok(redirect_with_flash("/stock", "flash.stock_deleted", s.secure_cookies())),
        Outcome::Problems(errs, status) => {
            render(&s, &cx, Some((format!("stock-{id}"), None, errs)), None, status).await
        }
        Outcome::Stale => render(&s, &cx, None, None, StatusCode::CONFLICT).await,
    }
}

/// The key naming a line of the ledger's kind.
fn movement_label(m: Movement) -> &'static str {
    match m {
        Movement::Created => "resources.movement_created",
        Movement::Adjusted => "resources.movement_adjusted",
        Movement::CountedOut => "resources.movement_counted_out",
        Movement::Returned => "resources.movement_returned",
        Movement::Consumed => "resources.movement_consumed",
        Movement::Lost => "resources.movement_lost",
        Movement::Damaged => "resources.movement_damaged",
    }
}

/// A line of the ledger as the page shows it.
pub struct LedgerLine {
    at: String,
    kind: &'static str,
    quantity: i64,
    /// The change on hand, signed (`+5`, `-3`, `0`).
    delta: String,
    on_hand_after: i64,
    reception: Option<(i32, String)>,
    note: String,
    actor: String,
}

#[derive(Template)]
#[template(path = "resources/ledger.html")]
struct LedgerPage {
    c: Chrome,
    item: StockRow,
    lines: Vec<LedgerLine>,
}

/// `GET /stock/{id}`: the item and its ledger, newest first.
pub async fn ledger(State(s): State<AppState>, cx: Cx, Id(id): Id<StockItemId>) -> AppResult<Response> {
    let tr = cx.tr();
    let item = StockRow::of(resources::stock_item(&s.app, id).await?, tr);
    let lines = resources::movements(&s.app, id)
        .await?
        .into_iter()
        .map(|m| LedgerLine {
            at: tr.datetime(m.at, s.tz()),
            kind: movement_label(m.kind),
            quantity: m.quantity,
            delta: if m.delta > 0 { format!("+{}", m.delta) } else { m.delta.to_string() },
            on_hand_after: m.on_hand_after,
            reception: m.reception.map(|(r, code)| (r.get(), code)),
            note: m.note,
            actor: m.actor_label,
        })
        .collect();
    Ok(page(&LedgerPage { c: Chrome::new(&cx), item, lines }))
}
