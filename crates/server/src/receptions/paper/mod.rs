//! The application form as the paper has it (接待申请单, Attachment 1): its two parts in
//! the paper's order, every line labelled with the paper's words, yes/no questions and
//! choices marked (☑/☐), and values kept typed (counts, money, dates) so that the print view
//! shows them as text and the .xlsx writes them as typed cells.

use chrono::NaiveDateTime;
use jiedai_app::receptions::{Approval, ReceptionView};
use jiedai_domain::reception::{ArrivalMeans, Booking, Grade, Person};
use jiedai_domain::{Code, Fen, Language, Tier};

use crate::i18n::{Tr, keys};

mod model;

use model::rows;
pub use model::*;

/// Builds the lines in the reader's language.
struct Writer {
    tr: Tr,
    personal: bool,
}

impl Writer {
    fn t(&self, key: &str) -> String {
        self.tr.t(key).to_owned()
    }

    fn line(&self, key: &str, value: Value) -> Line {
        Line {
            label: self.t(key),
            text: value.show(self.tr),
            value,
            marks: Vec::new(),
            details: Vec::new(),
            wide: false,
        }
    }

    fn wide(&self, key: &str, value: Value) -> Line {
        Line { wide: true, ..self.line(key, value) }
    }

    /// Personal data, or what stands in its place for a reader who does not see it.
    fn private(&self, v: Value) -> Value {
        if self.personal || v == Value::Empty { v } else { Value::Text(self.t("reception.hidden")) }
    }

    fn detail(&self, key: &str, value: Value) -> Detail {
        Detail { label: self.t(key), marks: Vec::new(), text: value.show(self.tr), value }
    }

    fn choice(&self, key: &str, marks: Vec<Mark>) -> Detail {
        Detail { label: self.t(key), text: marks_text(&marks), marks, value: Value::Empty }
    }

    fn mark(&self, key: &str, on: bool) -> Mark {
        Mark { label: self.t(key), on }
    }

    fn yes_no(&self, yes: bool) -> Vec<Mark> {
        vec![self.mark("common.yes", yes), self.mark("common.no", !yes)]
    }

    /// A yes/no question; its details are left blank unless the answer is yes.
    fn question(&self, key: &str, yes: bool, details: Vec<Detail>) -> Line {
        let details =
            details
                .into_iter()
                .map(|d| {
                    if yes || !d.marks.is_empty() {
                        d
                    } else {
                        Detail { value: Value::Empty, text: String::new(), ..d }
                    }
                })
                .collect();
        let marks = self.yes_no(yes);
        Line { label: self.t(key), text: marks_text(&marks), marks, value: Value::Empty, details, wide: true }
    }

    fn grade(&self, g: Option<Grade>) -> Detail {
        self.choice("paper.grade", Grade::all().iter().map(|x| self.mark(keys::grade(*x), g == Some(*x))).collect())
    }

    /// A booking: its question, and the keys of its place and headcount (餐厅/地点, 人数).
    fn booking(&self, key: &str, (place, headcount): (&str, &str), b: &Booking) -> Line {
        self.question(
            key,
            b.wanted,
            vec![
                self.detail(place, Value::text(&b.place)),
                self.detail(headcount, b.headcount.map_or(Value::Empty, Value::Count)),
                self.detail("reception.f.budget", b.budget_fen.map_or(Value::Empty, Value::Money)),
                self.detail("reception.f.contact", Value::text(&b.contact)),
            ],
        )
    }

    fn person(&self, p: &Person) -> [String; 4] {
        let private = |s: &str| if self.personal { s.to_owned() } else { String::new() };
        [p.name.clone(), p.title.clone(), private(&p.phone), private(&p.needs)]
    }
}

