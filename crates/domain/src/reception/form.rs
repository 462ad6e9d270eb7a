//! The request (接待申请单, Attachment 1, both parts) as written: every field of the paper
//! form. A draft may leave anything empty. What follows from it (headcount, budget, the form
//! as stored) is in `derived.rs`.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::money::Fen;
use crate::tier::Tier;

/// How the guests arrive (到达方式).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr, strum::VariantArray)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr, strum::VariantArray)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
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
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = "^[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*(?:[^\\x00-\\x1f\\x7f-\\x9f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000](?:[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]{0,62}[^\\x00-\\x1f\\x7f-\\x9f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000])?)?[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*$"
        )
    )]
    pub name: String,
    /// 职务.
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = "^[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*(?:[^\\x00-\\x1f\\x7f-\\x9f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000](?:[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]{0,62}[^\\x00-\\x1f\\x7f-\\x9f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000])?)?[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*$"
        )
    )]
    pub title: String,
    /// Phone, optional.
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = "^[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*(?:\\+(?:[ -]*[0-9]){7,15}[ -]*|1 *[3-9](?: *[0-9]){9}|[ -]*0(?:[ -]*[0-9]){9,15}[ -]*)?[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*$"
        )
    )]
    pub phone: String,
    /// Special needs: diet, accessibility; at most 200 characters (not checked on a row
    /// whose name, title and phone are all blank: such a row is dropped).
    #[cfg_attr(feature = "openapi", schema(pattern = "^[^\\x00]*$"))]
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
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = "^[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*(?:[^\\x00-\\x1f\\x7f-\\x9f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000](?:[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]{0,62}[^\\x00-\\x1f\\x7f-\\x9f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000])?)?[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*$"
        )
    )]
    pub vehicle: String,
    /// Where to pick up.
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = "^[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*(?:[^\\x00-\\x1f\\x7f-\\x9f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000](?:[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]{0,98}[^\\x00-\\x1f\\x7f-\\x9f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000])?)?[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*$"
        )
    )]
    pub place: String,
    /// When: local time `YYYY-MM-DDTHH:MM:SS`, without an offset.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, pattern = "^(?:(?:20[0-9]{2}|2100)-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))|20(?:[02468][048]|[13579][26])-02-29)T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\\.[0-9]{1,9})?$"))]
    pub at: Option<NaiveDateTime>,
}

