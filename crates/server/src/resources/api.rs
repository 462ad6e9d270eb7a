//! Rooms, cars and stock through the API: everyone signed in reads them, General
//! Management and administrators keep them; a stock item's ledger.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use jiedai_app::receptions;
use jiedai_app::resources::{self, StockView, StoredMovement, StoredRoom, StoredVehicle};
use jiedai_domain::resources::{Movement, RoomInput, StockItemInput, VehicleInput};
use jiedai_domain::{RoomId, StockItemId, VehicleId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Cx;
use crate::error::AppResult;
use crate::extract::{ApiJson, Id};
use crate::render::{Problem, json};
use crate::state::AppState;

/// A meeting room.
#[derive(Serialize, ToSchema)]
pub struct RoomResponse {
    /// Id.
    pub id: i32,
    /// Its values.
    #[serde(flatten)]
    pub room: RoomInput,
    /// The version to send back with a change.
    pub version: i32,
}

/// Rooms.
#[derive(Serialize, ToSchema)]
pub struct RoomList {
    /// Every room, by name.
    pub items: Vec<RoomResponse>,
}

/// A room as sent back to change it.
#[derive(Deserialize, ToSchema)]
pub struct RoomUpdate {
    /// The version read (409 when stale).
    pub version: i32,
    /// Its new values.
    #[serde(flatten)]
    pub room: RoomInput,
}

fn room(r: StoredRoom) -> RoomResponse {
    RoomResponse { id: r.id.get(), room: r.room, version: r.version }
}

/// Every meeting room.
#[utoipa::path(get, path = "/api/v1/rooms", tag = "resources", responses((status = 200, body = RoomList)))]
pub async fn list_rooms(State(s): State<AppState>, _cx: Cx) -> AppResult<Response> {
    let items = resources::rooms(&s.app).await?.into_iter().map(room).collect();
    Ok(json(StatusCode::OK, RoomList { items }))
}

/// Adds a meeting room (General Management and administrators).
#[utoipa::path(post, path = "/api/v1/rooms", tag = "resources", request_body = RoomInput,
    responses((status = 201, body = RoomResponse),
        (status = 403, body = Problem),
        (status = 409, description = "The name is taken", body = Problem),
        (status = 422, description = "Every problem at once", body = Problem)))]
pub async fn create_room(State(s): State<AppState>, cx: Cx, ApiJson(b): ApiJson<RoomInput>) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let r = resources::save_room(&s.app, &viewer, None, &b, &cx.actor()).await?;
    Ok(json(StatusCode::CREATED, room(r)))
}

/// One meeting room.
#[utoipa::path(get, path = "/api/v1/rooms/{id}", tag = "resources",
    params(("id" = i32, Path, description = "Room id", example = 1)),
    responses((status = 200, body = RoomResponse), (status = 404, body = Problem)))]
pub async fn get_room(State(s): State<AppState>, _cx: Cx, Id(id): Id<RoomId>) -> AppResult<Response> {
    let r = resources::room(&s.app, id).await?;
    Ok(json(StatusCode::OK, room(r)))
}

/// Changes a meeting room read at `version` (a disabled room is no longer bookable; its
/// bookings stay).
#[utoipa::path(put, path = "/api/v1/rooms/{id}", tag = "resources",
    params(("id" = i32, Path, description = "Room id", example = 1)),
    request_body = RoomUpdate,
    responses((status = 200, body = RoomResponse),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "Changed since read, or the name is taken", body = Problem),
        (status = 422, description = "Every problem at once", body = Problem)))]
pub async fn put_room(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<RoomId>,
    ApiJson(b): ApiJson<RoomUpdate>,
) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let r = resources::save_room(&s.app, &viewer, Some((id, b.version)), &b.room, &cx.actor()).await?;
    Ok(json(StatusCode::OK, room(r)))
}

/// A car.
#[derive(Serialize, ToSchema)]
pub struct VehicleResponse {
    /// Id.
    pub id: i32,
    /// Its values.
    #[serde(flatten)]
    pub vehicle: VehicleInput,
    /// The version to send back with a change.
    pub version: i32,
}

/// Cars.
#[derive(Serialize, ToSchema)]
pub struct VehicleList {
    /// Every car.
    pub items: Vec<VehicleResponse>,
}

/// A car as sent back to change it.
#[derive(Deserialize, ToSchema)]
pub struct VehicleUpdate {
    /// The version read (409 when stale).
    pub version: i32,
    /// Its new values.
    #[serde(flatten)]
    pub vehicle: VehicleInput,
}

