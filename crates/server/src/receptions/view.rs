//! How receptions read on every page: states and tiers by name, badges, dates, the late
//! flag, and the form's content in the sections of the paper form.

use chrono::NaiveDate;
use jiedai_app::receptions::ReceptionView;
use jiedai_domain::reception::State as RState;
use jiedai_domain::{Fen, Tier};

use crate::i18n::{Tr, keys};

/// The CSS class of a state's badge.
pub fn state_badge(s: RState) -> &'static str {
    match s {
        RState::Draft | RState::Cancelled | RState::Closed => "badge",
        RState::Submitted => "badge badge-blue",
        RState::Returned => "badge badge-amber",
        RState::Approved | RState::Planning | RState::OnSite | RState::Closing => "badge badge-green",
        RState::Rejected => "badge badge-red",
    }
}

/// A state's name in the reader's language.
pub fn state_label(tr: Tr, s: RState) -> String {
    tr.t(keys::state(s)).to_owned()
}

/// A tier's name in the reader's language (a dash for none).
pub fn tier_label(tr: Tr, tier: Option<Tier>) -> String {
    tier.map(|t| tr.t(keys::tier(t)).to_owned()).unwrap_or_else(|| "—".into())
}

/// The visit's days in ISO form, for exports and print: `2026-10-09` or `2026-10-09 – 10-11`.
pub fn visit_dates(start: NaiveDate, end: NaiveDate) -> String {
    use chrono::Datelike;
    if start == end { start.to_string() } else { format!("{start} – {:02}-{:02}", end.month(), end.day()) }
}

/// How a section writes days: in ISO form (exports, print), or as people read them on a
/// page (`Wed 9 Dec 2026`, `12月9日 周三`), given today.
#[derive(Debug, Clone, Copy)]
pub enum Days {
    /// `2026-10-09`, `2026-10-09 09:30`.
    Iso,
    /// [`Tr::date`]; a date of a year other than today's is written with its year.
    Read(NaiveDate),
}

/// "Late by N working days" ("1 working day"), or nothing.
pub fn late_label(tr: Tr, late: bool, days: i32) -> String {
    if late { tr.plural("reception.late_by", i64::from(days)) } else { String::new() }
}

/// A labelled value of the form.
pub struct Prop {
    /// Label.
    pub label: String,
    /// Value as shown.
    pub value: String,
}

/// A section of the form at a glance.
pub struct Section {
    /// Title.
    pub title: String,
    /// Its fields.
    pub props: Vec<Prop>,
}

fn yes(tr: Tr, b: bool) -> String {
    tr.t(if b { "common.yes" } else { "common.no" }).to_owned()
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(|x| x.to_string()).unwrap_or_default()
}

fn money(tr: Tr, v: Option<Fen>) -> String {
    v.map(|f| tr.money(f)).unwrap_or_default()
}

/// The form's content in the sections of the paper form, labelled in the reader's language,
/// days in ISO form (for the print view and exports).
pub fn sections(tr: Tr, v: &ReceptionView) -> Vec<Section> {
    sections_with(tr, v, Days::Iso)
}

