//! A reception's review meeting on a page (总结例会记录): the minutes — when, who attended,
//! each group's report, the decisions — written by General Management once the day has begun
//! and read by whoever may see the reception; the improvement actions decided there, added
//! right under them.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use jiedai_app::{receptions, review};
use jiedai_domain::review::{ActionInput, GroupReport, MinutesInput};
use jiedai_domain::{FieldErrors, ReceptionId, UserId};
use serde::Deserialize;

use super::view::{ActionRow, action_row, groups};
use crate::auth::Cx;
use crate::auth::csrf::CsrfForm;
use crate::error::{AppError, AppResult};
use crate::extract::Id;
use crate::forms::FormErrors;
use crate::forms::people;
use crate::render::{Chrome, page, redirect_with_flash};
use crate::resources::items_view::{local_input, parse_local};
use crate::state::AppState;

/// What the minutes form sends: each group's block sends its key and its two reports, in
/// the page's order.
#[derive(Deserialize, Default, Clone)]
pub struct MinutesForm {
    #[serde(default)]
    version: i32,
    #[serde(default)]
    held_at: String,
    #[serde(default)]
    attendee_ids: Vec<String>,
    #[serde(default)]
    other_attendees: String,
    #[serde(default)]
    group: Vec<String>,
    #[serde(default)]
    went_well: Vec<String>,
    #[serde(default)]
    fell_short: Vec<String>,
    #[serde(default)]
    decisions: String,
}

/// What the "add an action" form sends.
#[derive(Deserialize, Default, Clone)]
pub struct ActionForm {
    #[serde(default)]
    pub(super) what: String,
    #[serde(default)]
    pub(super) owner_id: String,
    #[serde(default)]
    pub(super) due_on: String,
}

/// A group's report on the page.
pub struct ReportRow {
    key: &'static str,
    name: String,
    went_well: String,
    fell_short: String,
}

#[derive(Template)]
#[template(path = "review/review.html")]
struct ReviewPage {
    c: Chrome,
    id: ReceptionId,
    code: String,
    organization: String,
    dates: String,
    recorded: bool,
    may_write: bool,
    /// Why the minutes cannot be written now (to those who could otherwise).
    blocked: Option<String>,
    /// Who recorded them last, and when.
    updated: String,
    form: MinutesForm,
    held_text: String,
    /// Who attended, written as a list in the reader's language (people, then other names).
    attendees_text: String,
    reports: Vec<ReportRow>,
    people: Vec<(String, String)>,
    errs: FormErrors,
    notice: Option<String>,
    actions: Vec<ActionRow>,
    new_action: ActionForm,
    action_errs: FormErrors,
}

impl ReviewPage {
    fn attended(&self, person: &str) -> bool {
        self.form.attendee_ids.iter().any(|p| p == person)
    }
}

/// What came back to the page with problems.
pub(super) enum Sent {
    Minutes(MinutesForm, FormErrors, Option<String>),
    Action(ActionForm, FormErrors),
}

pub(super) async fn render(
    s: &AppState,
    cx: &Cx,
    id: ReceptionId,
    sent: Option<Sent>,
    status: StatusCode,
) -> AppResult<Response> {
    let tr = cx.tr();
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let v = receptions::get(&s.app, &viewer, id).await?;
    let rv = review::review(&s.app, &viewer, id).await?;
    let c = Chrome::new(cx);
    let stored = rv.minutes.as_ref().map(|m| m.minutes.clone()).unwrap_or_default();
    // An attendee disabled since stays ticked: saving the minutes again keeps them.
    let (names, active) = people(s, &stored.attendee_ids).await?;
    let mut form = MinutesForm {
        version: rv.version,
        held_at: stored.held_at.map(|t| local_input(s.tz(), t)).unwrap_or_default(),
        attendee_ids: stored.attendee_ids.iter().map(UserId::to_string).collect(),
        other_attendees: stored.other_attendees.join("\n"),
        group: Vec::new(),
        went_well: Vec::new(),
        fell_short: Vec::new(),
        decisions: stored.decisions.clone(),
    };
    let report_of = |key: &str, f: &MinutesForm| -> Option<(String, String)> {
        let i = f.group.iter().position(|g| g == key)?;
        Some((f.went_well.get(i).cloned().unwrap_or_default(), f.fell_short.get(i).cloned().unwrap_or_default()))
    };
    let (mut errs, mut notice, mut new_action, mut action_errs) =
        (FormErrors::none(), None, ActionForm::default(), FormErrors::none());
    let mut typed: Option<MinutesForm> = None;
    match sent {
        Some(Sent::Minutes(f, e, n)) => {
            typed = Some(f.clone());
            // Sent back stale: the stored minutes' version, what was typed kept.
            form = MinutesForm { version: form.version, ..f };
            (errs, notice) = (e, n);
        }
        Some(Sent::Action(f, e)) => (new_action, action_errs) = (f, e),
        None => {}
    }
    let reports = groups(tr)
        .into_iter()
        .map(|(key, name)| {
            let (went_well, fell_short) = match &typed {
                Some(f) => report_of(key, f).unwrap_or_default(),
                None => stored
                    .reports
                    .iter()
                    .find(|r| r.group == key)
                    .map(|r| (r.went_well.clone(), r.fell_short.clone()))
                    .unwrap_or_default(),
            };
            ReportRow { key, name, went_well, fell_short }
        })
        .collect();
    let updated = match &rv.minutes {
        Some(m) => {
            let who = m.recorded_by.and_then(|u| names.get(&u).cloned()).unwrap_or_default();
            format!("{who} {}", tr.datetime_on(m.updated_at, s.tz(), c.today))
        }
        None => String::new(),
    };
    let blocked = rv.blocked.filter(|_| review::writes(&viewer)).map(|code| tr.field_code(code));
    let actions =
        review::of_reception(&s.app, &viewer, id).await?.into_iter().map(|a| action_row(s, &c, &names, a)).collect();
    let dates = c.dates(&v.r.visit_start, &v.r.visit_end);
    let mut res = page(&ReviewPage {
        id,
        code: v.r.code.clone(),
        organization: v.r.form.guest_organization.clone(),
        dates,
        recorded: rv.minutes.is_some(),
        may_write: rv.may_write,
        blocked,
        updated,
        held_text: stored.held_at.map(|t| tr.datetime_on(t, s.tz(), c.today)).unwrap_or_default(),
        attendees_text: tr.list(
            &stored
                .attendee_ids
                .iter()
                .filter_map(|u| names.get(u).cloned())
                .chain(stored.other_attendees.iter().cloned())
                .collect::<Vec<_>>(),
        ),
        form,
        reports,
        people: active,
        errs,
        notice,
        actions,
        new_action,
        action_errs,
        c,
    });
    *res.status_mut() = status;
    Ok(res)
}

