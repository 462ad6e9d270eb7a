//! The checks of a request: of a draft (what is written must be well-formed) and of a
//! submission (everything the procedure needs), with errors and warnings by field.

use std::sync::LazyLock;

/// The longest visit: its last day at most this many days after its first.
pub const MAX_VISIT_DAYS: i64 = 60;

use chrono::{NaiveDate, NaiveDateTime};

use super::{ArrivalMeans, ReceptionForm};
use crate::field::{FieldError, FieldErrors};
use crate::money::Fen;
use crate::procedure::Procedure;
use crate::tier::Tier;
use crate::{Phone, bounds};

/// How strictly to check a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// Saving a draft: only what is written must be well-formed; the visit's first day is
    /// needed (everything is planned from it).
    Draft,
    /// Submitting: everything the procedure needs, and the visit not in the past.
    Submit,
}

/// Limits of the form's texts (characters).
pub mod limits {
    /// Names, titles, contacts, vehicle types.
    pub const SHORT: usize = 64;
    /// Organisation, places, rooms.
    pub const MEDIUM: usize = 100;
    /// Special needs.
    pub const NEEDS: usize = 200;
    /// Purpose, welcome text.
    pub const LONG: usize = 500;
    /// Other material.
    pub const OTHER: usize = 1000;
    /// Rows of companions or support staff.
    pub const ROWS: usize = 100;
    /// Any headcount or count.
    pub const COUNT: u32 = 1000;
}

/// The outcome of a check: errors block, warnings are shown beside the field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Findings {
    /// What must be corrected.
    pub errors: FieldErrors,
    /// What looks unusual but is accepted.
    pub warnings: FieldErrors,
}

static PLATE_STRICT: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(
        r"^[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领][A-HJ-NP-Z][A-HJ-NP-Z0-9]{4,5}[A-HJ-NP-Z0-9挂学警港澳]$",
    )
    .expect("plate pattern")
});
static PLATE_LOOSE: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new(r"^[\p{Han}A-Z0-9]{2,10}$").expect("loose plate pattern"));
static TRAIN: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new(r"^[GDCZTKYLS]?[0-9]{1,4}$").expect("train pattern"));
static FLIGHT: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new(r"^[A-Z0-9]{2}[0-9]{1,4}[A-Z]?$").expect("flight pattern"));

/// A licence plate as written on the plate: spaces, dots and hyphens removed, letters upper-case.
pub fn normalize_plate(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '·' | '.' | '-' | '•'))
        .flat_map(char::to_uppercase)
        .collect()
}

fn text(errs: &mut FieldErrors, field: &str, v: &str, max: usize) {
    if v.chars().count() > max {
        errs.push(FieldError::with_limit(field, "too_long", max));
    } else if v.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        errs.push(FieldError::new(field, "control_chars"));
    }
}

fn required(errs: &mut FieldErrors, field: &str, v: &str) {
    if v.trim().is_empty() {
        errs.push(FieldError::new(field, "required"));
    }
}

fn amount(errs: &mut FieldErrors, field: &str, v: Option<Fen>) {
    match v {
        Some(n) if n.is_negative() => errs.push(FieldError::new(field, "negative_amount")),
        Some(n) if n > Fen::MAX => errs.push(FieldError::new(field, "amount_too_large")),
        _ => {}
    }
}

fn count(errs: &mut FieldErrors, field: &str, v: Option<u32>) {
    if let Some(n) = v
        && n > limits::COUNT
    {
        errs.push(FieldError::with_limit(field, "too_large", limits::COUNT as usize));
    }
}

