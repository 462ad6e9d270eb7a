//! The request form as stored: a record type of its own, separate from the API's schema
//! (the domain's `ReceptionForm`), and versioned. Renaming a field of the API changes
//! nothing here; changing what is stored means a new version beside this one, and rows of
//! every version stay readable.
//!
//! A stored form is a JSON object with `"v"`, its version. Rows written before versions
//! existed have no `"v"`; their layout is version 1's. Every field of a version must be
//! present and no other may be: a row that does not match is reported as unreadable,
//! never read back with defaults in place of what it held.

use chrono::{NaiveDate, NaiveDateTime};
use jiedai_domain::Code;
use jiedai_domain::reception::{
    ArrivalMeans, Booking, Grade, Hotel, MeetingRoom, Person, PickupCar, ReceptionForm, Tea, TrainTickets,
};
use jiedai_domain::{Fen, Tier};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The version written today.
pub const CURRENT_VERSION: u64 = 1;

/// Why a stored form could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// Not a JSON object, or a field missing, unknown or of the wrong type.
    #[error("unreadable form (version {version}): {detail}")]
    Malformed {
        /// The version the row claims.
        version: u64,
        /// What did not fit.
        detail: String,
    },
    /// A version this program does not know (written by a newer one).
    #[error("form version {0} is newer than this program knows")]
    UnknownVersion(u64),
}

/// Reads a stored form of any known version.
pub fn read(text: &str) -> Result<ReceptionForm, ReadError> {
    let malformed = |version, detail: String| ReadError::Malformed { version, detail };
    // Today's version in one pass (`v` is one of its fields); anything else is looked at
    // again to say which version it claims.
    match serde_json::from_str::<FormV1>(text) {
        Ok(v1) if v1.v.is_none_or(|v| v == 1) => v1.into_form().map_err(|detail| malformed(1, detail)),
        Ok(v1) => Err(ReadError::UnknownVersion(v1.v.unwrap_or_default())),
        Err(e) => {
            let claimed = serde_json::from_str::<Value>(text).ok().and_then(|v| v.get("v").and_then(Value::as_u64));
            match claimed {
                Some(v) if v != 1 => Err(ReadError::UnknownVersion(v)),
                _ => Err(malformed(1, e.to_string())),
            }
        }
    }
}