/// 是否预定车票.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrainTickets {
    /// Asked for.
    pub wanted: bool,
    /// 车次: at most 64 characters once upper-cased and without spaces.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*$"))]
    pub train_number: String,
    /// 张数.
    #[cfg_attr(feature = "openapi", schema(maximum = 1000))]
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
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = "^[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*(?:[^\\x00-\\x1f\\x7f-\\x9f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000](?:[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]{0,98}[^\\x00-\\x1f\\x7f-\\x9f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000])?)?[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*$"
        )
    )]
    pub hotel: String,
    /// 房间号.
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = "^[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*(?:[^\\x00-\\x1f\\x7f-\\x9f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000](?:[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]{0,98}[^\\x00-\\x1f\\x7f-\\x9f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000])?)?[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*$"
        )
    )]
    pub rooms: String,
    /// Nights.
    #[cfg_attr(feature = "openapi", schema(maximum = 1000))]
    pub nights: Option<u32>,
    /// 预算, in fen.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>, minimum = 0, maximum = 1_000_000_000))]
    pub budget_fen: Option<Fen>,
    /// 对接人.
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = "^[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*(?:[^\\x00-\\x1f\\x7f-\\x9f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000](?:[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]{0,62}[^\\x00-\\x1f\\x7f-\\x9f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000])?)?[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*$"
        )
    )]
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
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = "^[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*(?:[^\\x00-\\x1f\\x7f-\\x9f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000](?:[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]{0,98}[^\\x00-\\x1f\\x7f-\\x9f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000])?)?[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*$"
        )
    )]
    pub place: String,
    /// 人数.
    #[cfg_attr(feature = "openapi", schema(maximum = 1000))]
    pub headcount: Option<u32>,
    /// 预算, in fen.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>, minimum = 0, maximum = 1_000_000_000))]
    pub budget_fen: Option<Fen>,
    /// 对接人.
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = "^[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*(?:[^\\x00-\\x1f\\x7f-\\x9f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000](?:[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]{0,62}[^\\x00-\\x1f\\x7f-\\x9f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000])?)?[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*$"
        )
    )]
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
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = "^[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*(?:[^\\x00-\\x1f\\x7f-\\x9f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000](?:[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]{0,98}[^\\x00-\\x1f\\x7f-\\x9f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000])?)?[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*$"
        )
    )]
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
/// A draft may leave anything empty; [`ReceptionForm::check`] says what a submission needs,
/// and [`ReceptionForm::submitted`] gives the typed, complete request.
///
/// Texts are trimmed, then checked: at most so many characters, no control characters but
/// tabs and line breaks. Dates are within 2000–2100.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReceptionForm {
    // Part one.
    /// 对接人.
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = "^[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*(?:[^\\x00-\\x1f\\x7f-\\x9f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000](?:[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]{0,62}[^\\x00-\\x1f\\x7f-\\x9f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000])?)?[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*$"
        )
    )]
    pub contact_person: String,
    /// The contact person's phone.
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = "^[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*(?:\\+(?:[ -]*[0-9]){7,15}[ -]*|1 *[3-9](?: *[0-9]){9}|[ -]*0(?:[ -]*[0-9]){9,15}[ -]*)?[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*$"
        )
    )]
    pub contact_phone: String,
    /// 来宾单位.
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = "^[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*(?:[^\\x00-\\x1f\\x7f-\\x9f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000](?:[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]{0,98}[^\\x00-\\x1f\\x7f-\\x9f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000])?)?[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*$"
        )
    )]
    pub guest_organization: String,
    /// 来访目的.
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = "^[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*(?:[^\\x00-\\x1f\\x7f-\\x9f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000](?:[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]{0,498}[^\\x00-\\x1f\\x7f-\\x9f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000])?)?[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*$"
        )
    )]
    pub purpose: String,
    /// 来访日期, first day (T): required to save a request; null only on a copy whose new
    /// dates are still to be written.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<NaiveDate>, required = true))]
    pub visit_start: Option<NaiveDate>,
    /// 来访日期, last day.
    pub visit_end: Option<NaiveDate>,
    /// 到达时间: local time `YYYY-MM-DDTHH:MM:SS`, without an offset (company time zone).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, pattern = "^(?:(?:20[0-9]{2}|2100)-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))|20(?:[02468][048]|[13579][26])-02-29)T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\\.[0-9]{1,9})?$"))]
    pub arrival_at: Option<NaiveDateTime>,
    /// Departure: local time `YYYY-MM-DDTHH:MM:SS`, without an offset.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, pattern = "^(?:(?:20[0-9]{2}|2100)-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))|20(?:[02468][048]|[13579][26])-02-29)T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\\.[0-9]{1,9})?$"))]
    pub departure_at: Option<NaiveDateTime>,
    /// 到达方式.
    pub arrival_means: Option<ArrivalMeans>,
    /// 车牌号, when by car: spaces, dots and dashes are dropped, letters upper-cased; then a
    /// province character, a letter and 4–5 letters or digits (an unusual plate of 2–10 Han
    /// characters, letters or digits is a warning).
    #[cfg_attr(feature = "openapi", schema(pattern = "^[^\\x00]*$"))]
    pub licence_plate: String,
    /// Train or flight number: at most 16 characters once upper-cased and without spaces.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*$"))]
    pub transport_number: String,
    /// 来宾姓名.
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = "^[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*(?:[^\\x00-\\x1f\\x7f-\\x9f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000](?:[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]{0,62}[^\\x00-\\x1f\\x7f-\\x9f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000])?)?[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*$"
        )
    )]
    pub guest_name: String,
    /// 职务.
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = "^[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*(?:[^\\x00-\\x1f\\x7f-\\x9f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000](?:[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]{0,62}[^\\x00-\\x1f\\x7f-\\x9f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000])?)?[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*$"
        )
    )]
    pub guest_title: String,
    /// The principal guest's phone.
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = "^[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*(?:\\+(?:[ -]*[0-9]){7,15}[ -]*|1 *[3-9](?: *[0-9]){9}|[ -]*0(?:[ -]*[0-9]){9,15}[ -]*)?[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*$"
        )
    )]
    pub guest_phone: String,
    /// The principal guest's special needs.
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = "^[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*(?:[^\\x00-\\x1f\\x7f-\\x9f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000](?:[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]{0,198}[^\\x00-\\x1f\\x7f-\\x9f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000])?)?[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*$"
        )
    )]
    pub guest_needs: String,
    /// 随同几人.
    #[cfg_attr(feature = "openapi", schema(maximum = 1000))]
    pub companion_count: u32,
    /// 随同人员: at most 100 rows that are not blank (a row without name, title and phone is
    /// dropped).
    pub companions: Vec<Person>,
    /// 辅助人员: at most 100 rows that are not blank.
    pub support_staff: Vec<Person>,
    /// 预算, in fen.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>, minimum = 0, maximum = 1_000_000_000))]
    pub budget_fen: Option<Fen>,
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
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = "^[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*(?:[^\\x00-\\x1f\\x7f-\\x9f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000](?:[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]{0,62}[^\\x00-\\x1f\\x7f-\\x9f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000])?)?[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*$"
        )
    )]
    pub gm_contact: String,
    /// 接待类型.
    pub tier: Option<Tier>,
    /// 预留车位.
    pub parking: bool,
    /// 红毯、灯光.
    pub red_carpet: bool,
    /// 欢迎语 asked for.
    pub welcome_message: bool,
    /// 欢迎语 text.
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = "^[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*(?:[^\\x00-\\x1f\\x7f-\\x9f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000](?:[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]{0,498}[^\\x00-\\x1f\\x7f-\\x9f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000])?)?[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*$"
        )
    )]
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
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = "^[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*(?:[^\\x00-\\x1f\\x7f-\\x9f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000](?:[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]{0,62}[^\\x00-\\x1f\\x7f-\\x9f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000])?)?[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*$"
        )
    )]
    pub leader_name: String,
    /// Other material to prepare.
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = "^[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*(?:[^\\x00-\\x1f\\x7f-\\x9f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000](?:[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]{0,998}[^\\x00-\\x1f\\x7f-\\x9f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000])?)?[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*$"
        )
    )]
    pub other_material: String,
}