fn phone(errs: &mut FieldErrors, field: &str, v: &str) {
    if let Err(e) = Phone::parse_optional(field, v) {
        errs.push(e);
    }
}
impl ReceptionForm {
    /// Checks the form; `today` is the company's date, `procedure` the version in force.
    /// Every problem names its field as in the JSON (`companions[2].phone`, `hotel.hotel`).
    pub fn check(&self, mode: Check, today: NaiveDate, procedure: &Procedure) -> Findings {
        let mut e = FieldErrors::new();
        let mut w = FieldErrors::new();
        let submit = mode == Check::Submit;
        use limits::*;
        for (f, v, max) in [
            ("contact_person", &self.contact_person, SHORT),
            ("guest_organization", &self.guest_organization, MEDIUM),
            ("purpose", &self.purpose, LONG),
            ("licence_plate", &self.licence_plate, 16),
            ("transport_number", &self.transport_number, 16),
            ("guest_name", &self.guest_name, SHORT),
            ("guest_title", &self.guest_title, SHORT),
            ("guest_needs", &self.guest_needs, NEEDS),
            ("gm_contact", &self.gm_contact, SHORT),
            ("welcome_text", &self.welcome_text, LONG),
            ("leader_name", &self.leader_name, SHORT),
            ("other_material", &self.other_material, OTHER),
            ("pickup_car.vehicle", &self.pickup_car.vehicle, SHORT),
            ("pickup_car.place", &self.pickup_car.place, MEDIUM),
            ("train_tickets.train_number", &self.train_tickets.train_number, SHORT),
            ("hotel.hotel", &self.hotel.hotel, MEDIUM),
            ("hotel.rooms", &self.hotel.rooms, MEDIUM),
            ("hotel.contact", &self.hotel.contact, SHORT),
            ("lunch.place", &self.lunch.place, MEDIUM),
            ("lunch.contact", &self.lunch.contact, SHORT),
            ("dinner.place", &self.dinner.place, MEDIUM),
            ("dinner.contact", &self.dinner.contact, SHORT),
            ("entertainment.place", &self.entertainment.place, MEDIUM),
            ("entertainment.contact", &self.entertainment.contact, SHORT),
            ("meeting_room.room", &self.meeting_room.room, MEDIUM),
        ] {
            text(&mut e, f, v, max);
        }
        phone(&mut e, "contact_phone", &self.contact_phone);
        phone(&mut e, "guest_phone", &self.guest_phone);
        for (list, rows) in [("companions", &self.companions), ("support_staff", &self.support_staff)] {
            if rows.len() > ROWS {
                e.push(FieldError::with_limit(list, "too_many_rows", ROWS));
            }
            for (i, p) in rows.iter().enumerate() {
                let f = |n: &str| format!("{list}[{i}].{n}");
                text(&mut e, &f("name"), &p.name, SHORT);
                text(&mut e, &f("title"), &p.title, SHORT);
                text(&mut e, &f("needs"), &p.needs, NEEDS);
                phone(&mut e, &f("phone"), &p.phone);
                if submit {
                    required(&mut e, &f("name"), &p.name);
                }
            }
        }
        // A count that disagrees with the named rows is for the requester to settle before
        // submitting; a draft keeps it with a warning.
        if !self.companions.is_empty() && self.companions.len() as u32 != self.companion_count {
            let found =
                FieldError::on_line("companion_count", "count_disagrees", None, self.companions.len().to_string());
            if submit { e.push(found) } else { w.push(found) }
        }
        count(&mut e, "companion_count", Some(self.companion_count));
        count(&mut e, "train_tickets.count", self.train_tickets.count);
        count(&mut e, "hotel.nights", self.hotel.nights);
        for (f, b) in [("lunch", &self.lunch), ("dinner", &self.dinner), ("entertainment", &self.entertainment)] {
            count(&mut e, &format!("{f}.headcount"), b.headcount);
            amount(&mut e, &format!("{f}.budget_fen"), b.budget_fen);
        }
        amount(&mut e, "budget_fen", self.budget_fen);
        amount(&mut e, "hotel.budget_fen", self.hotel.budget_fen);

        // Every date within the accepted years first: what is stored must be readable and
        // every later computation (working days, deadlines) stays in range.
        let mut dates_ok = true;
        for (f, d) in [("visit_start", self.visit_start), ("visit_end", self.visit_end)] {
            if let Some(d) = d {
                dates_ok &= e.check(bounds::date(f, d)).is_some();
            }
        }
        for (f, t) in [
            ("arrival_at", self.arrival_at),
            ("departure_at", self.departure_at),
            ("pickup_car.at", self.pickup_car.at),
        ] {
            if let Some(t) = t {
                dates_ok &= e.check(bounds::date_time(f, t)).is_some();
            }
        }
        match (self.visit_start, self.visit_end) {
            _ if !dates_ok => {}
            (None, _) => e.push(FieldError::new("visit_start", "required")),
            (Some(s), Some(end)) if end < s => e.push(FieldError::new("visit_end", "end_before_start")),
            (Some(s), _) if submit && s < today => e.push(FieldError::new("visit_start", "in_the_past")),
            (Some(s), Some(end)) if (end - s).num_days() > MAX_VISIT_DAYS => {
                e.push(FieldError::with_limit("visit_end", "visit_too_long", MAX_VISIT_DAYS as usize))
            }
            _ => {}
        }
        if let (Some(a), Some(d)) = (self.arrival_at, self.departure_at)
            && d < a
        {
            e.push(FieldError::new("departure_at", "departure_before_arrival"));
        }
        if let (Some(a), Some(s), Some(end)) = (self.arrival_at, self.visit_start, self.visit_end)
            && (s.pred_opt().is_some_and(|before| a.date() < before) || a.date() > end)
        {
            w.push(FieldError::new("arrival_at", "arrival_outside_visit"));
        }
        if !self.licence_plate.is_empty() {
            let p = normalize_plate(&self.licence_plate);
            if !PLATE_STRICT.is_match(&p) {
                if PLATE_LOOSE.is_match(&p) {
                    w.push(FieldError::new("licence_plate", "unusual_plate"));
                } else {
                    e.push(FieldError::new("licence_plate", "invalid_plate"));
                }
            }
        }
        let number = self.transport_number.to_uppercase().replace(' ', "");
        match self.arrival_means {
            Some(ArrivalMeans::Train) if !number.is_empty() && !TRAIN.is_match(&number) => {
                w.push(FieldError::new("transport_number", "unusual_train_number"))
            }
            Some(ArrivalMeans::Flight) if !number.is_empty() && !FLIGHT.is_match(&number) => {
                w.push(FieldError::new("transport_number", "unusual_flight_number"))
            }
            _ => {}
        }
        let tn = self.train_tickets.train_number.to_uppercase().replace(' ', "");
        if !tn.is_empty() && !TRAIN.is_match(&tn) {
            w.push(FieldError::new("train_tickets.train_number", "unusual_train_number"));
        }
        // The tier's standard covers the reception service: only that part is compared with
        // it (the hotel and meals have budgets of their own).
        if let Some(b) = self.budget_breakdown(procedure) {
            if b.parts_exceed_total() {
                w.push(FieldError::new("budget_fen", "budget_parts_exceed_total"));
            } else if let (true, Some(rec)) = (b.over_standard(), b.standard) {
                w.push(FieldError::on_line("budget_fen", "over_recommended_budget", None, rec.yuan_plain()));
            }
        }

        if submit {
            for (f, v) in [
                ("contact_person", &self.contact_person),
                ("guest_organization", &self.guest_organization),
                ("purpose", &self.purpose),
                ("guest_name", &self.guest_name),
            ] {
                required(&mut e, f, v);
            }
            if self.tier.is_none() {
                e.push(FieldError::new("tier", "required"));
            }
            if self.budget_fen.is_none() {
                e.push(FieldError::new("budget_fen", "required"));
            }
            if self.arrival_means.is_none() {
                e.push(FieldError::new("arrival_means", "required"));
            }
            if self.arrival_at.is_none() {
                e.push(FieldError::new("arrival_at", "required"));
            }
            // The plate is often unknown five working days ahead: not required.
            if let Some(ArrivalMeans::Train | ArrivalMeans::Flight) = self.arrival_means {
                required(&mut e, "transport_number", &self.transport_number);
            }
            if self.pickup_car.wanted {
                required(&mut e, "pickup_car.vehicle", &self.pickup_car.vehicle);
            }
            if self.train_tickets.wanted {
                required(&mut e, "train_tickets.train_number", &self.train_tickets.train_number);
                if self.train_tickets.count.unwrap_or(0) == 0 {
                    e.push(FieldError::new("train_tickets.count", "required"));
                }
            }
            if self.hotel.wanted {
                required(&mut e, "hotel.hotel", &self.hotel.hotel);
            }
            for (f, b) in [("lunch", &self.lunch), ("dinner", &self.dinner), ("entertainment", &self.entertainment)] {
                if b.wanted {
                    required(&mut e, &format!("{f}.place"), &b.place);
                    if b.headcount.unwrap_or(0) == 0 {
                        e.push(FieldError::new(&format!("{f}.headcount"), "required"));
                    }
                }
            }
            if self.welcome_message {
                required(&mut e, "welcome_text", &self.welcome_text);
            }
            if self.leader_appointment {
                required(&mut e, "leader_name", &self.leader_name);
            }
        }
        Findings { errors: e, warnings: w }
    }

