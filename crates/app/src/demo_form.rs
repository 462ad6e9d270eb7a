//! The demo's generated requests: a small pseudo-random sequence (the same data on every
//! run) and a whole application form for a visit on a day.

use jiedai_domain::{Code, Fen, Tier};

/// A small pseudo-random sequence, so demo data is the same on every run.
pub(crate) struct Lcg(pub(crate) u64);

impl Lcg {
    pub(crate) fn next(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n.max(1)
    }
}

const ORGANIZATIONS: &[&str] = &[
    "华东电力设计院",
    "上海港务集团",
    "苏州工业园区管委会",
    "德国西门子中国",
    "杭州数智科技",
    "南京大学",
    "宁波银行",
    "中国建筑第八工程局",
    "无锡市人民医院",
    "安徽省能源集团",
];
const GUESTS: &[(&str, &str)] = &[
    ("李明", "总工程师"),
    ("陈静", "副总经理"),
    ("Thomas Müller", "Regional Director"),
    ("周洁", "处长"),
    ("王建国", "董事长"),
    ("赵敏", "采购经理"),
];
const PURPOSES: &[&str] = &["技术交流", "商务洽谈", "项目验收", "参观考察", "签约仪式", "年度回访"];

/// A demo request for a visit on `day`.
pub(crate) fn demo_form(rng: &mut Lcg, day: chrono::NaiveDate) -> jiedai_domain::reception::ReceptionForm {
    use jiedai_domain::reception::{ArrivalMeans, Booking, Grade, MeetingRoom, Person, PickupCar, ReceptionForm, Tea};
    let (guest, title) = GUESTS[rng.next(GUESTS.len() as u64) as usize];
    let companions = rng.next(4) as u32;
    let tier = Tier::all()[rng.next(3) as usize];
    let headcount = 1 + companions;
    let by_train = rng.next(2) == 1;
    let standard = match tier {
        Tier::HighEnd => 15_000,
        Tier::Business => 8_000,
        Tier::Simple => 5_000,
    };
    ReceptionForm {
        contact_person: "王芳".into(),
        contact_phone: "13800138000".into(),
        guest_organization: ORGANIZATIONS[rng.next(ORGANIZATIONS.len() as u64) as usize].into(),
        purpose: PURPOSES[rng.next(PURPOSES.len() as u64) as usize].into(),
        visit_start: Some(day),
        visit_end: Some(day + chrono::Duration::days(rng.next(3) as i64 / 2)),
        arrival_at: day.and_hms_opt(9, 30, 0),
        departure_at: day.and_hms_opt(16, 0, 0),
        arrival_means: Some(if by_train { ArrivalMeans::Train } else { ArrivalMeans::Car }),
        // Guests coming by train are picked up at the station.
        pickup_car: PickupCar {
            wanted: by_train,
            vehicle: if by_train { "商务车".into() } else { String::new() },
            place: if by_train { "虹桥站".into() } else { String::new() },
            at: if by_train { day.and_hms_opt(8, 30, 0) } else { None },
        },
        licence_plate: "沪A12345".into(),
        transport_number: "G7".into(),
        guest_name: guest.into(),
        guest_title: title.into(),
        companion_count: companions,
        companions: (0..companions)
            .map(|i| Person { name: format!("随员{}", i + 1), title: "工程师".into(), ..Default::default() })
            .collect(),
        // The reception service (the tier's standard, give or take a fifth) and the lunch:
        // the breakdown the page shows adds up.
        budget_fen: Some(Fen::new(
            i64::from(headcount) * standard * (8 + rng.next(5) as i64) / 10 + 8000 * i64::from(headcount),
        )),
        lunch: Booking {
            wanted: true,
            place: "公司餐厅".into(),
            headcount: Some(headcount + 2),
            budget_fen: Some(Fen::new(8000 * i64::from(headcount))),
            contact: "食堂".into(),
        },
        tier: Some(tier),
        fruit: Some(if tier == Tier::HighEnd { Grade::Fine } else { Grade::Simple }),
        tea: Tea { green: true, water: true, ..Default::default() },
        meeting_room: MeetingRoom {
            wanted: true,
            room: "一号会议室".into(),
            computer: true,
            projector: true,
            clicker: true,
            ..Default::default()
        },
        parking: true,
        welcome_message: tier == Tier::HighEnd,
        welcome_text: if tier == Tier::HighEnd { "热烈欢迎各位领导莅临指导".into() } else { String::new() },
        gifts: (tier == Tier::HighEnd).then_some(Grade::Fine),
        ..Default::default()
    }
}
