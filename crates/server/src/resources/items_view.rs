//! What the items pages share: the forms they send (kept as typed when they come back with
//! a problem), the labels of purposes, sources, states and return means, times read and
//! written in the company's time zone, and the rows of lost property.

use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use jiedai_app::accounts;
use jiedai_app::resources::{StoredLine, StoredLostFound};
use jiedai_domain::resources::{BookingWarning, Clash, ClashOn, CountBack, ItemSource, Purpose, ReturnMeans};
use jiedai_domain::{Code, FieldError, FieldErrors, LostFoundId, ReceptionId};
use serde::Deserialize;

use crate::error::{AppError, AppResult};
use crate::forms::FormErrors;
use crate::i18n::Tr;
use crate::state::AppState;

/// A line of the item list as its form sends it.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct LineForm {
    pub(super) version: i32,
    /// `check`: only the tick (检查) changes; the rest of the line stays as stored.
    pub(super) only: String,
    pub(super) category: String,
    pub(super) name: String,
    pub(super) unit: String,
    pub(super) quantity: String,
    pub(super) responsible_id: String,
    pub(super) source: String,
    pub(super) stock_item_id: String,
    pub(super) vendor: String,
    pub(super) return_due: String,
    pub(super) checked: Option<String>,
    pub(super) notes: String,
}

impl LineForm {
    /// The form of a stored line.
    pub(super) fn of(l: &StoredLine) -> LineForm {
        let i = &l.line;
        LineForm {
            version: l.version,
            only: String::new(),
            category: i.category.clone(),
            name: i.name.clone(),
            unit: i.unit.clone(),
            quantity: i.quantity.to_string(),
            responsible_id: i.responsible_id.map(|u| u.to_string()).unwrap_or_default(),
            source: i.source.as_str().to_owned(),
            stock_item_id: i.stock_item_id.map(|s| s.to_string()).unwrap_or_default(),
            vendor: i.vendor.clone(),
            return_due: i.return_due.map(|d| d.to_string()).unwrap_or_default(),
            checked: i.checked.then(|| "1".to_owned()),
            notes: i.notes.clone(),
        }
    }

    /// Ticked (检查).
    pub(super) fn is_checked(&self) -> bool {
        ticked(self.checked.as_deref())
    }
}

/// A count back as its form sends it.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct CountForm {
    pub(super) returned: String,
    pub(super) consumed: String,
    pub(super) lost: String,
    pub(super) damaged: String,
    pub(super) note: String,
    pub(super) write_off: Option<String>,
}

impl CountForm {
    /// The count read; numbers that are not whole are problems on their fields. A line
    /// written off counts nothing back.
    pub(super) fn read(&self, errs: &mut FieldErrors) -> CountBack {
        if ticked(self.write_off.as_deref()) {
            return CountBack { note: self.note.clone(), write_off: true, ..Default::default() };
        }
        CountBack {
            returned: number(errs, "returned", &self.returned),
            consumed: number(errs, "consumed", &self.consumed),
            lost: number(errs, "lost", &self.lost),
            damaged: number(errs, "damaged", &self.damaged),
            note: self.note.clone(),
            write_off: false,
        }
    }
}

/// A booking as its form sends it.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct BookingForm {
    /// `room:3` or `vehicle:2`.
    pub(super) resource: String,
    pub(super) starts_at: String,
    pub(super) ends_at: String,
    pub(super) driver_id: String,
    pub(super) purpose: String,
    pub(super) note: String,
    pub(super) override_reason: String,
}

/// Something left behind as its form sends it.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct FoundForm {
    pub(super) what: String,
    pub(super) found_where: String,
    pub(super) found_at: String,
    pub(super) kept_at: String,
    pub(super) notes: String,
}

/// A return of lost property as its form sends it.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ReturnForm {
    pub(super) returned_to: String,
    pub(super) returned_at: String,
    pub(super) means: String,
    pub(super) tracking: String,
    pub(super) note: String,
    /// `list` when sent from `/lost-found`, else from the reception's items page.
    pub(super) from: String,
}

/// A checkbox's value: ticked when sent with anything.
pub(super) fn ticked(v: Option<&str>) -> bool {
    v.is_some_and(|v| !v.trim().is_empty())
}

/// A whole number of a form (empty is 0).
pub(super) fn number(errs: &mut FieldErrors, field: &str, raw: &str) -> u32 {
    match raw.trim() {
        "" => 0,
        v => v.parse().unwrap_or_else(|_| {
            errs.push(FieldError::new(field, "invalid_number"));
            0
        }),
    }
}