    /// Checks the form for submission and gives the typed, complete request that later
    /// stages build on; the findings when something is missing or wrong.
    pub fn submitted(&self, today: NaiveDate, procedure: &Procedure) -> Result<SubmittedReception, Findings> {
        let mut form = self.clone();
        form.normalize();
        let findings = form.check(Check::Submit, today, procedure);
        let complete = (|| {
            let visit_start = form.visit_start?;
            let arrival = match form.arrival_means? {
                ArrivalMeans::Car => Arrival::Car { plate: form.licence_plate.clone() },
                ArrivalMeans::Train => Arrival::Train { number: form.transport_number.clone() },
                ArrivalMeans::Flight => Arrival::Flight { number: form.transport_number.clone() },
                ArrivalMeans::Other => Arrival::Other,
            };
            Some(SubmittedReception {
                visit_start,
                visit_end: form.visit_end.unwrap_or(visit_start),
                arrival_at: form.arrival_at?,
                arrival,
                tier: form.tier?,
                budget: form.budget_fen?,
                headcount: form.headcount(),
                form: form.clone(),
            })
        })();
        match complete {
            Some(s) if findings.errors.is_empty() => Ok(s),
            _ => Err(findings),
        }
    }
}

/// How the guests arrive, with what identifies their transport.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arrival {
    /// By car, with its plate (车牌号).
    Car {
        /// The licence plate as written on the plate.
        plate: String,
    },
    /// By train (车次).
    Train {
        /// The train number.
        number: String,
    },
    /// By air (航班号).
    Flight {
        /// The flight number.
        number: String,
    },
    /// Otherwise.
    Other,
}

