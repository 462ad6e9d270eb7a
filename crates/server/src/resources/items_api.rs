//! A reception's item list (Attachment 3) through the API: its lines, adding and changing
//! one (stock reserved, 409 `stock_short` naming the receptions holding the rest), counting
//! out and back.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use jiedai_app::receptions;
use jiedai_app::resources::{self, LineView, StoredLine};
use jiedai_domain::resources::{CountBack, ItemLineInput, ItemSource};
use jiedai_domain::{ItemLineId, ReceptionId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Cx;
use crate::error::AppResult;
use crate::extract::{ApiJson, Id, Ids, Query};
use crate::render::{Problem, json};
use crate::state::AppState;
use crate::tasks::api::VersionQuery;

/// A line of the item list.
#[derive(Serialize, ToSchema)]
pub struct ItemLineResponse {
    /// Id.
    pub id: i32,
    /// Its reception.
    pub reception_id: i32,
    /// Its place (序号).
    pub position: i32,
    /// Category (分类).
    pub category: String,
    /// Item (名称).
    pub name: String,
    /// Unit.
    pub unit: String,
    /// How many (数量).
    pub quantity: u32,
    /// Who is responsible (负责人, a user id).
    pub responsible_id: Option<i32>,
    /// `stock`, `rental` or `purchase`.
    pub source: ItemSource,
    /// The stock item reserved (source `stock`).
    pub stock_item_id: Option<i32>,
    /// The vendor (rented or bought).
    pub vendor: String,
    /// The day a rented item goes back to its vendor.
    pub return_due: Option<NaiveDate>,
    /// Ticked on the day (检查).
    pub checked: bool,
    /// Notes (备注).
    pub notes: String,
    /// When it was counted out, or null.
    pub counted_out_at: Option<DateTime<Utc>>,
    /// How many came back (归还), null until counted back.
    pub returned: Option<u32>,
    /// Used up, null until counted back.
    pub consumed: Option<u32>,
    /// Lost, null until counted back.
    pub lost: Option<u32>,
    /// Damaged, null until counted back.
    pub damaged: Option<u32>,
    /// The note of the count back.
    pub count_note: String,
    /// Written off without being counted out.
    pub written_off: bool,
    /// When it was counted back, or null.
    pub counted_back_at: Option<DateTime<Utc>>,
    /// The version to send back with a change.
    pub version: i32,
    /// In a reception's list: a line from stock, not yet counted out, that the stock no
    /// longer covers (its dates moved, the number on hand was corrected, another reception
    /// reserved over it), with the receptions holding the rest; null when covered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conflicts: Option<Vec<jiedai_domain::resources::Clash>>,
}

/// A reception's item list.
#[derive(Serialize, ToSchema)]
pub struct ItemLineList {
    /// In order.
    pub items: Vec<ItemLineResponse>,
}

pub(crate) fn line(l: StoredLine) -> ItemLineResponse {
    let c = l.count.as_ref();
    ItemLineResponse {
        id: l.id.get(),
        reception_id: l.reception_id.get(),
        position: l.position,
        returned: c.map(|c| c.returned),
        consumed: c.map(|c| c.consumed),
        lost: c.map(|c| c.lost),
        damaged: c.map(|c| c.damaged),
        count_note: c.map(|c| c.note.clone()).unwrap_or_default(),
        written_off: c.is_some_and(|c| c.write_off),
        category: l.line.category,
        name: l.line.name,
        unit: l.line.unit,
        quantity: l.line.quantity,
        responsible_id: l.line.responsible_id.map(|u| u.get()),
        source: l.line.source,
        stock_item_id: l.line.stock_item_id.map(|s| s.get()),
        vendor: l.line.vendor,
        return_due: l.line.return_due,
        checked: l.line.checked,
        notes: l.line.notes,
        counted_out_at: l.counted_out_at,
        counted_back_at: l.counted_back_at,
        version: l.version,
        conflicts: None,
    }
}

fn listed(l: LineView) -> ItemLineResponse {
    ItemLineResponse { conflicts: l.short, ..line(l.line) }
}

/// A reception's item list (none until it is taken on).
#[utoipa::path(get, path = "/api/v1/receptions/{id}/items", tag = "resources",
    params(("id" = i32, Path, description = "Reception id", example = 1)),
    responses((status = 200, body = ItemLineList), (status = 404, body = Problem)))]
pub async fn reception_items(State(s): State<AppState>, cx: Cx, Id(id): Id<ReceptionId>) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let list = resources::item_list(&s.app, &viewer, id).await?;
    let items = list.lines.into_iter().map(listed).collect();
    Ok(json(StatusCode::OK, ItemLineList { items }))
}

/// Adds a line at the end of the list (General Management, a reception under way). A line
/// from stock reserves its quantity over the visit's days: more than is free besides what
/// overlapping receptions reserve is refused with 409 `stock_short` and `conflicts`.
#[utoipa::path(post, path = "/api/v1/receptions/{id}/items", tag = "resources",
    params(("id" = i32, Path, description = "Reception id", example = 1)),
    request_body = ItemLineInput,
    responses((status = 201, body = ItemLineResponse),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "`stock_short` (with `conflicts`), a disabled stock item (`stock_inactive`), or the reception not under way", body = Problem),
        (status = 422, description = "Every problem at once", body = Problem)))]
pub async fn add_item(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<ReceptionId>,
    ApiJson(b): ApiJson<ItemLineInput>,
) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let l = resources::save_line(&s.app, &viewer, id, None, &b, &cx.actor()).await?;
    Ok(json(StatusCode::CREATED, line(l)))
}

