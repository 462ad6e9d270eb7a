//! `/resources`: the meeting rooms and cars, for everyone signed in to look at; General
//! Management and administrators add them and change them on the same page (every problem
//! next to its field, what was typed kept).

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use jiedai_app::{receptions, resources};
use jiedai_domain::resources::{RoomInput, VehicleInput};
use jiedai_domain::{FieldErrors, Permission, RoomId, UserId, VehicleId};
use serde::Deserialize;

use super::page_form::{Outcome, outcome, people, seats};
use crate::auth::Cx;
use crate::auth::csrf::CsrfForm;
use crate::error::AppResult;
use crate::extract::Id;
use crate::forms::FormErrors;
use crate::render::{Chrome, page, redirect_with_flash};
use crate::state::AppState;

/// What a room's form sends (and shows).
#[derive(Deserialize, Default, Clone)]
pub struct RoomForm {
    #[serde(default)]
    version: i32,
    #[serde(default)]
    name: String,
    #[serde(default)]
    building: String,
    #[serde(default)]
    floor: String,
    #[serde(default)]
    capacity: String,
    #[serde(default)]
    equipment: String,
    #[serde(default)]
    notes: String,
    #[serde(default)]
    active: Option<String>,
}

impl RoomForm {
    fn of(r: &resources::StoredRoom) -> RoomForm {
        let x = &r.room;
        RoomForm {
            version: r.version,
            name: x.name.clone(),
            building: x.building.clone(),
            floor: x.floor.clone(),
            capacity: x.capacity.to_string(),
            equipment: x.equipment.clone(),
            notes: x.notes.clone(),
            active: x.active.then(|| "on".to_owned()),
        }
    }

    fn input(&self) -> (RoomInput, FieldErrors) {
        let mut errs = FieldErrors::new();
        let input = RoomInput {
            name: self.name.clone(),
            building: self.building.clone(),
            floor: self.floor.clone(),
            capacity: seats(&mut errs, "capacity", &self.capacity),
            equipment: self.equipment.clone(),
            notes: self.notes.clone(),
            active: self.active.is_some(),
        };
        (input, errs)
    }
}

/// What a car's form sends (and shows).
#[derive(Deserialize, Default, Clone)]
pub struct VehicleForm {
    #[serde(default)]
    version: i32,
    #[serde(default)]
    model: String,
    #[serde(default)]
    plate: String,
    #[serde(default)]
    seats: String,
    #[serde(default)]
    default_driver_id: String,
    #[serde(default)]
    notes: String,
    #[serde(default)]
    active: Option<String>,
}

impl VehicleForm {
    fn of(v: &resources::StoredVehicle) -> VehicleForm {
        let x = &v.vehicle;
        VehicleForm {
            version: v.version,
            model: x.model.clone(),
            plate: x.plate.clone(),
            seats: x.seats.to_string(),
            default_driver_id: x.default_driver_id.map(|u| u.to_string()).unwrap_or_default(),
            notes: x.notes.clone(),
            active: x.active.then(|| "on".to_owned()),
        }
    }

    fn input(&self) -> (VehicleInput, FieldErrors) {
        let mut errs = FieldErrors::new();
        let driver = self.default_driver_id.trim();
        let default_driver_id = match driver.parse::<UserId>() {
            Ok(u) => Some(u),
            Err(_) if driver.is_empty() => None,
            Err(_) => {
                errs.push(jiedai_domain::FieldError::new("default_driver_id", "person_not_active"));
                None
            }
        };
        let input = VehicleInput {
            model: self.model.clone(),
            seats: seats(&mut errs, "seats", &self.seats),
            plate: self.plate.clone(),
            default_driver_id,
            notes: self.notes.clone(),
            active: self.active.is_some(),
        };
        (input, errs)
    }
}

/// A room or car on the page: what is stored, and its form (what was typed, when sent back
/// with problems).
pub struct Row<F> {
    /// `room-3`, `vehicle-new`: the prefix of its element ids.
    key: String,
    /// Where its form posts.
    action: String,
    shown: F,
    form: F,
    errs: FormErrors,
}

impl<F: Clone> Row<F> {
    fn new(key: String, action: String, stored: F) -> Row<F> {
        Row { key, action, form: stored.clone(), shown: stored, errs: FormErrors::none() }
    }
}

#[derive(Template)]
#[template(path = "resources/resources.html")]
struct ResourcesPage {
    c: Chrome,
    manages: bool,
    rooms: Vec<Row<RoomForm>>,
    cars: Vec<Row<VehicleForm>>,
    new_room: Row<RoomForm>,
    new_car: Row<VehicleForm>,
    /// Everyone's name by id (a driver shown in the table).
    names: HashMap<String, String>,
    /// Active people to choose a driver from: `(id, label)`.
    drivers: Vec<(String, String)>,
    notice: Option<String>,
}

impl ResourcesPage {
    fn driver(&self, id: &str) -> &str {
        self.names.get(id).map_or("", String::as_str)
    }

    /// True when the driver is one to choose from (an active person).
    fn lists_driver(&self, id: &str) -> bool {
        self.drivers.iter().any(|d| d.0 == id)
    }
}

/// A form sent back: whose (its row's key), what was typed, its problems.
type Sent<F> = Option<(String, F, FormErrors)>;

/// The forms sent back, a room's or a car's.
#[derive(Default)]
struct SentBack {
    room: Sent<RoomForm>,
    vehicle: Sent<VehicleForm>,
}