/// The form's content in the sections of the paper form, labelled in the reader's language,
/// days written as `days` says.
pub fn sections_with(tr: Tr, v: &ReceptionView, days: Days) -> Vec<Section> {
    let dt = |v: &Option<chrono::NaiveDateTime>| match (v, days) {
        (None, _) => String::new(),
        (Some(t), Days::Iso) => t.format("%Y-%m-%d %H:%M").to_string(),
        (Some(t), Days::Read(today)) => format!("{} {}", tr.date(t.date(), today), t.format("%H:%M")),
    };
    let visit_days = match days {
        Days::Iso => visit_dates(v.r.visit_start, v.r.visit_end),
        Days::Read(today) => tr.date_range(v.r.visit_start, v.r.visit_end, today),
    };
    let f = &v.r.form;
    let personal = v.standing.sees_personal_data();
    let hidden = tr.t("reception.hidden").to_owned();
    let p = |key: &'static str, value: String| Prop { label: tr.t(key).to_owned(), value };
    let private = |s: &str| if personal { s.to_owned() } else { hidden.clone() };
    let means = f.arrival_means.map(|m| tr.t(keys::means(m)).to_owned()).unwrap_or_default();
    let grade = |g: &Option<jiedai_domain::reception::Grade>| {
        g.map(|g| tr.t(keys::grade(g)).to_owned()).unwrap_or_else(|| yes(tr, false))
    };
    let booking = |b: &jiedai_domain::reception::Booking| {
        if !b.wanted {
            return yes(tr, false);
        }
        let mut parts = vec![b.place.clone()];
        if let Some(n) = b.headcount {
            parts.push(tr.plural("reception.persons", i64::from(n)));
        }
        if let Some(m) = b.budget_fen {
            parts.push(tr.money(m));
        }
        if !b.contact.is_empty() {
            parts.push(format!("{}: {}", tr.t("reception.f.contact"), b.contact));
        }
        parts.retain(|s| !s.is_empty());
        parts.join(" · ")
    };
    let tea: Vec<String> = [
        ("reception.tea_black", f.tea.black),
        ("reception.tea_green", f.tea.green),
        ("reception.tea_coffee", f.tea.coffee),
        ("reception.tea_water", f.tea.water),
    ]
    .iter()
    .filter(|(_, on)| *on)
    .map(|(k, _)| tr.t(k).to_owned())
    .collect();
    let m = &f.meeting_room;
    let equipment: Vec<String> = [
        ("arrangement.computer", m.computer),
        ("arrangement.paper", m.paper),
        ("arrangement.pencils", m.pencils),
        ("arrangement.pens", m.pens),
        ("arrangement.projector", m.projector),
        ("arrangement.clicker", m.clicker),
    ]
    .iter()
    .filter(|(_, on)| *on)
    .map(|(k, _)| tr.t(k).to_owned())
    .collect();
    let pickup = if f.pickup_car.wanted {
        [f.pickup_car.vehicle.clone(), f.pickup_car.place.clone(), dt(&f.pickup_car.at)]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · ")
    } else {
        yes(tr, false)
    };
    let tickets = if f.train_tickets.wanted {
        let n = opt(&f.train_tickets.count);
        format!("{} × {}", f.train_tickets.train_number, n)
    } else {
        yes(tr, false)
    };
    let h = &f.hotel;
    let hotel = if h.wanted {
        let mut parts = vec![h.hotel.clone(), h.rooms.clone()];
        if let Some(n) = h.nights {
            parts.push(tr.plural("reception.nights", i64::from(n)));
        }
        parts.push(money(tr, h.budget_fen));
        if !h.contact.is_empty() {
            parts.push(format!("{}: {}", tr.t("reception.f.contact"), h.contact));
        }
        parts.retain(|s| !s.is_empty());
        parts.join(" · ")
    } else {
        yes(tr, false)
    };
    let transport = match f.arrival_means {
        Some(jiedai_domain::reception::ArrivalMeans::Car) => private(&f.licence_plate),
        _ => private(&f.transport_number),
    };
    vec![
        Section {
            title: tr.t("reception.part_one").to_owned(),
            props: vec![
                p("reception.f.applicant", v.requester.clone()),
                p("reception.f.department", v.department.clone()),
                p(
                    "reception.f.contact_person",
                    format!("{} {}", f.contact_person, if personal { &f.contact_phone } else { "" }).trim().to_owned(),
                ),
                p("reception.f.guest_organization", f.guest_organization.clone()),
                p("reception.f.purpose", f.purpose.clone()),
                p("reception.f.visit_dates", visit_days),
                p("reception.f.budget", money(tr, f.budget_fen)),
                p("reception.f.arrival_at", dt(&f.arrival_at)),
                p("reception.f.departure_at", dt(&f.departure_at)),
                p("reception.f.arrival_means", means),
                p("reception.f.transport", transport),
                p("reception.f.guest_name", f.guest_name.clone()),
                p("reception.f.guest_title", f.guest_title.clone()),
                p("reception.f.guest_phone", private(&f.guest_phone)),
                p("reception.f.guest_needs", private(&f.guest_needs)),
                p("reception.f.companion_count", f.companion_count.to_string()),
            ],
        },
        Section {
            title: tr.t("reception.arrangements").to_owned(),
            props: vec![
                p("reception.f.pickup_car", pickup),
                p("reception.f.train_tickets", tickets),
                p("reception.f.hotel", hotel),
                p("reception.f.lunch", booking(&f.lunch)),
                p("reception.f.dinner", booking(&f.dinner)),
                p("reception.f.entertainment", booking(&f.entertainment)),
            ],
        },
        Section {
            title: tr.t("reception.part_two").to_owned(),
            props: vec![
                p("reception.f.gm_contact", f.gm_contact.clone()),
                p("reception.f.tier", tier_label(tr, f.tier)),
                p("reception.f.parking", yes(tr, f.parking)),
                p("reception.f.red_carpet", yes(tr, f.red_carpet)),
                p(
                    "reception.f.welcome_message",
                    if f.welcome_message { f.welcome_text.clone() } else { yes(tr, false) },
                ),
                p("reception.f.fruit", grade(&f.fruit)),
                p("reception.f.tea", if tea.is_empty() { yes(tr, false) } else { tr.list(&tea) }),
                p(
                    "reception.f.meeting_room",
                    if m.wanted {
                        format!("{} {}", m.room, tr.list(&equipment)).trim().to_owned()
                    } else {
                        yes(tr, false)
                    },
                ),
                p("reception.f.meals", yes(tr, f.meals)),
                p("reception.f.gifts", grade(&f.gifts)),
                p(
                    "reception.f.leader_appointment",
                    if f.leader_appointment { f.leader_name.clone() } else { yes(tr, false) },
                ),
                p("reception.f.head_approved", yes(tr, v.r.state.is_approved())),
                p("reception.f.other_material", f.other_material.clone()),
            ],
        },
    ]
}

