//! The late warning while the application form is filled.

use chrono::NaiveDate;

use crate::i18n::Tr;

/// The late warning while the form is filled: the first visit day from which a request
/// submitted today is on time, and for each earlier day (a month back) the proposal
/// deadline it missed, as people write it; the page's script shows or hides the warning as
/// the day is typed (the page says the same on its own once saved).
pub struct LateLive {
    /// The first visit day that is not late (ISO).
    pub on_time_from: String,
    /// `{"2026-12-03": "11月25日 周三", …}`.
    pub deadlines: String,
    /// The warning with `{deadline}` left to fill.
    pub template: String,
}

impl LateLive {
    /// How far back the deadlines are given.
    const DAYS_BACK: i64 = 31;
    /// How far ahead the first day on time is looked for (the deadline is a few working
    /// days before the visit; a month covers the longest holidays).
    const DAYS_AHEAD: i64 = 60;

    pub fn new(
        tr: Tr,
        cal: &jiedai_domain::Calendar,
        procedure: &jiedai_domain::procedure::Procedure,
        today: NaiveDate,
    ) -> Self {
        let mut deadlines = serde_json::Map::new();
        let mut day = today - chrono::Days::new(Self::DAYS_BACK as u64);
        let last = today + chrono::Days::new(Self::DAYS_AHEAD as u64);
        while day < last {
            let deadline = jiedai_domain::reception::proposal_deadline(cal, procedure, day);
            if deadline >= today {
                break;
            }
            deadlines.insert(day.to_string(), tr.date(deadline, today).into());
            day = day + chrono::Days::new(1);
        }
        Self {
            on_time_from: day.to_string(),
            deadlines: serde_json::Value::Object(deadlines).to_string(),
            template: tr.t_with("reception.late_warning", &[("deadline", "{deadline}")]),
        }
    }
}
