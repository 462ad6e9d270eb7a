//! The reception request (接待申请单, Attachment 1, both parts) and its life: the states
//! and who may move it between them, the checks of a draft and of a submission, the
//! late flag against the proposal deadline, and the timeline of the procedure's stages
//! on the working-day calendar.

use std::sync::LazyLock;

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;
use crate::field::{FieldError, FieldErrors};
use crate::money::MAX_FEN;
use crate::procedure::{Procedure, TIER_KEYS};
use crate::{Phone, Role, RoleSet};

/// Where a reception stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum State {
    /// Being written by the host department.
    Draft,
    /// Waiting for the department head.
    Submitted,
    /// Sent back to the requester with a comment; editable again.
    Returned,
    /// Refused by the department head.
    Rejected,
    /// Approved; waiting for General Management to take it on.
    Approved,
    /// Taken on by a coordinator.
    Planning,
    /// Called off, with a reason.
    Cancelled,
}

impl State {
    /// Every state, in the order of the workflow.
    pub const ALL: [State; 7] = [
        State::Draft,
        State::Submitted,
        State::Returned,
        State::Approved,
        State::Planning,
        State::Rejected,
        State::Cancelled,
    ];

    /// The stable identifier.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Draft => "draft",
            State::Submitted => "submitted",
            State::Returned => "returned",
            State::Rejected => "rejected",
            State::Approved => "approved",
            State::Planning => "planning",
            State::Cancelled => "cancelled",
        }
    }

    /// Parses an identifier.
    pub fn parse(s: &str) -> Option<State> {
        State::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// The request's content can be changed (by its requester).
    pub fn is_editable(self) -> bool {
        matches!(self, State::Draft | State::Returned)
    }

    /// Nothing more happens.
    pub fn is_closed(self) -> bool {
        matches!(self, State::Rejected | State::Cancelled)
    }

    /// The host department's head has approved it.
    pub fn is_approved(self) -> bool {
        matches!(self, State::Approved | State::Planning)
    }
}

/// A move from one state to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Action {
    /// Draft or returned → submitted.
    Submit,
    /// Submitted → approved.
    Approve,
    /// Submitted → returned, with a comment.
    Return,
    /// Submitted → rejected, with a reason.
    Reject,
    /// Approved → planning.
    TakeOn,
    /// Any open state before the visit → cancelled, with a reason.
    Cancel,
}

impl Action {
    /// Every action.
    pub const ALL: [Action; 6] =
        [Action::Submit, Action::Approve, Action::Return, Action::Reject, Action::TakeOn, Action::Cancel];

    /// The identifier in URLs (`take-on`).
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Submit => "submit",
            Action::Approve => "approve",
            Action::Return => "return",
            Action::Reject => "reject",
            Action::TakeOn => "take-on",
            Action::Cancel => "cancel",
        }
    }

    /// Parses a URL identifier.
    pub fn parse(s: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// The state the action leads to from `from`, if it applies there.
    pub fn next(self, from: State) -> Option<State> {
        use State::*;
        match (self, from) {
            (Action::Submit, Draft | Returned) => Some(Submitted),
            (Action::Approve, Submitted) => Some(Approved),
            (Action::Return, Submitted) => Some(Returned),
            (Action::Reject, Submitted) => Some(Rejected),
            (Action::TakeOn, Approved) => Some(Planning),
            (Action::Cancel, Draft | Submitted | Returned | Approved | Planning) => Some(Cancelled),
            _ => None,
        }
    }

    /// A comment (return) or reason (reject, cancel) is required.
    pub fn needs_comment(self) -> bool {
        matches!(self, Action::Return | Action::Reject | Action::Cancel)
    }
}

/// How someone stands towards one reception, for deciding what they may do with it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Standing {
    /// Their roles.
    pub roles: RoleSet,
    /// They created the request.
    pub is_requester: bool,
    /// They belong to the requesting department.
    pub in_department: bool,
    /// They head the requesting department.
    pub heads_department: bool,
}

impl Standing {
    /// May see the reception at all: the requesting department's people, its head,
    /// coordinators, finance and administrators. (Staff see what they are assigned to,
    /// which later stages add.)
    pub fn may_view(&self) -> bool {
        self.is_requester
            || self.heads_department
            || (self.in_department && (self.roles.contains(Role::Requester) || self.roles.contains(Role::Approver)))
            || self.sees_all()
    }