/// Puts a sent form back on its row.
fn put_back<F>(row: &mut Row<F>, sent: &mut Sent<F>) {
    if sent.as_ref().is_some_and(|(k, _, _)| *k == row.key)
        && let Some((_, f, errs)) = sent.take()
    {
        row.form = f;
        row.errs = errs;
    }
}

async fn render(
    s: &AppState,
    cx: &Cx,
    mut sent: SentBack,
    notice: Option<String>,
    status: StatusCode,
) -> AppResult<Response> {
    let (names, drivers) = people(s).await?;
    let names = names.into_iter().map(|(id, n)| (id.to_string(), n)).collect();
    let mut rooms = Vec::new();
    for r in resources::rooms(&s.app).await? {
        let mut row = Row::new(format!("room-{}", r.id), format!("/resources/rooms/{}", r.id), RoomForm::of(&r));
        put_back(&mut row, &mut sent.room);
        rooms.push(row);
    }
    let mut cars = Vec::new();
    for v in resources::vehicles(&s.app).await? {
        let mut row =
            Row::new(format!("vehicle-{}", v.id), format!("/resources/vehicles/{}", v.id), VehicleForm::of(&v));
        put_back(&mut row, &mut sent.vehicle);
        cars.push(row);
    }
    let blank_room = RoomForm { active: Some("on".into()), ..Default::default() };
    let mut new_room = Row::new("room-new".into(), "/resources/rooms".into(), blank_room);
    put_back(&mut new_room, &mut sent.room);
    let blank_car = VehicleForm { active: Some("on".into()), ..Default::default() };
    let mut new_car = Row::new("vehicle-new".into(), "/resources/vehicles".into(), blank_car);
    put_back(&mut new_car, &mut sent.vehicle);
    let manages = cx.allows(Permission::ManageResources);
    let mut r =
        page(&ResourcesPage { c: Chrome::new(cx), manages, rooms, cars, new_room, new_car, names, drivers, notice });
    *r.status_mut() = status;
    Ok(r)
}

/// `GET /resources`.
pub async fn resources_page(State(s): State<AppState>, cx: Cx) -> AppResult<Response> {
    render(&s, &cx, SentBack::default(), None, StatusCode::OK).await
}

/// Back to the list with a flash, or the page again with the form's problems on it.
async fn after(
    s: &AppState,
    cx: &Cx,
    done: Outcome,
    sent: impl FnOnce(FormErrors) -> SentBack,
    flash: &str,
) -> AppResult<Response> {
    match done {
        Outcome::Saved => Ok(redirect_with_flash("/resources", flash, s.secure_cookies())),
        Outcome::Problems(errs, status) => render(s, cx, sent(errs), None, status).await,
        Outcome::Stale => {
            let notice = Some(cx.tr().t("resources.changed_meanwhile").to_owned());
            render(s, cx, SentBack::default(), notice, StatusCode::CONFLICT).await
        }
    }
}

async fn room(s: &AppState, cx: &Cx, id: Option<RoomId>, f: RoomForm) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let (input, typed) = f.input();
    let saved = if typed.is_empty() {
        let at = id.map(|i| (i, f.version));
        Some(resources::save_room(&s.app, &viewer, at, &input, &cx.actor()).await)
    } else {
        None
    };
    let done = outcome(cx.tr(), typed, input.check().map(drop), saved)?;
    let (key, flash) = match id {
        Some(i) => (format!("room-{i}"), "flash.room_saved"),
        None => ("room-new".to_owned(), "flash.room_added"),
    };
    after(s, cx, done, |e| SentBack { room: Some((key, f, e)), ..Default::default() }, flash).await
}

async fn vehicle(s: &AppState, cx: &Cx, id: Option<VehicleId>, f: VehicleForm) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let (input, typed) = f.input();
    let saved = if typed.is_empty() {
        let at = id.map(|i| (i, f.version));
        Some(resources::save_vehicle(&s.app, &viewer, at, &input, &cx.actor()).await)
    } else {
        None
    };
    let done = outcome(cx.tr(), typed, input.check().map(drop), saved)?;
    let (key, flash) = match id {
        Some(i) => (format!("vehicle-{i}"), "flash.vehicle_saved"),
        None => ("vehicle-new".to_owned(), "flash.vehicle_added"),
    };
    after(s, cx, done, |e| SentBack { vehicle: Some((key, f, e)), ..Default::default() }, flash).await
}

/// `POST /resources/rooms`: adds a room.
pub async fn add_room(State(s): State<AppState>, cx: Cx, CsrfForm(f): CsrfForm<RoomForm>) -> AppResult<Response> {
    room(&s, &cx, None, f).await
}

/// `POST /resources/rooms/{id}`: changes a room read at its version.
pub async fn save_room(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<RoomId>,
    CsrfForm(f): CsrfForm<RoomForm>,
) -> AppResult<Response> {
    resources::room(&s.app, id).await?;
    room(&s, &cx, Some(id), f).await
}

/// `POST /resources/vehicles`: adds a car.
pub async fn add_vehicle(State(s): State<AppState>, cx: Cx, CsrfForm(f): CsrfForm<VehicleForm>) -> AppResult<Response> {
    vehicle(&s, &cx, None, f).await
}

/// `POST /resources/vehicles/{id}`: changes a car read at its version.
pub async fn save_vehicle(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<VehicleId>,
    CsrfForm(f): CsrfForm<VehicleForm>,
) -> AppResult<Response> {
    resources::vehicle(&s.app, id).await?;
    vehicle(&s, &cx, Some(id), f).await
}
