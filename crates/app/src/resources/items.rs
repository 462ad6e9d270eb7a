//! A reception's item list (Attachment 3): generated from the item template of its
//! procedure version when it is taken on, edited by General Management, counted out on the
//! day and back at close-down.

use std::collections::HashMap;

use jiedai_domain::reception::Viewer;
use jiedai_domain::resources::{CountBack, ItemLineInput, ItemSource, plan_items};
use jiedai_domain::{Actor, FieldErrors, ItemLineId, ReceptionId, StockItemId, UserId};
use jiedai_store::{NewItemLine, StoredReception};

use super::{StoredLine, midnight, must_manage};
use crate::{App, Error, Result, receptions};

/// The note of a line the stock could not cover when it was generated.
pub const SHORT_NOTE: &str = "库存不足，需租借或采购";

/// A line with what its page shows besides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineView {
    /// The line.
    pub line: StoredLine,
    /// Its stock item's name, unit and number on hand (lines from stock).
    pub stock: Option<(String, i64)>,
    /// The responsible person's name.
    pub responsible: Option<String>,
    /// Not covered by the stock any more (a line from stock not yet counted out): the
    /// receptions holding the rest (none named when the item was disabled or its number on
    /// hand corrected below the line).
    pub short: Option<Vec<jiedai_domain::resources::Clash>>,
}

/// A reception's item list.
#[derive(Debug, Clone)]
pub struct ItemList {
    /// The reception.
    pub reception: StoredReception,
    /// Its lines, in order.
    pub lines: Vec<LineView>,
    /// The viewer keeps the list (General Management, administrators).
    pub editable: bool,
}

impl ItemList {
    /// Lines not yet counted out (nor written off).
    pub fn to_count_out(&self) -> usize {
        self.lines.iter().filter(|l| l.line.counted_out_at.is_none() && l.line.count.is_none()).count()
    }

    /// Lines not yet counted back (nor written off).
    pub fn to_count_back(&self) -> usize {
        self.lines.iter().filter(|l| l.line.count.is_none()).count()
    }
}

/// The item list taking a reception on writes: the template's rows its form asks for, from
/// the active stock item of the same name where there is one (else rented when reusable,
/// bought when not), the logistics group's lead as responsible.
pub(crate) async fn generate_items(app: &App, r: &StoredReception) -> Result<Vec<NewItemLine>> {
    let procedure = app.procedure(r.procedure_version).await?;
    let stock: HashMap<String, StockItemId> =
        app.store().stock_items().await?.into_iter().filter(|s| s.item.active).map(|s| (s.item.name, s.id)).collect();
    let lead = app.store().teams().await?.into_iter().find(|t| t.key == "logistics").and_then(|t| t.lead);
    Ok(plan_items(&procedure, &r.form)
        .into_iter()
        .map(|p| {
            let stock_item_id = stock.get(&p.name).copied();
            let source = match (stock_item_id, p.reusable) {
                (Some(_), _) => ItemSource::Stock,
                (None, true) => ItemSource::Rental,
                (None, false) => ItemSource::Purchase,
            };
            NewItemLine {
                line: ItemLineInput {
                    category: p.category,
                    name: p.name,
                    unit: p.unit,
                    quantity: p.quantity.max(1),
                    responsible_id: lead,
                    source,
                    stock_item_id,
                    ..Default::default()
                },
                reusable: p.reusable,
                short_note: SHORT_NOTE.to_owned(),
            }
        })
        .collect())
}