/// A line as sent back to change it.
#[derive(Deserialize, ToSchema)]
pub struct ItemLineUpdate {
    /// The version read (409 when stale).
    pub version: i32,
    /// Its new values.
    #[serde(flatten)]
    pub line: ItemLineInput,
}

/// Changes a line read at `version`; its reservation is checked again. Once counted out,
/// its item, source and quantity stay (409 `counted_out`).
#[utoipa::path(put, path = "/api/v1/receptions/{id}/items/{line}", tag = "resources",
    params(("id" = i32, Path, description = "Reception id", example = 1),
        ("line" = i32, Path, description = "Line id", example = 1)),
    request_body = ItemLineUpdate,
    responses((status = 200, body = ItemLineResponse),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "Changed since read, `stock_short` (with `conflicts`), `counted_out`", body = Problem),
        (status = 422, description = "Every problem at once", body = Problem)))]
pub async fn put_item(
    State(s): State<AppState>,
    cx: Cx,
    Ids(id, l): Ids<ReceptionId, ItemLineId>,
    ApiJson(b): ApiJson<ItemLineUpdate>,
) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let saved = resources::save_line(&s.app, &viewer, id, Some((l, b.version)), &b.line, &cx.actor()).await?;
    Ok(json(StatusCode::OK, line(saved)))
}

/// Removes a line not yet counted out (its reservation with it).
#[utoipa::path(delete, path = "/api/v1/receptions/{id}/items/{line}", tag = "resources",
    params(("id" = i32, Path, description = "Reception id", example = 1),
        ("line" = i32, Path, description = "Line id", example = 1), VersionQuery),
    responses((status = 204, description = "Removed"),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "Changed since read, or counted out", body = Problem)))]
pub async fn delete_item(
    State(s): State<AppState>,
    cx: Cx,
    Ids(id, l): Ids<ReceptionId, ItemLineId>,
    Query(q): Query<VersionQuery>,
) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    resources::delete_line(&s.app, &viewer, id, l, q.version, &cx.actor()).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Which lines to count out.
#[derive(Deserialize, ToSchema, Default)]
#[serde(from = "Option<RawCountOut>")]
pub struct CountOutRequest {
    /// Only these lines (ids); every line not yet counted out when left out.
    pub lines: Option<Vec<i32>>,
}

#[derive(Deserialize, Default)]
struct RawCountOut {
    #[serde(default)]
    lines: Option<Vec<i32>>,
}

impl From<Option<RawCountOut>> for CountOutRequest {
    fn from(r: Option<RawCountOut>) -> Self {
        CountOutRequest { lines: r.unwrap_or_default().lines }
    }
}

/// What counting out did.
#[derive(Serialize, ToSchema)]
pub struct CountOutResponse {
    /// How many lines were counted out now.
    pub counted_out: usize,
    /// The list after it.
    pub items: Vec<ItemLineResponse>,
}

/// Counts out the lines not yet counted out (or those named): the quantity of each line from
/// stock leaves the number on hand, with a ledger line (who and when). All or none: a line
/// whose stock is not on hand refuses the lot (409 `not_on_hand`).
#[utoipa::path(post, path = "/api/v1/receptions/{id}/items/count-out", tag = "resources",
    params(("id" = i32, Path, description = "Reception id", example = 1)),
    request_body(content = Option<CountOutRequest>, description = "Which lines; all when left out"),
    responses((status = 200, body = CountOutResponse),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "Not on hand (`not_on_hand`), or the reception not under way", body = Problem)))]
pub async fn count_out(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<ReceptionId>,
    body: Option<ApiJson<CountOutRequest>>,
) -> AppResult<Response> {
    let b = body.map(|ApiJson(b)| b).unwrap_or_default();
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let only: Option<Vec<ItemLineId>> = b.lines.map(|v| v.into_iter().map(ItemLineId).collect());
    let n = resources::count_out(&s.app, &viewer, id, only.as_deref(), &cx.actor()).await?;
    let items = resources::item_list(&s.app, &viewer, id).await?.lines.into_iter().map(|l| line(l.line)).collect();
    Ok(json(StatusCode::OK, CountOutResponse { counted_out: n, items }))
}

/// Counts a line back after the day: `returned`, `consumed`, `lost` and `damaged` add up to
/// its quantity (a note when anything was lost or damaged); what came back of a line from
/// stock goes back on hand. Or `write_off` with a note for a line never counted out. Once.
#[utoipa::path(post, path = "/api/v1/receptions/{id}/items/{line}/count-back", tag = "resources",
    params(("id" = i32, Path, description = "Reception id", example = 1),
        ("line" = i32, Path, description = "Line id", example = 1)),
    request_body = CountBack,
    responses((status = 200, body = ItemLineResponse),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "Counted back already (`already_counted_back`), not counted out (`not_counted_out`), written off after counting out (`already_counted_out`)", body = Problem),
        (status = 422, description = "The parts do not add up to the quantity, or a note is missing", body = Problem)))]
pub async fn count_back(
    State(s): State<AppState>,
    cx: Cx,
    Ids(id, l): Ids<ReceptionId, ItemLineId>,
    ApiJson(b): ApiJson<CountBack>,
) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let saved = resources::count_back(&s.app, &viewer, id, l, &b, &cx.actor()).await?;
    Ok(json(StatusCode::OK, line(saved)))
}
