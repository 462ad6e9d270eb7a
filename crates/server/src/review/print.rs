//! A reception's review meeting minutes on paper (总结例会记录), for A4: the company, the
//! title, the reception, when the meeting was held and who attended, each group's report
//! (what went well, what fell short), the decisions, and the improvement actions decided.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use jiedai_app::{receptions, review};
use jiedai_domain::ReceptionId;

use super::view::{ActionRow, action_row, groups};
use crate::auth::Cx;
use crate::error::AppResult;
use crate::extract::Id;
use crate::forms::people;
use crate::render::{Chrome, page};
use crate::state::AppState;

/// A group's report as the paper has it.
struct PaperReport {
    name: String,
    went_well: String,
    fell_short: String,
}

#[derive(Template)]
#[template(path = "review/print.html")]
struct PrintPage {
    c: Chrome,
    id: ReceptionId,
    code: String,
    organization: String,
    dates: String,
    held: String,
    attendees: String,
    reports: Vec<PaperReport>,
    decisions: String,
    actions: Vec<ActionRow>,
    printed: String,
}

/// `GET /receptions/{id}/review/print`: the minutes as on paper, for A4 (blank lines to
/// write on while none are recorded).
pub async fn print(State(s): State<AppState>, cx: Cx, Id(id): Id<ReceptionId>) -> AppResult<Response> {
    let tr = cx.tr();
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let v = receptions::get(&s.app, &viewer, id).await?;
    let rv = review::review(&s.app, &viewer, id).await?;
    let c = Chrome::new(&cx);
    let (names, _) = people(&s, &[]).await?;
    let m = rv.minutes.map(|m| m.minutes).unwrap_or_default();
    let mut attendees: Vec<String> = m.attendee_ids.iter().filter_map(|u| names.get(u).cloned()).collect();
    attendees.extend(m.other_attendees.iter().cloned());
    let reports = groups(tr)
        .into_iter()
        .map(|(key, name)| {
            let r = m.reports.iter().find(|r| r.group == key);
            PaperReport {
                name,
                went_well: r.map(|r| r.went_well.clone()).unwrap_or_default(),
                fell_short: r.map(|r| r.fell_short.clone()).unwrap_or_default(),
            }
        })
        .collect();
    let actions =
        review::of_reception(&s.app, &viewer, id).await?.into_iter().map(|a| action_row(&s, &c, &names, a)).collect();
    let printed = tr.datetime(chrono::Utc::now(), s.tz());
    Ok(page(&PrintPage {
        id,
        code: v.r.code.clone(),
        organization: v.r.form.guest_organization.clone(),
        dates: c.dates(&v.r.visit_start, &v.r.visit_end),
        held: m.held_at.map(|t| tr.datetime_on(t, s.tz(), c.today)).unwrap_or_default(),
        attendees: tr.list(&attendees),
        reports,
        decisions: m.decisions,
        actions,
        printed,
        c,
    }))
}