/// A request that passed the submission check: every field the procedure needs is there,
/// typed. Only [`ReceptionForm::submitted`] makes one.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SubmittedReception {
    /// 来访日期, first day (T).
    pub visit_start: NaiveDate,
    /// 来访日期, last day.
    pub visit_end: NaiveDate,
    /// 到达时间.
    pub arrival_at: NaiveDateTime,
    /// 到达方式 with its plate or number.
    pub arrival: Arrival,
    /// 接待类型.
    pub tier: Tier,
    /// 预算.
    pub budget: Fen,
    /// Guests: the principal guest, companions and support staff.
    pub headcount: u32,
    /// The whole request, normalised, for every arrangement it asks for.
    pub form: ReceptionForm,
}

/// Inputs the submission check requires (always, or once the arrangement they belong to is
/// asked for), so that pages can mark them before the first submit. A test holds the list to
/// the check itself.
pub fn required_on_submit(input: &str) -> bool {
    const ALWAYS: &[&str] = &[
        "contact_person",
        "guest_organization",
        "purpose",
        "guest_name",
        "visit_start",
        "tier",
        "budget_fen",
        "arrival_means",
        "arrival_at",
        "transport_number",
        "pickup_car.vehicle",
        "train_tickets.train_number",
        "train_tickets.count",
        "hotel.hotel",
        "lunch.place",
        "lunch.headcount",
        "dinner.place",
        "dinner.headcount",
        "entertainment.place",
        "entertainment.headcount",
        "welcome_text",
        "leader_name",
    ];
    ALWAYS.contains(&input) || (input.starts_with("companions[") && input.ends_with("].name"))
}