fn vehicle(v: StoredVehicle) -> VehicleResponse {
    VehicleResponse { id: v.id.get(), vehicle: v.vehicle, version: v.version }
}

/// Every car.
#[utoipa::path(get, path = "/api/v1/vehicles", tag = "resources", responses((status = 200, body = VehicleList)))]
pub async fn list_vehicles(State(s): State<AppState>, _cx: Cx) -> AppResult<Response> {
    let items = resources::vehicles(&s.app).await?.into_iter().map(vehicle).collect();
    Ok(json(StatusCode::OK, VehicleList { items }))
}

/// Adds a car (General Management and administrators).
#[utoipa::path(post, path = "/api/v1/vehicles", tag = "resources", request_body = VehicleInput,
    responses((status = 201, body = VehicleResponse),
        (status = 403, body = Problem),
        (status = 409, description = "The plate is taken", body = Problem),
        (status = 422, description = "Every problem at once (a default driver who is not an active person among them)", body = Problem)))]
pub async fn create_vehicle(
    State(s): State<AppState>,
    cx: Cx,
    ApiJson(b): ApiJson<VehicleInput>,
) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let v = resources::save_vehicle(&s.app, &viewer, None, &b, &cx.actor()).await?;
    Ok(json(StatusCode::CREATED, vehicle(v)))
}

/// One car.
#[utoipa::path(get, path = "/api/v1/vehicles/{id}", tag = "resources",
    params(("id" = i32, Path, description = "Car id", example = 1)),
    responses((status = 200, body = VehicleResponse), (status = 404, body = Problem)))]
pub async fn get_vehicle(State(s): State<AppState>, _cx: Cx, Id(id): Id<VehicleId>) -> AppResult<Response> {
    let v = resources::vehicle(&s.app, id).await?;
    Ok(json(StatusCode::OK, vehicle(v)))
}

/// Changes a car read at `version`.
#[utoipa::path(put, path = "/api/v1/vehicles/{id}", tag = "resources",
    params(("id" = i32, Path, description = "Car id", example = 1)),
    request_body = VehicleUpdate,
    responses((status = 200, body = VehicleResponse),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "Changed since read, or the plate is taken", body = Problem),
        (status = 422, description = "Every problem at once", body = Problem)))]
pub async fn put_vehicle(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<VehicleId>,
    ApiJson(b): ApiJson<VehicleUpdate>,
) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let v = resources::save_vehicle(&s.app, &viewer, Some((id, b.version)), &b.vehicle, &cx.actor()).await?;
    Ok(json(StatusCode::OK, vehicle(v)))
}

/// A stock item.
#[derive(Serialize, ToSchema)]
pub struct StockResponse {
    /// Id.
    pub id: i32,
    /// Its values; `on_hand` is how many are in storage now.
    #[serde(flatten)]
    pub item: StockItemInput,
    /// Reserved by receptions under way from today and not yet counted out.
    pub reserved: i64,
    /// Fewer on hand than `low_stock`.
    pub low: bool,
    /// The version to send back with a change.
    pub version: i32,
}

/// Stock items.
#[derive(Serialize, ToSchema)]
pub struct StockList {
    /// Every item, by category and name.
    pub items: Vec<StockResponse>,
}

/// A stock item as sent back to change it.
#[derive(Deserialize, ToSchema)]
pub struct StockUpdate {
    /// The version read (409 when stale).
    pub version: i32,
    /// Why the number on hand changed (written to the ledger); at most 500 characters.
    #[serde(default)]
    pub note: String,
    /// Its new values.
    #[serde(flatten)]
    pub item: StockItemInput,
}

fn stock(v: StockView) -> StockResponse {
    StockResponse { id: v.item.id.get(), item: v.item.item, reserved: v.reserved, low: v.low, version: v.item.version }
}

/// Every stock item with what is reserved of it; low ones marked.
#[utoipa::path(get, path = "/api/v1/stock", tag = "resources", responses((status = 200, body = StockList)))]
pub async fn list_stock(State(s): State<AppState>, _cx: Cx) -> AppResult<Response> {
    let items = resources::stock(&s.app).await?.into_iter().map(stock).collect();
    Ok(json(StatusCode::OK, StockList { items }))
}