/// A reception's item list, for whoever may see the reception.
pub async fn item_list(app: &App, viewer: &Viewer, id: ReceptionId) -> Result<ItemList> {
    let (reception, _) = receptions::visible(app, viewer, id).await?;
    let stock: HashMap<StockItemId, (String, i64)> = app
        .store()
        .stock_items()
        .await?
        .into_iter()
        .map(|s| (s.id, (format!("{} · {}", s.item.category, s.item.name), s.item.on_hand)))
        .collect();
    let mut names: HashMap<UserId, String> = HashMap::new();
    let at = |d| midnight(app, d);
    let mut short: HashMap<ItemLineId, Vec<jiedai_domain::resources::Clash>> =
        app.store().line_shortfalls(id, &at).await?.into_iter().collect();
    let mut lines = Vec::new();
    for line in app.store().item_lines(id).await? {
        let responsible = match line.line.responsible_id {
            Some(u) => match names.get(&u) {
                Some(n) => Some(n.clone()),
                None => {
                    let name = app.store().get_user(u).await.map(|x| x.display_name.to_string()).unwrap_or_default();
                    names.insert(u, name.clone());
                    Some(name)
                }
            },
            None => None,
        };
        let stock = line.line.stock_item_id.and_then(|s| stock.get(&s).cloned());
        let short = short.remove(&line.id);
        lines.push(LineView { line, stock, responsible, short });
    }
    Ok(ItemList { reception, lines, editable: super::manages(viewer) })
}

fn editable(r: &StoredReception) -> Result<()> {
    if r.state.is_under_way() { Ok(()) } else { Err(Error::Conflict { code: "not_under_way", field: "state" }) }
}

/// Adds a line, or changes one read at `version` (General Management, a reception under
/// way): every problem at once; stock reserved over the visit's days, refused with the
/// receptions holding the rest when too little is free.
pub async fn save_line(
    app: &App,
    viewer: &Viewer,
    id: ReceptionId,
    line: Option<(ItemLineId, i32)>,
    input: &ItemLineInput,
    actor: &Actor,
) -> Result<StoredLine> {
    must_manage(viewer)?;
    let (r, _) = receptions::visible(app, viewer, id).await?;
    editable(&r)?;
    let (l, mut errs) = match input.check() {
        Ok(l) => (Some(l), FieldErrors::new()),
        Err(e) => (None, e),
    };
    super::check_person(app, "responsible_id", input.responsible_id, &mut errs).await?;
    let (Some(l), true) = (l, errs.is_empty()) else {
        return Err(Error::Validation(errs));
    };
    let at = |d| midnight(app, d);
    Ok(match line {
        None => app.store().add_item_line(id, &l, &at, actor).await?,
        Some((line, version)) => app.store().update_item_line(id, line, version, &l, &at, actor).await?,
    })
}

/// Removes a line not yet counted out.
pub async fn delete_line(
    app: &App,
    viewer: &Viewer,
    id: ReceptionId,
    line: ItemLineId,
    version: i32,
    actor: &Actor,
) -> Result<()> {
    must_manage(viewer)?;
    let (r, _) = receptions::visible(app, viewer, id).await?;
    editable(&r)?;
    Ok(app.store().delete_item_line(id, line, version, actor).await?)
}

/// Counts out the lines not yet counted out (or `only` those): stock on hand goes down.
pub async fn count_out(
    app: &App,
    viewer: &Viewer,
    id: ReceptionId,
    only: Option<&[ItemLineId]>,
    actor: &Actor,
) -> Result<usize> {
    must_manage(viewer)?;
    let (r, _) = receptions::visible(app, viewer, id).await?;
    editable(&r)?;
    Ok(app.store().count_out(id, only, actor).await?)
}

/// Counts a line back: the parts add up to its quantity; what came back of a line from
/// stock goes back on hand.
pub async fn count_back(
    app: &App,
    viewer: &Viewer,
    id: ReceptionId,
    line: ItemLineId,
    count: &CountBack,
    actor: &Actor,
) -> Result<StoredLine> {
    must_manage(viewer)?;
    let (r, _) = receptions::visible(app, viewer, id).await?;
    editable(&r)?;
    let stored = app.store().item_line(id, line).await?;
    let count = count.check(stored.line.quantity)?;
    Ok(app.store().count_back(id, line, &count, actor).await?)
}