/// The application form of a reception in the reader's language, with its approval (who
/// approved it and when, local time) if it was approved.
pub fn paper(tr: Tr, v: &ReceptionView, approval: Option<(&Approval, NaiveDateTime)>) -> Paper {
    let w = Writer { tr, personal: v.standing.sees_personal_data() };
    let f = &v.r.form;
    let opt_dt = |t: Option<NaiveDateTime>| t.map_or(Value::Empty, Value::DateTime);
    let money = |m: Option<Fen>| m.map_or(Value::Empty, Value::Money);
    let means = f.arrival_means.map_or(Value::Empty, |m| Value::Text(w.t(keys::means(m))));
    let by_car = f.arrival_means == Some(ArrivalMeans::Car);
    let head_one = vec![
        w.line("reception.f.applicant", Value::text(&v.requester)),
        w.line("reception.f.department", Value::text(&v.department)),
        w.line("reception.f.contact_person", Value::text(&f.contact_person)),
        w.line("reception.f.contact_phone", w.private(Value::text(&f.contact_phone))),
        w.line("reception.f.guest_organization", Value::text(&f.guest_organization)),
        w.line("reception.f.visit_dates", Value::Days(v.r.visit_start, v.r.visit_end)),
        w.wide("reception.f.purpose", Value::text(&f.purpose)),
        w.line("reception.f.budget", money(f.budget_fen)),
        w.line("reception.f.companion_count", Value::Count(f.companion_count)),
        w.line("reception.f.arrival_at", opt_dt(f.arrival_at)),
        w.line("reception.f.departure_at", opt_dt(f.departure_at)),
        w.line("reception.f.arrival_means", means),
        w.line(
            if by_car { "reception.f.licence_plate" } else { "reception.f.transport_number" },
            w.private(Value::text(if by_car { &f.licence_plate } else { &f.transport_number })),
        ),
        w.line("reception.f.guest_name", Value::text(&f.guest_name)),
        w.line("reception.f.guest_title", Value::text(&f.guest_title)),
        w.line("reception.f.guest_phone", w.private(Value::text(&f.guest_phone))),
        w.line("reception.f.guest_needs", w.private(Value::text(&f.guest_needs))),
    ];
    let people = vec![
        People { title: w.t("reception.f.companions"), rows: f.companions.iter().map(|p| w.person(p)).collect() },
        People { title: w.t("reception.f.support_staff"), rows: f.support_staff.iter().map(|p| w.person(p)).collect() },
    ];
    let (car, tickets, h) = (&f.pickup_car, &f.train_tickets, &f.hotel);
    let rest_one = vec![
        w.question(
            "reception.f.pickup_car",
            car.wanted,
            vec![
                w.detail("reception.f.pickup_car_vehicle", Value::text(&car.vehicle)),
                w.detail("reception.f.pickup_car_place", Value::text(&car.place)),
                w.detail("reception.f.pickup_car_at", opt_dt(car.at)),
            ],
        ),
        w.question(
            "reception.f.train_tickets",
            tickets.wanted,
            vec![
                w.detail("reception.f.train_tickets_train_number", Value::text(&tickets.train_number)),
                w.detail("reception.f.train_tickets_count", tickets.count.map_or(Value::Empty, Value::Count)),
            ],
        ),
        w.question(
            "reception.f.hotel",
            h.wanted,
            vec![
                w.detail("reception.f.hotel_hotel", Value::text(&h.hotel)),
                w.detail("reception.f.hotel_rooms", Value::text(&h.rooms)),
                w.detail("reception.f.hotel_nights", h.nights.map_or(Value::Empty, Value::Count)),
                w.detail("reception.f.budget", money(h.budget_fen)),
                w.detail("reception.f.contact", Value::text(&h.contact)),
            ],
        ),
        w.booking("reception.f.lunch", ("reception.f.lunch_place", "reception.f.lunch_headcount"), &f.lunch),
        w.booking("reception.f.dinner", ("reception.f.dinner_place", "reception.f.dinner_headcount"), &f.dinner),
        w.booking(
            "reception.f.entertainment",
            ("reception.f.entertainment_place", "reception.f.entertainment_headcount"),
            &f.entertainment,
        ),
    ];

    // Part two: the tiers with their standards on the visit's first day, the chosen one ticked.
    let zh = tr.lang == Language::ZhCn;
    let tiers: Vec<Mark> = Tier::all()
        .iter()
        .map(|t| {
            let standard = v.procedure.tier_on(*t, v.r.visit_start);
            let name = match standard {
                Some(s) if zh && !s.name_zh.is_empty() => s.name_zh.clone(),
                Some(s) if !zh && !s.name_en.is_empty() => s.name_en.clone(),
                _ => w.t(keys::tier(*t)),
            };
            let label = match standard {
                Some(s) => {
                    tr.t_with("paper.tier_standard", &[("tier", &name), ("amount", &tr.money(s.standard_per_person))])
                }
                None => name,
            };
            Mark { label, on: f.tier == Some(*t) }
        })
        .collect();
    let tier_line = Line {
        label: w.t("reception.f.tier"),
        text: marks_text(&tiers),
        marks: tiers,
        value: Value::Empty,
        details: v
            .recommended_budget
            .map(|b| vec![w.detail("reception.recommended", Value::Money(b))])
            .unwrap_or_default(),
        wide: true,
    };
    let tea = &f.tea;
    let m = &f.meeting_room;
    let approved = approval.is_some() || v.r.state.is_approved();
    let head_two = vec![w.line("reception.f.contact_person", Value::text(&f.gm_contact)), tier_line];
    let rest_two = vec![
        w.question("paper.parking", f.parking, vec![]),
        w.question("paper.red_carpet", f.red_carpet, vec![]),
        w.question(
            "paper.welcome_message",
            f.welcome_message,
            vec![w.detail("paper.content", Value::text(&f.welcome_text))],
        ),
        w.question("paper.fruit", f.fruit.is_some(), vec![w.grade(f.fruit)]),
        w.question(
            "paper.tea",
            tea.any(),
            vec![w.choice(
                "paper.kind",
                vec![
                    w.mark("reception.tea_black", tea.black),
                    w.mark("reception.tea_green", tea.green),
                    w.mark("reception.tea_coffee", tea.coffee),
                    w.mark("reception.tea_water", tea.water),
                ],
            )],
        ),
        w.question(
            "paper.meeting_room",
            m.wanted,
            vec![
                w.detail("reception.f.meeting_room_room", Value::text(&m.room)),
                w.choice(
                    "paper.equipment",
                    vec![
                        w.mark("arrangement.computer", m.wanted && m.computer),
                        w.mark("arrangement.paper", m.wanted && m.paper),
                        w.mark("arrangement.pencils", m.wanted && m.pencils),
                        w.mark("arrangement.pens", m.wanted && m.pens),
                        w.mark("arrangement.projector", m.wanted && m.projector),
                        w.mark("arrangement.clicker", m.wanted && m.clicker),
                    ],
                ),
            ],
        ),
        w.question("paper.meals", f.meals, vec![]),
        w.question("paper.gifts", f.gifts.is_some(), vec![w.grade(f.gifts)]),
        w.question(
            "reception.f.leader_appointment",
            f.leader_appointment,
            vec![w.detail("reception.f.name", Value::text(&f.leader_name))],
        ),
        w.question(
            "paper.head_approved",
            approved,
            vec![
                w.detail("paper.approved_by", approval.map_or(Value::Empty, |(a, _)| Value::text(&a.by))),
                w.detail("paper.approved_at", approval.map_or(Value::Empty, |(_, at)| Value::DateTime(at))),
            ],
        ),
        w.wide("reception.f.other_material", Value::text(&f.other_material)),
    ];
    Paper {
        one: Part { title: w.t("reception.part_one"), head: rows(head_one), people, rest: rows(rest_one) },
        two: Part { title: w.t("reception.part_two"), head: rows(head_two), people: Vec::new(), rest: rows(rest_two) },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_lines_pair_up_and_wide_lines_stand_alone() {
        let w = Writer { tr: Tr::new(Language::ZhCn), personal: true };
        let r = rows(vec![
            w.line("reception.f.applicant", Value::Empty),
            w.line("reception.f.department", Value::Empty),
            w.line("reception.f.budget", Value::Empty),
            w.wide("reception.f.purpose", Value::Empty),
            w.line("reception.f.guest_name", Value::Empty),
        ]);
        assert_eq!(r.iter().map(Vec::len).collect::<Vec<_>>(), vec![2, 1, 1, 1]);
    }

    #[test]
    fn the_boxes_are_printed_ticked_or_not() {
        let w = Writer { tr: Tr::new(Language::ZhCn), personal: true };
        assert_eq!(marks_text(&w.yes_no(true)), "☑ 是  ☐ 否");
        let q = w.question("reception.f.hotel", false, vec![w.detail("reception.f.hotel_hotel", Value::text("锦江"))]);
        assert_eq!(q.details[0].text, "", "an answer no leaves the details blank");
        assert_eq!(q.details[0].label, "酒店");
    }
}