/// Adds a stock item (its first line in the ledger).
#[utoipa::path(post, path = "/api/v1/stock", tag = "resources", request_body = StockItemInput,
    responses((status = 201, body = StockResponse),
        (status = 403, body = Problem),
        (status = 409, description = "An item of that name is in that category", body = Problem),
        (status = 422, description = "Every problem at once", body = Problem)))]
pub async fn create_stock(
    State(s): State<AppState>,
    cx: Cx,
    ApiJson(b): ApiJson<StockItemInput>,
) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let item = resources::save_stock(&s.app, &viewer, None, &b, "", &cx.actor()).await?;
    Ok(json(StatusCode::CREATED, stock(resources::stock_item(&s.app, item.id).await?)))
}

/// One stock item.
#[utoipa::path(get, path = "/api/v1/stock/{id}", tag = "resources",
    params(("id" = i32, Path, description = "Stock item id", example = 1)),
    responses((status = 200, body = StockResponse), (status = 404, body = Problem)))]
pub async fn get_stock(State(s): State<AppState>, _cx: Cx, Id(id): Id<StockItemId>) -> AppResult<Response> {
    Ok(json(StatusCode::OK, stock(resources::stock_item(&s.app, id).await?)))
}

/// Changes a stock item read at `version`; a new `on_hand` is written to the ledger as an
/// adjustment with `note`.
#[utoipa::path(put, path = "/api/v1/stock/{id}", tag = "resources",
    params(("id" = i32, Path, description = "Stock item id", example = 1)),
    request_body = StockUpdate,
    responses((status = 200, body = StockResponse),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "Changed since read, or the name is taken in its category", body = Problem),
        (status = 422, description = "Every problem at once", body = Problem)))]
pub async fn put_stock(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<StockItemId>,
    ApiJson(b): ApiJson<StockUpdate>,
) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    resources::save_stock(&s.app, &viewer, Some((id, b.version)), &b.item, &b.note, &cx.actor()).await?;
    Ok(json(StatusCode::OK, stock(resources::stock_item(&s.app, id).await?)))
}

/// Deletes a stock item no item list has used; one a list reserves or used is refused
/// (`stock_in_use`): disable it instead.
#[utoipa::path(delete, path = "/api/v1/stock/{id}", tag = "resources",
    params(("id" = i32, Path, description = "Stock item id", example = 1)),
    responses((status = 204, description = "Deleted"),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "An item list uses it (`stock_in_use`)", body = Problem)))]
pub async fn delete_stock(State(s): State<AppState>, cx: Cx, Id(id): Id<StockItemId>) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    resources::delete_stock(&s.app, &viewer, id, &cx.actor()).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// A line of the stock ledger.
#[derive(Serialize, ToSchema)]
pub struct MovementResponse {
    /// Id.
    pub id: i32,
    /// `created`, `adjusted`, `counted_out`, `returned`, `consumed`, `lost` or `damaged`.
    pub kind: Movement,
    /// How many.
    pub quantity: i64,
    /// The change on hand (negative when taken out).
    pub delta: i64,
    /// On hand after it.
    pub on_hand_after: i64,
    /// The reception it was for.
    pub reception_id: Option<i32>,
    /// That reception's code.
    pub reception_code: Option<String>,
    /// Note.
    pub note: String,
    /// Who (username, `cli` or `system`).
    pub actor: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// A stock item's ledger.
#[derive(Serialize, ToSchema)]
pub struct MovementList {
    /// Newest first; at most 200.
    pub items: Vec<MovementResponse>,
}

fn movement(m: StoredMovement) -> MovementResponse {
    MovementResponse {
        id: m.id,
        kind: m.kind,
        quantity: m.quantity,
        delta: m.delta,
        on_hand_after: m.on_hand_after,
        reception_id: m.reception.as_ref().map(|(r, _)| r.get()),
        reception_code: m.reception.map(|(_, c)| c),
        note: m.note,
        actor: m.actor_label,
        at: m.at,
    }
}

/// A stock item's ledger: every movement with who and when, newest first.
#[utoipa::path(get, path = "/api/v1/stock/{id}/movements", tag = "resources",
    params(("id" = i32, Path, description = "Stock item id", example = 1)),
    responses((status = 200, body = MovementList), (status = 404, body = Problem)))]
pub async fn stock_movements(State(s): State<AppState>, _cx: Cx, Id(id): Id<StockItemId>) -> AppResult<Response> {
    let items = resources::movements(&s.app, id).await?.into_iter().map(movement).collect();
    Ok(json(StatusCode::OK, MovementList { items }))
}