/// Writes a form in the current version.
pub fn write(form: &ReceptionForm) -> String {
    serde_json::to_string(&FormV1::from(form)).unwrap_or_default()
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PersonV1 {
    name: String,
    title: String,
    phone: String,
    needs: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PickupCarV1 {
    wanted: bool,
    vehicle: String,
    place: String,
    at: Option<NaiveDateTime>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TrainTicketsV1 {
    wanted: bool,
    train_number: String,
    count: Option<u32>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct HotelV1 {
    wanted: bool,
    hotel: String,
    rooms: String,
    nights: Option<u32>,
    budget_fen: Option<i64>,
    contact: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BookingV1 {
    wanted: bool,
    place: String,
    headcount: Option<u32>,
    budget_fen: Option<i64>,
    contact: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TeaV1 {
    black: bool,
    green: bool,
    coffee: bool,
    water: bool,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct MeetingRoomV1 {
    wanted: bool,
    room: String,
    computer: bool,
    paper: bool,
    pencils: bool,
    pens: bool,
    projector: bool,
    clicker: bool,
}

/// Version 1: the application form of [J3]. Enumerations are kept as their identifiers.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FormV1 {
    /// The version, written first; absent in rows written before versions existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    v: Option<u64>,
    contact_person: String,
    contact_phone: String,
    guest_organization: String,
    purpose: String,
    visit_start: Option<NaiveDate>,
    visit_end: Option<NaiveDate>,
    arrival_at: Option<NaiveDateTime>,
    departure_at: Option<NaiveDateTime>,
    arrival_means: Option<String>,
    licence_plate: String,
    transport_number: String,
    guest_name: String,
    guest_title: String,
    guest_phone: String,
    guest_needs: String,
    companion_count: u32,
    companions: Vec<PersonV1>,
    support_staff: Vec<PersonV1>,
    budget_fen: Option<i64>,
    pickup_car: PickupCarV1,
    train_tickets: TrainTicketsV1,
    hotel: HotelV1,
    lunch: BookingV1,
    dinner: BookingV1,
    entertainment: BookingV1,
    gm_contact: String,
    tier: Option<String>,
    parking: bool,
    red_carpet: bool,
    welcome_message: bool,
    welcome_text: String,
    fruit: Option<String>,
    tea: TeaV1,
    meeting_room: MeetingRoomV1,
    meals: bool,
    gifts: Option<String>,
    leader_appointment: bool,
    leader_name: String,
    other_material: String,
}

fn person_v1(p: &Person) -> PersonV1 {
    PersonV1 { name: p.name.clone(), title: p.title.clone(), phone: p.phone.clone(), needs: p.needs.clone() }
}

fn person(p: PersonV1) -> Person {
    Person { name: p.name, title: p.title, phone: p.phone, needs: p.needs }
}

fn booking_v1(b: &Booking) -> BookingV1 {
    BookingV1 {
        wanted: b.wanted,
        place: b.place.clone(),
        headcount: b.headcount,
        budget_fen: b.budget_fen.map(Fen::get),
        contact: b.contact.clone(),
    }
}

fn booking(b: BookingV1) -> Booking {
    Booking {
        wanted: b.wanted,
        place: b.place,
        headcount: b.headcount,
        budget_fen: b.budget_fen.map(Fen::new),
        contact: b.contact,
    }
}

/// An identifier read back into its enumeration.
fn code<T: Code>(field: &str, v: Option<String>) -> Result<Option<T>, String> {
    match v {
        None => Ok(None),
        Some(s) => T::parse(&s).map(Some).ok_or_else(|| format!("{field}: unknown value `{s}`")),
    }
}

impl From<&ReceptionForm> for FormV1 {
    fn from(f: &ReceptionForm) -> Self {
        let m = &f.meeting_room;
        FormV1 {
            v: Some(CURRENT_VERSION),
            contact_person: f.contact_person.clone(),
            contact_phone: f.contact_phone.clone(),
            guest_organization: f.guest_organization.clone(),
            purpose: f.purpose.clone(),
            visit_start: f.visit_start,
            visit_end: f.visit_end,
            arrival_at: f.arrival_at,
            departure_at: f.departure_at,
            arrival_means: f.arrival_means.map(|a| a.as_str().to_owned()),
            licence_plate: f.licence_plate.clone(),
            transport_number: f.transport_number.clone(),
            guest_name: f.guest_name.clone(),
            guest_title: f.guest_title.clone(),
            guest_phone: f.guest_phone.clone(),
            guest_needs: f.guest_needs.clone(),
            companion_count: f.companion_count,
            companions: f.companions.iter().map(person_v1).collect(),
            support_staff: f.support_staff.iter().map(person_v1).collect(),
            budget_fen: f.budget_fen.map(Fen::get),
            pickup_car: PickupCarV1 {
                wanted: f.pickup_car.wanted,
                vehicle: f.pickup_car.vehicle.clone(),
                place: f.pickup_car.place.clone(),
                at: f.pickup_car.at,
            },
            train_tickets: TrainTicketsV1 {
                wanted: f.train_tickets.wanted,
                train_number: f.train_tickets.train_number.clone(),
                count: f.train_tickets.count,
            },
            hotel: HotelV1 {
                wanted: f.hotel.wanted,
                hotel: f.hotel.hotel.clone(),
                rooms: f.hotel.rooms.clone(),
                nights: f.hotel.nights,
                budget_fen: f.hotel.budget_fen.map(Fen::get),
                contact: f.hotel.contact.clone(),
            },
            lunch: booking_v1(&f.lunch),
            dinner: booking_v1(&f.dinner),
            entertainment: booking_v1(&f.entertainment),
            gm_contact: f.gm_contact.clone(),
            tier: f.tier.map(|t| t.as_str().to_owned()),
            parking: f.parking,
            red_carpet: f.red_carpet,
            welcome_message: f.welcome_message,
            welcome_text: f.welcome_text.clone(),
            fruit: f.fruit.map(|g| g.as_str().to_owned()),
            tea: TeaV1 { black: f.tea.black, green: f.tea.green, coffee: f.tea.coffee, water: f.tea.water },
            meeting_room: MeetingRoomV1 {
                wanted: m.wanted,
                room: m.room.clone(),
                computer: m.computer,
                paper: m.paper,
                pencils: m.pencils,
                pens: m.pens,
                projector: m.projector,
                clicker: m.clicker,
            },
            meals: f.meals,
            gifts: f.gifts.map(|g| g.as_str().to_owned()),
            leader_appointment: f.leader_appointment,
            leader_name: f.leader_name.clone(),
            other_material: f.other_material.clone(),
        }
    }
}

impl FormV1 {
    fn into_form(self) -> Result<ReceptionForm, String> {
        let m = self.meeting_room;
        Ok(ReceptionForm {
            contact_person: self.contact_person,
            contact_phone: self.contact_phone,
            guest_organization: self.guest_organization,
            purpose: self.purpose,
            visit_start: self.visit_start,
            visit_end: self.visit_end,
            arrival_at: self.arrival_at,
            departure_at: self.departure_at,
            arrival_means: code::<ArrivalMeans>("arrival_means", self.arrival_means)?,
            licence_plate: self.licence_plate,
            transport_number: self.transport_number,
            guest_name: self.guest_name,
            guest_title: self.guest_title,
            guest_phone: self.guest_phone,
            guest_needs: self.guest_needs,
            companion_count: self.companion_count,
            companions: self.companions.into_iter().map(person).collect(),
            support_staff: self.support_staff.into_iter().map(person).collect(),
            budget_fen: self.budget_fen.map(Fen::new),
            pickup_car: PickupCar {
                wanted: self.pickup_car.wanted,
                vehicle: self.pickup_car.vehicle,
                place: self.pickup_car.place,
                at: self.pickup_car.at,
            },
            train_tickets: TrainTickets {
                wanted: self.train_tickets.wanted,
                train_number: self.train_tickets.train_number,
                count: self.train_tickets.count,
            },
            hotel: Hotel {
                wanted: self.hotel.wanted,
                hotel: self.hotel.hotel,
                rooms: self.hotel.rooms,
                nights: self.hotel.nights,
                budget_fen: self.hotel.budget_fen.map(Fen::new),
                contact: self.hotel.contact,
            },
            lunch: booking(self.lunch),
            dinner: booking(self.dinner),
            entertainment: booking(self.entertainment),
            gm_contact: self.gm_contact,
            tier: code::<Tier>("tier", self.tier)?,
            parking: self.parking,
            red_carpet: self.red_carpet,
            welcome_message: self.welcome_message,
            welcome_text: self.welcome_text,
            fruit: code::<Grade>("fruit", self.fruit)?,
            tea: Tea { black: self.tea.black, green: self.tea.green, coffee: self.tea.coffee, water: self.tea.water },
            meeting_room: MeetingRoom {
                wanted: m.wanted,
                room: m.room,
                computer: m.computer,
                paper: m.paper,
                pencils: m.pencils,
                pens: m.pens,
                projector: m.projector,
                clicker: m.clicker,
            },
            meals: self.meals,
            gifts: code::<Grade>("gifts", self.gifts)?,
            leader_appointment: self.leader_appointment,
            leader_name: self.leader_name,
            other_material: self.other_material,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A row as [J3] wrote it, before forms had a version: the serde JSON of its form.
    const WRITTEN_BEFORE_VERSIONS: &str = r#"{"contact_person":"王芳","contact_phone":"13800138000","guest_organization":"华东电力设计院","purpose":"技术交流","visit_start":"2026-10-09","visit_end":"2026-10-10","arrival_at":"2026-10-09T09:30:00","departure_at":null,"arrival_means":"car","licence_plate":"沪A12345","transport_number":"","guest_name":"李明","guest_title":"总工程师","guest_phone":"","guest_needs":"素食","companion_count":1,"companions":[{"name":"赵强","title":"工程师","phone":"","needs":""}],"support_staff":[],"budget_fen":160000,"pickup_car":{"wanted":true,"vehicle":"商务车","place":"虹桥站","at":"2026-10-09T08:30:00"},"train_tickets":{"wanted":false,"train_number":"","count":null},"hotel":{"wanted":true,"hotel":"锦江","rooms":"1208","nights":1,"budget_fen":60000,"contact":"前台"},"lunch":{"wanted":true,"place":"公司餐厅","headcount":4,"budget_fen":32000,"contact":"食堂"},"dinner":{"wanted":false,"place":"","headcount":null,"budget_fen":null,"contact":""},"entertainment":{"wanted":false,"place":"","headcount":null,"budget_fen":null,"contact":""},"gm_contact":"","tier":"business","parking":true,"red_carpet":false,"welcome_message":true,"welcome_text":"欢迎","fruit":"fine","tea":{"black":false,"green":true,"coffee":false,"water":true},"meeting_room":{"wanted":true,"room":"一号会议室","computer":true,"paper":false,"pencils":false,"pens":true,"projector":true,"clicker":true},"meals":false,"gifts":null,"leader_appointment":false,"leader_name":"","other_material":""}"#;

    #[test]
    fn a_row_written_before_versions_reads_back_whole() {
        let f = read(WRITTEN_BEFORE_VERSIONS).expect("readable");
        assert_eq!(f.guest_organization, "华东电力设计院");
        assert_eq!(f.visit_end, NaiveDate::from_ymd_opt(2026, 10, 10));
        assert_eq!(f.tier, Some(Tier::Business));
        assert_eq!(f.arrival_means, Some(ArrivalMeans::Car));
        assert_eq!(f.budget_fen, Some(Fen::new(160_000)));
        assert_eq!(f.hotel.budget_fen, Some(Fen::new(60_000)));
        assert_eq!(f.companions[0].name, "赵强");
        assert_eq!(f.fruit, Some(Grade::Fine));
        assert!(f.meeting_room.projector && f.tea.green && !f.tea.black);
        assert_eq!(f.guest_needs, "素食");
    }

    #[test]
    fn every_form_written_today_reads_back_equal() {
        let f = read(WRITTEN_BEFORE_VERSIONS).unwrap();
        let text = write(&f);
        assert!(text.starts_with("{\"v\":1,"), "{text}");
        assert_eq!(read(&text).unwrap(), f);
        assert_eq!(read(&write(&ReceptionForm::default())).unwrap(), ReceptionForm::default());
    }

    #[test]
    fn a_renamed_or_missing_field_is_an_error_never_a_default() {
        let renamed = WRITTEN_BEFORE_VERSIONS.replace("\"guest_organization\"", "\"guest_org\"");
        assert!(matches!(read(&renamed), Err(ReadError::Malformed { version: 1, .. })));
        let missing = WRITTEN_BEFORE_VERSIONS.replace("\"purpose\":\"技术交流\",", "");
        assert!(read(&missing).is_err());
        let odd_tier = WRITTEN_BEFORE_VERSIONS.replace("\"business\"", "\"luxury\"");
        assert!(read(&odd_tier).unwrap_err().to_string().contains("tier"));
        assert_eq!(read(r#"{"v":9}"#), Err(ReadError::UnknownVersion(9)));
    }
}