/// A `datetime-local` value read in the company's time zone; empty is `None` (a problem when
/// `required`).
pub(crate) fn parse_local(
    tz: Tz,
    errs: &mut FieldErrors,
    field: &str,
    raw: &str,
    required: bool,
) -> Option<DateTime<Utc>> {
    let raw = raw.trim();
    if raw.is_empty() {
        if required {
            errs.push(FieldError::new(field, "required"));
        }
        return None;
    }
    let naive = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(raw, f).ok());
    match naive.and_then(|n| tz.from_local_datetime(&n).earliest()) {
        Some(t) => Some(t.with_timezone(&Utc)),
        None => {
            errs.push(FieldError::new(field, "invalid_datetime"));
            None
        }
    }
}

/// A time as a `datetime-local` input holds it, in the company's time zone.
pub(crate) fn local_input(tz: Tz, at: DateTime<Utc>) -> String {
    at.with_timezone(&tz).format("%Y-%m-%dT%H:%M").to_string()
}

/// A time range as people read it: `12月9日 周三 09:00–18:00` within a day, both ends in
/// full otherwise.
pub(super) fn span_text(tr: Tr, tz: Tz, start: DateTime<Utc>, end: DateTime<Utc>) -> String {
    let (a, b) = (start.with_timezone(&tz), end.with_timezone(&tz));
    if a.date_naive() == b.date_naive() {
        format!("{}–{}", tr.datetime(start, tz), b.format("%H:%M"))
    } else {
        format!("{} – {}", tr.datetime(start, tz), tr.datetime(end, tz))
    }
}

/// The label of a booking's purpose.
pub(super) fn purpose_key(p: Purpose) -> &'static str {
    match p {
        Purpose::Meeting => "items.purpose_meeting",
        Purpose::Pickup => "items.purpose_pickup",
        Purpose::Standby => "items.purpose_standby",
        Purpose::Other => "items.purpose_other",
    }
}

/// The label of a booking's warning.
pub(super) fn warning_key(w: BookingWarning) -> &'static str {
    match w {
        BookingWarning::OutsideVisit => "items.warning_outside_visit",
        BookingWarning::RoomTooSmall => "items.warning_room_too_small",
        BookingWarning::TooFewSeats => "items.warning_too_few_seats",
    }
}

/// The label of a line's source.
pub(super) fn source_key(s: ItemSource) -> &'static str {
    match s {
        ItemSource::Stock => "items.source_stock",
        ItemSource::Rental => "items.source_rental",
        ItemSource::Purchase => "items.source_purchase",
    }
}

/// The label of how lost property went back.
pub(super) fn means_key(m: ReturnMeans) -> &'static str {
    match m {
        ReturnMeans::HandedOver => "items.means_handed_over",
        ReturnMeans::Courier => "items.means_courier",
        ReturnMeans::PassedOn => "items.means_passed_on",
    }
}

/// How a line came back, in words (`归还 3、损坏 1`), or written off.
pub(super) fn count_text(tr: Tr, c: &CountBack) -> String {
    if c.write_off {
        return tr.t("items.status_written_off").to_owned();
    }
    let parts: Vec<String> = [
        ("items.returned_n", c.returned),
        ("items.consumed_n", c.consumed),
        ("items.lost_n", c.lost),
        ("items.damaged_n", c.damaged),
    ]
    .into_iter()
    .filter(|(_, n)| *n > 0)
    .map(|(k, n)| tr.t_with(k, &[("value", &n.to_string())]))
    .collect();
    tr.list(&parts)
}

/// Another reception holding what was asked for, as a page lists it.
pub struct ClashRow {
    pub(super) reception_id: ReceptionId,
    pub(super) code: String,
    pub(super) on: &'static str,
    pub(super) when: String,
    pub(super) quantity: Option<String>,
}

/// The clashes as a page lists them: stock by the other visit's days, bookings by their times.
pub(super) fn clash_rows(tr: Tr, tz: Tz, today: NaiveDate, clashes: &[Clash]) -> Vec<ClashRow> {
    clashes
        .iter()
        .map(|c| ClashRow {
            reception_id: c.reception_id,
            code: c.reception_code.clone(),
            on: match c.on {
                ClashOn::Room => "items.clash_on_room",
                ClashOn::Vehicle => "items.clash_on_vehicle",
                ClashOn::Driver => "items.clash_on_driver",
                ClashOn::Stock => "items.clash_on_stock",
            },
            when: if c.on == ClashOn::Stock {
                let last = (c.ends_at - chrono::Duration::seconds(1)).with_timezone(&tz).date_naive();
                tr.date_range(c.starts_at.with_timezone(&tz).date_naive(), last, today)
            } else {
                span_text(tr, tz, c.starts_at, c.ends_at)
            },
            quantity: c.quantity.map(|q| tr.t_with("items.clash_quantity", &[("value", &q.to_string())])),
        })
        .collect()
}