    /// Coordinators, finance and administrators see every reception.
    pub fn sees_all(&self) -> bool {
        self.roles.contains(Role::Coordinator) || self.roles.contains(Role::Finance) || self.roles.contains(Role::Admin)
    }

    /// May approve for the requesting department: its head, or an approver in it.
    pub fn approves(&self) -> bool {
        self.heads_department || (self.in_department && self.roles.contains(Role::Approver))
    }

    /// May see guests' personal data (phones, plates, special needs): the host
    /// department's people and General Management.
    pub fn sees_personal_data(&self) -> bool {
        self.is_requester
            || self.in_department
            || self.heads_department
            || self.roles.contains(Role::Coordinator)
            || self.roles.contains(Role::Admin)
    }

    /// May change the content of a request in this state.
    pub fn may_edit(&self, state: State) -> bool {
        state.is_editable() && (self.is_requester || self.roles.contains(Role::Admin))
    }

    /// May take this action on a request in this state (before the visit's first day,
    /// for a cancellation: see [`may_cancel_on`]).
    pub fn may(&self, action: Action, state: State) -> bool {
        if action.next(state).is_none() {
            return false;
        }
        if self.roles.contains(Role::Admin) {
            return true;
        }
        match action {
            Action::Submit => self.is_requester,
            Action::Approve | Action::Return | Action::Reject => self.approves(),
            Action::TakeOn => self.roles.contains(Role::Coordinator),
            Action::Cancel => {
                self.is_requester || self.approves() || (self.roles.contains(Role::Coordinator) && state.is_approved())
            }
        }
    }
}

/// A cancellation is possible before the visit's first day.
pub fn may_cancel_on(visit_start: NaiveDate, today: NaiveDate) -> bool {
    today < visit_start
}

/// How the guests arrive (到达方式).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ArrivalMeans {
    /// By car (车牌号).
    Car,
    /// By train (车次).
    Train,
    /// By air (航班号).
    Flight,
    /// Other.
    Other,
}

/// Fine or simple (精致 / 简单).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Grade {
    /// 精致.
    Fine,
    /// 简单.
    Simple,
}

/// A guest in the rows of companions or support staff.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Person {
    /// 姓名.
    pub name: String,
    /// 职务.
    pub title: String,
    /// Phone, optional.
    pub phone: String,
    /// Special needs: diet, accessibility.
    pub needs: String,
}

/// 是否派车接送.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PickupCar {
    /// Asked for.
    pub wanted: bool,
    /// 需要车型.
    pub vehicle: String,
    /// Where to pick up.
    pub place: String,
    /// When.
    pub at: Option<NaiveDateTime>,
}

/// 是否预定车票.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrainTickets {
    /// Asked for.
    pub wanted: bool,
    /// 车次.
    pub train_number: String,
    /// 张数.
    pub count: Option<u32>,
}

/// 是否预定房间.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Hotel {
    /// Asked for.
    pub wanted: bool,
    /// 酒店.
    pub hotel: String,
    /// 房间号.
    pub rooms: String,
    /// Nights.
    pub nights: Option<u32>,
    /// 预算, in fen.
    pub budget_fen: Option<i64>,
    /// 对接人.
    pub contact: String,
}

/// A meal or entertainment booking (餐厅/地点, 人数, 预算, 对接人).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Booking {
    /// Asked for.
    pub wanted: bool,
    /// Restaurant or place.
    pub place: String,
    /// 人数.
    pub headcount: Option<u32>,
    /// 预算, in fen.
    pub budget_fen: Option<i64>,
    /// 对接人.
    pub contact: String,
}

/// 茶水: any of black tea, green tea, coffee, mineral water.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tea {
    /// 红茶.
    pub black: bool,
    /// 绿茶.
    pub green: bool,
    /// 咖啡.
    pub coffee: bool,
    /// 矿泉水.
    pub water: bool,
}

impl Tea {
    /// Any drink asked for.
    pub fn any(&self) -> bool {
        self.black || self.green || self.coffee || self.water
    }
}