/// `GET /receptions/{id}/review`.
pub async fn review_page(State(s): State<AppState>, cx: Cx, Id(id): Id<ReceptionId>) -> AppResult<Response> {
    render(&s, &cx, id, None, StatusCode::OK).await
}

/// `POST /receptions/{id}/review`: the minutes, every problem shown next to its field with
/// what was typed kept.
pub async fn save(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<ReceptionId>,
    CsrfForm(f): CsrfForm<MinutesForm>,
) -> AppResult<Response> {
    let tr = cx.tr();
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let mut errs = FieldErrors::new();
    let held_at = parse_local(s.tz(), &mut errs, "held_at", &f.held_at, true);
    let input = MinutesInput {
        held_at,
        attendee_ids: f.attendee_ids.iter().filter_map(|p| p.trim().parse().ok()).collect(),
        other_attendees: f.other_attendees.lines().map(str::to_owned).collect(),
        reports: f
            .group
            .iter()
            .enumerate()
            .map(|(i, g)| GroupReport {
                group: g.clone(),
                went_well: f.went_well.get(i).cloned().unwrap_or_default(),
                fell_short: f.fell_short.get(i).cloned().unwrap_or_default(),
            })
            .collect(),
        decisions: f.decisions.clone(),
    };
    let result = if errs.is_empty() {
        review::save_minutes(&s.app, &viewer, id, f.version, &input, &cx.actor()).await.map(drop)
    } else {
        // The other fields' problems too, all at once.
        let others = input.check(chrono::Utc::now()).err().unwrap_or_default();
        errs.0.extend(others.0.into_iter().filter(|e| e.field != "held_at"));
        Err(jiedai_app::Error::Validation(errs))
    };
    match result {
        Ok(()) => {
            Ok(redirect_with_flash(&format!("/receptions/{id}/review"), "flash.review_saved", s.secure_cookies()))
        }
        Err(jiedai_app::Error::StaleVersion) => {
            let notice = Some(tr.t("review.changed_meanwhile").to_owned());
            let sent = Sent::Minutes(f, FormErrors::none(), notice);
            render(&s, &cx, id, Some(sent), StatusCode::CONFLICT).await
        }
        Err(e @ (jiedai_app::Error::Validation(_) | jiedai_app::Error::Conflict { .. })) => {
            let status = if matches!(e, jiedai_app::Error::Validation(_)) {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::CONFLICT
            };
            let errs = FormErrors::from_failure(tr, e)?;
            render(&s, &cx, id, Some(Sent::Minutes(f, errs, None)), status).await
        }
        Err(e) => Err(AppError::from(e)),
    }
}

/// `POST /receptions/{id}/review/actions`: an improvement action decided at the meeting.
pub async fn add_action(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<ReceptionId>,
    CsrfForm(f): CsrfForm<ActionForm>,
) -> AppResult<Response> {
    let tr = cx.tr();
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let mut errs = FieldErrors::new();
    let due_on = match f.due_on.trim() {
        "" => None,
        d => errs.check(jiedai_domain::bounds::parse_date("due_on", d)),
    };
    let owner_id = f.owner_id.trim().parse::<UserId>().ok();
    let input = ActionInput { what: f.what.clone(), owner_id, due_on };
    let result = if errs.is_empty() {
        review::create_action(&s.app, &viewer, id, &input, &cx.actor()).await.map(drop)
    } else {
        let others = input.check().err().unwrap_or_default();
        errs.0.extend(others.0.into_iter().filter(|e| e.field != "due_on"));
        Err(jiedai_app::Error::Validation(errs))
    };
    match result {
        Ok(()) => Ok(redirect_with_flash(
            &format!("/receptions/{id}/review#actions"),
            "flash.action_added",
            s.secure_cookies(),
        )),
        Err(e @ (jiedai_app::Error::Validation(_) | jiedai_app::Error::Conflict { .. })) => {
            let status = if matches!(e, jiedai_app::Error::Validation(_)) {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::CONFLICT
            };
            let errs = FormErrors::from_failure(tr, e)?;
            render(&s, &cx, id, Some(Sent::Action(f, errs)), status).await
        }
        Err(e) => Err(AppError::from(e)),
    }
}