/// Why a form was not kept: its messages by field, what clashed, and the status to answer
/// with; or the thing changed since it was read.
pub(super) enum Failure {
    /// Problems to show on the form.
    Form(FormErrors, Vec<Clash>, StatusCode),
    /// Changed meanwhile.
    Stale,
}

/// Sorts a failed use case into what a form shows; anything else is passed on.
pub(super) fn failure(tr: Tr, e: jiedai_app::Error) -> AppResult<Failure> {
    let e: AppError = e.into();
    let status = match &e {
        AppError::StaleVersion => return Ok(Failure::Stale),
        AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::CONFLICT,
    };
    let clashes = if let AppError::Clash { clashes, .. } = &e { clashes.clone() } else { Vec::new() };
    Ok(Failure::Form(FormErrors::from_failure(tr, e)?, clashes, status))
}

/// Lost property as the pages list it, with its return form.
pub struct LostRow {
    pub(super) id: LostFoundId,
    /// The ids of its return form's inputs begin with this.
    pub(super) pre: String,
    pub(super) reception_id: ReceptionId,
    pub(super) code: String,
    pub(super) organization: String,
    pub(super) what: String,
    pub(super) found_where: String,
    pub(super) found_at: String,
    pub(super) found_by: String,
    pub(super) kept_at: String,
    pub(super) notes: String,
    /// How it went back, once it did: (means, to whom, when, tracking or note).
    pub(super) went_back: Option<(&'static str, String, String, String)>,
    pub(super) days_open: String,
    pub(super) form: ReturnForm,
    pub(super) errs: FormErrors,
}

impl LostRow {
    /// The problems of its return form that no input shows.
    pub(super) fn others(&self) -> Vec<String> {
        self.errs.messages_outside(&["returned_to", "returned_at", "tracking", "note"])
    }
}

/// The rows of lost property; the one just sent with problems keeps what was typed.
pub(super) async fn lost_rows(
    s: &AppState,
    tr: Tr,
    today: NaiveDate,
    items: Vec<StoredLostFound>,
    from: &str,
    mut sent: Option<(LostFoundId, ReturnForm, FormErrors)>,
) -> AppResult<Vec<LostRow>> {
    let tz = s.tz();
    let now = local_input(tz, Utc::now());
    let mut rows = Vec::new();
    for l in items {
        let found_at = l.found.found_at.unwrap_or(l.created_at);
        let found_by = match l.found.found_by {
            Some(u) => accounts::display_name(&s.app, u).await?,
            None => String::new(),
        };
        let days = (today - found_at.with_timezone(&tz).date_naive()).num_days().max(0);
        let went_back = l.returned.as_ref().map(|r| {
            let extra = if r.tracking.is_empty() { r.note.clone() } else { r.tracking.clone() };
            let when = r.returned_at.map(|t| tr.datetime(t, tz)).unwrap_or_default();
            (means_key(r.means), r.returned_to.clone(), when, extra)
        });
        let mut form = ReturnForm { returned_at: now.clone(), from: from.to_owned(), ..Default::default() };
        let mut errs = FormErrors::none();
        if sent.as_ref().is_some_and(|(i, _, _)| *i == l.id)
            && let Some((_, f, e)) = sent.take()
        {
            form = ReturnForm { from: from.to_owned(), ..f };
            errs = e;
        }
        rows.push(LostRow {
            id: l.id,
            pre: format!("ret{}", l.id),
            reception_id: l.reception_id,
            code: l.reception_code,
            organization: l.organization,
            what: l.found.what,
            found_where: l.found.found_where,
            found_at: tr.datetime(found_at, tz),
            found_by,
            kept_at: l.found.kept_at,
            notes: l.found.notes,
            went_back,
            days_open: tr.plural("items.days_open", days),
            form,
            errs,
        });
    }
    Ok(rows)
}

/// The return means a form may choose: `(value, label key)`.
pub(super) fn means_options() -> Vec<(&'static str, &'static str)> {
    ReturnMeans::all().iter().map(|m| (m.as_str(), means_key(*m))).collect()
}