/// The label of a field a history entry names (`budget_fen`, `hotel.budget_fen`,
/// `state`, `attachment.name`) in the reader's language: an input's own label, with the
/// arrangement it belongs to in front.
pub fn change_label(tr: Tr, field: &str) -> String {
    let own = |key: String| {
        let text = tr.t(&key);
        (text != key).then(|| text.to_owned())
    };
    match field {
        "state" => return tr.t("reception.state").to_owned(),
        "procedure_version" => return tr.t("reception.procedure_version").to_owned(),
        "late_working_days" => return tr.t("reception.late_working_days").to_owned(),
        "late_reason" => return tr.t("reception.late_reason").to_owned(),
        f if f.starts_with("attachment") => return tr.t("reception.attachments").to_owned(),
        _ => {}
    }
    let leaf = own(keys::form_label(field)).unwrap_or_else(|| field.to_owned());
    match field.split_once('.') {
        Some((parent, _)) => match own(format!("reception.f.{parent}")) {
            Some(p) => format!("{p} · {leaf}"),
            None => leaf,
        },
        None => leaf,
    }
}

/// A value a history entry names, as people read it: money in yuan, states, tiers and
/// choices by name, yes or no, people by name, a dash for nothing.
pub fn change_value(tr: Tr, today: NaiveDate, field: &str, v: &serde_json::Value) -> String {
    use serde_json::Value;
    let leaf = field.rsplit('.').next().unwrap_or(field);
    match v {
        Value::Null => "—".to_owned(),
        Value::String(s) if s.is_empty() => "—".to_owned(),
        Value::Bool(b) => yes(tr, *b),
        Value::Number(n) if leaf == "budget_fen" => n.as_i64().map(|f| tr.money(Fen::new(f))).unwrap_or_default(),
        Value::String(s) if field == "state" => {
            <RState as jiedai_domain::Code>::parse(s).map_or_else(|| s.clone(), |st| state_label(tr, st))
        }
        Value::String(s) if leaf == "tier" => {
            <Tier as jiedai_domain::Code>::parse(s).map_or_else(|| s.clone(), |t| tier_label(tr, Some(t)))
        }
        Value::String(s) => {
            let shown = keys::form_option(leaf, s).map(|k| tr.t(k).to_owned());
            let text = shown.unwrap_or_else(|| {
                // Days and local times as people write them: `12月9日 周三 09:30`.
                if let Ok(t) = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S") {
                    format!("{} {}", tr.date(t.date(), today), t.format("%H:%M"))
                } else if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
                    tr.date(d, today)
                } else {
                    s.clone()
                }
            });
            if text.chars().count() > 120 { format!("{}…", text.chars().take(120).collect::<String>()) } else { text }
        }
        Value::Array(items) => {
            let names: Vec<String> = items
                .iter()
                .map(|i| i.get("name").and_then(Value::as_str).map(str::to_owned).unwrap_or_else(|| i.to_string()))
                .filter(|n| !n.is_empty())
                .collect();
            if names.is_empty() { "—".to_owned() } else { tr.list(&names) }
        }
        Value::Object(o) => match o.get("name").and_then(Value::as_str) {
            Some(name) => name.to_owned(),
            None => "…".to_owned(),
        },
        other => other.to_string(),
    }
}

/// One change of a history entry as a sentence: `Budget: ¥1,000.00 → ¥1,200.00`.
pub fn change_text(tr: Tr, today: NaiveDate, c: &jiedai_app::receptions::FieldChange) -> String {
    let field = change_label(tr, &c.field);
    let (before, after) = (change_value(tr, today, &c.field, &c.before), change_value(tr, today, &c.field, &c.after));
    if c.before.is_null() {
        tr.t_with("reception.set_to", &[("field", &field), ("after", &after)])
    } else if c.after.is_null() {
        tr.t_with("reception.cleared", &[("field", &field), ("before", &before)])
    } else {
        tr.t_with("reception.changed_to", &[("field", &field), ("before", &before), ("after", &after)])
    }
}