/// 会议室 with its equipment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeetingRoom {
    /// Asked for.
    pub wanted: bool,
    /// Which room, if known.
    pub room: String,
    /// 电脑.
    pub computer: bool,
    /// 白纸.
    pub paper: bool,
    /// 铅笔.
    pub pencils: bool,
    /// 签字笔.
    pub pens: bool,
    /// 投影仪.
    pub projector: bool,
    /// 翻页笔.
    pub clicker: bool,
}

/// The content of a request: every field of the application form, parts one and two.
/// A draft may leave anything empty; [`ReceptionForm::check`] says what a submission needs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReceptionForm {
    // Part one.
    /// 对接人.
    pub contact_person: String,
    /// The contact person's phone.
    pub contact_phone: String,
    /// 来宾单位.
    pub guest_organization: String,
    /// 来访目的.
    pub purpose: String,
    /// 来访日期, first day (T).
    pub visit_start: Option<NaiveDate>,
    /// 来访日期, last day.
    pub visit_end: Option<NaiveDate>,
    /// 到达时间.
    pub arrival_at: Option<NaiveDateTime>,
    /// Departure.
    pub departure_at: Option<NaiveDateTime>,
    /// 到达方式.
    pub arrival_means: Option<ArrivalMeans>,
    /// 车牌号, when by car.
    pub licence_plate: String,
    /// Train or flight number.
    pub transport_number: String,
    /// 来宾姓名.
    pub guest_name: String,
    /// 职务.
    pub guest_title: String,
    /// The principal guest's phone.
    pub guest_phone: String,
    /// The principal guest's special needs.
    pub guest_needs: String,
    /// 随同几人.
    pub companion_count: u32,
    /// 随同人员.
    pub companions: Vec<Person>,
    /// 辅助人员.
    pub support_staff: Vec<Person>,
    /// 预算, in fen.
    pub budget_fen: Option<i64>,
    /// 是否派车接送.
    pub pickup_car: PickupCar,
    /// 是否预定车票.
    pub train_tickets: TrainTickets,
    /// 是否预定房间.
    pub hotel: Hotel,
    /// 是否预定午餐.
    pub lunch: Booking,
    /// 是否预定晚餐.
    pub dinner: Booking,
    /// 是否安排娱乐.
    pub entertainment: Booking,
    // Part two.
    /// 对接人 of part two (General Management's side), if named.
    pub gm_contact: String,
    /// 接待类型: `high_end`, `business` or `simple`.
    pub tier: Option<String>,
    /// 预留车位.
    pub parking: bool,
    /// 红毯、灯光.
    pub red_carpet: bool,
    /// 欢迎语 asked for.
    pub welcome_message: bool,
    /// 欢迎语 text.
    pub welcome_text: String,
    /// 水果、点心.
    pub fruit: Option<Grade>,
    /// 茶水.
    pub tea: Tea,
    /// 会议室.
    pub meeting_room: MeetingRoom,
    /// 订餐.
    pub meals: bool,
    /// 礼品.
    pub gifts: Option<Grade>,
    /// 是否与公司领导提前有约.
    pub leader_appointment: bool,
    /// With whom.
    pub leader_name: String,
    /// Other material to prepare.
    pub other_material: String,
}

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

fn amount(errs: &mut FieldErrors, field: &str, v: Option<i64>) {
    match v {
        Some(n) if n < 0 => errs.push(FieldError::new(field, "negative_amount")),
        Some(n) if n > MAX_FEN => errs.push(FieldError::new(field, "amount_too_large")),
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
    /// Number of guests: the principal guest, the companions and the support staff.
    pub fn headcount(&self) -> u32 {
        let companions = self.companion_count.max(self.companions.len() as u32);
        1 + companions + self.support_staff.len() as u32
    }

    /// The recommended budget: the tier's standard per person (in force on the visit's
    /// first day, under the given procedure) times the headcount.
    pub fn recommended_budget_fen(&self, procedure: &Procedure) -> Option<i64> {
        let tier = self.tier.as_deref()?;
        let day = self.visit_start?;
        let t = procedure.tier_on(tier, day)?;
        Some(t.standard_per_person_fen * i64::from(self.headcount()))
    }

    /// True when the request asks for the arrangement a task or item depends on (see
    /// [`crate::procedure::CONDITION_FIELDS`]).
    pub fn asks_for(&self, field: &str) -> bool {
        let m = &self.meeting_room;
        match field {
            "pickup_car" => self.pickup_car.wanted,
            "train_tickets" => self.train_tickets.wanted,
            "hotel" => self.hotel.wanted,
            "lunch" => self.lunch.wanted,
            "dinner" => self.dinner.wanted,
            "entertainment" => self.entertainment.wanted,
            "parking" => self.parking,
            "red_carpet" => self.red_carpet,
            "welcome_message" => self.welcome_message,
            "fruit" => self.fruit.is_some(),
            "tea" => self.tea.any(),
            "meeting_room" => m.wanted,
            "computer" => m.wanted && m.computer,
            "paper" => m.wanted && m.paper,
            "pencils" => m.wanted && m.pencils,
            "pens" => m.wanted && m.pens,
            "projector" => m.wanted && m.projector,
            "clicker" => m.wanted && m.clicker,
            "meals" => self.meals,
            "gifts" => self.gifts.is_some(),
            "leader_appointment" => self.leader_appointment,
            _ => false,
        }
    }

    /// The form without guests' personal data (phones, plate, transport number,
    /// special needs), for readers who do not need it.
    pub fn without_personal_data(&self) -> ReceptionForm {
        let mut f = self.clone();
        f.guest_phone.clear();
        f.guest_needs.clear();
        f.licence_plate.clear();
        f.transport_number.clear();
        for p in f.companions.iter_mut().chain(f.support_staff.iter_mut()) {
            p.phone.clear();
            p.needs.clear();
        }
        f
    }

    /// Trims texts and normalises the plate, as stored.
    pub fn normalize(&mut self) {
        for s in [
            &mut self.contact_person,
            &mut self.contact_phone,
            &mut self.guest_organization,
            &mut self.purpose,
            &mut self.transport_number,
            &mut self.guest_name,
            &mut self.guest_title,
            &mut self.guest_phone,
            &mut self.guest_needs,
            &mut self.gm_contact,
            &mut self.welcome_text,
            &mut self.leader_name,
            &mut self.other_material,
            &mut self.pickup_car.vehicle,
            &mut self.pickup_car.place,
            &mut self.train_tickets.train_number,
            &mut self.hotel.hotel,
            &mut self.hotel.rooms,
            &mut self.hotel.contact,
            &mut self.meeting_room.room,
        ] {
            *s = s.trim().to_owned();
        }
        for b in [&mut self.lunch, &mut self.dinner, &mut self.entertainment] {
            b.place = b.place.trim().to_owned();
            b.contact = b.contact.trim().to_owned();
        }
        self.licence_plate = normalize_plate(&self.licence_plate);
        self.transport_number = self.transport_number.to_uppercase().replace(' ', "");
        self.train_tickets.train_number = self.train_tickets.train_number.to_uppercase().replace(' ', "");
        if self.tier.as_deref().is_some_and(|t| t.trim().is_empty()) {
            self.tier = None;
        }
        let blank = |p: &Person| p.name.trim().is_empty() && p.title.trim().is_empty() && p.phone.trim().is_empty();
        self.companions.retain(|p| !blank(p));
        self.support_staff.retain(|p| !blank(p));
        for p in self.companions.iter_mut().chain(self.support_staff.iter_mut()) {
            for s in [&mut p.name, &mut p.title, &mut p.phone, &mut p.needs] {
                *s = s.trim().to_owned();
            }
        }
        if self.visit_end.is_none() {
            self.visit_end = self.visit_start;
        }
    }

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
        if !self.companions.is_empty() && self.companions.len() as u32 != self.companion_count {
            e.push(FieldError::on_line("companion_count", "count_disagrees", None, self.companions.len().to_string()));
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

        match (self.visit_start, self.visit_end) {
            (None, _) => e.push(FieldError::new("visit_start", "required")),
            (Some(s), Some(end)) if end < s => e.push(FieldError::new("visit_end", "end_before_start")),
            (Some(s), _) if submit && s < today => e.push(FieldError::new("visit_start", "in_the_past")),
            (Some(s), Some(end)) if (end - s).num_days() > 60 => {
                e.push(FieldError::with_limit("visit_end", "visit_too_long", 60))
            }
            _ => {}
        }
        if let (Some(a), Some(d)) = (self.arrival_at, self.departure_at)
            && d < a
        {
            e.push(FieldError::new("departure_at", "departure_before_arrival"));
        }
        if let (Some(a), Some(s), Some(end)) = (self.arrival_at, self.visit_start, self.visit_end)
            && (a.date() < s - chrono::Duration::days(1) || a.date() > end)
        {
            w.push(FieldError::new("arrival_at", "arrival_outside_visit"));
        }
        if let Some(t) = &self.tier
            && !TIER_KEYS.contains(&t.as_str())
        {
            e.push(FieldError::on_line("tier", "unknown_tier", None, t.clone()));
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
        if let (Some(budget), Some(rec)) = (self.budget_fen, self.recommended_budget_fen(procedure))
            && budget > rec
        {
            w.push(FieldError::on_line("budget_fen", "over_recommended_budget", None, crate::money::yuan_plain(rec)));
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
            match self.arrival_means {
                Some(ArrivalMeans::Car) => required(&mut e, "licence_plate", &self.licence_plate),
                Some(ArrivalMeans::Train | ArrivalMeans::Flight) => {
                    required(&mut e, "transport_number", &self.transport_number)
                }
                _ => {}
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
}

/// The day a stage is due: stages before the visit count back from its first day, the
/// others from its last day.
pub fn stage_due(cal: &Calendar, offset: i32, visit_start: NaiveDate, visit_end: NaiveDate) -> NaiveDate {
    if offset < 0 { cal.add_working_days(visit_start, offset) } else { cal.add_working_days(visit_end, offset) }
}

/// The proposal deadline (the first stage's, T-5 working days in the company's procedure).
pub fn proposal_deadline(cal: &Calendar, procedure: &Procedure, visit_start: NaiveDate) -> NaiveDate {
    let offset = procedure.stages.first().map(|s| s.offset_working_days).unwrap_or(-5);
    cal.add_working_days(visit_start, offset.min(0))
}

/// Working days a request submitted on `submitted` is late for a visit starting
/// `visit_start`: 0 when on time (on or before the proposal deadline).
pub fn late_working_days(cal: &Calendar, procedure: &Procedure, visit_start: NaiveDate, submitted: NaiveDate) -> u32 {
    let deadline = proposal_deadline(cal, procedure, visit_start);
    if submitted <= deadline {
        return 0;
    }
    // At least one: a request made on a day off after the deadline is still late.
    cal.working_days_between(deadline, submitted).max(1) as u32
}

/// Where a stage stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum StageStatus {
    /// Finished.
    Done,
    /// Past its day and not finished.
    Overdue,
    /// The first unfinished stage.
    Next,
    /// Later.
    Upcoming,
    /// The reception was cancelled or rejected.
    Stopped,
}

/// One stage on a reception's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimelineEntry {
    /// The stage key.
    pub stage: String,
    /// Its day.
    pub due: NaiveDate,
    /// Finished.
    pub done: bool,
    /// Where it stands today.
    pub status: StageStatus,
}

/// The stages a state has finished: approval finishes the proposal; later stages are
/// finished by the work of later issues (assignment, preparation…), none yet.
fn stages_done(state: State) -> usize {
    if state.is_approved() { 1 } else { 0 }
}

/// The timeline of a reception: every stage of its procedure version with its day on
/// the working-day calendar.
pub fn timeline(
    cal: &Calendar,
    procedure: &Procedure,
    visit_start: NaiveDate,
    visit_end: NaiveDate,
    state: State,
    today: NaiveDate,
) -> Vec<TimelineEntry> {
    let done = stages_done(state);
    let mut next_given = false;
    procedure
        .stages
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let due = stage_due(cal, s.offset_working_days, visit_start, visit_end);
            let is_done = i < done;
            let status = if is_done {
                StageStatus::Done
            } else if state.is_closed() {
                StageStatus::Stopped
            } else if due < today {
                StageStatus::Overdue
            } else if !next_given {
                next_given = true;
                StageStatus::Next
            } else {
                StageStatus::Upcoming
            };
            TimelineEntry { stage: s.key.clone(), due, done: is_done, status }
        })
        .collect()
}

#[cfg(test)]
mod tests;
