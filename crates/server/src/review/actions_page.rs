//! `/actions`: the improvement actions of every reception's review (General Management and
//! administrators see all, anyone else their own), in tabs — open, overdue, done with its
//! note — each open one with its "done" form (a note required) and, for General
//! Management, its edit form (what, owner, due day).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use jiedai_app::{receptions, review};
use jiedai_domain::review::{ActionFilter, ActionInput};
use jiedai_domain::{Code, FieldErrors, ImprovementActionId, UserId};
use serde::Deserialize;

use super::view::{ActionRow, action_row};
use crate::auth::Cx;
use crate::auth::csrf::CsrfForm;
use crate::error::{AppError, AppResult};
use crate::extract::{Id, Query};
use crate::forms::FormErrors;
use crate::forms::people;
use crate::render::{Chrome, page, redirect_with_flash};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "review/actions.html")]
struct ActionsPage {
    c: Chrome,
    tab: &'static str,
    tabs: Vec<(&'static str, String)>,
    rows: Vec<ActionRow>,
    people: Vec<(String, String)>,
    /// The row sent back with problems: its id, what was typed, the problems.
    sent: Option<(i32, Sent, FormErrors)>,
    notice: Option<String>,
}

/// What came back with problems.
pub enum Sent {
    Done(DoneForm),
    Edit(EditForm),
}

impl ActionsPage {
    /// The problems of a row's form (`done` or `edit`), if it was the one sent back.
    fn errs_of(&self, id: &i32, form: &str) -> Option<&FormErrors> {
        match &self.sent {
            Some((i, Sent::Done(_), e)) if i == id && form == "done" => Some(e),
            Some((i, Sent::Edit(_), e)) if i == id && form == "edit" => Some(e),
            _ => None,
        }
    }

    fn error(&self, id: &i32, form: &str, field: &str) -> String {
        self.errs_of(id, form).and_then(|e| e.get(field)).unwrap_or_default()
    }

    fn typed_note(&self, id: &i32) -> String {
        match &self.sent {
            Some((i, Sent::Done(f), _)) if i == id => f.done_note.clone(),
            _ => String::new(),
        }
    }

    /// The edit form's value of a field: as typed when sent back, else as stored.
    fn edit_value(&self, a: &ActionRow, field: &str) -> String {
        if let Some((i, Sent::Edit(f), _)) = &self.sent
            && *i == a.id
        {
            return match field {
                "what" => f.what.clone(),
                "owner_id" => f.owner_id.clone(),
                _ => f.due_on.clone(),
            };
        }
        match field {
            "what" => a.what.clone(),
            "owner_id" => a.owner_id.clone(),
            _ => a.due_iso.clone(),
        }
    }
}

/// Which tab `/actions` shows.
#[derive(Deserialize, Default)]
pub struct ActionsQuery {
    #[serde(default)]
    state: Option<String>,
}

/// What "done" sends.
#[derive(Deserialize, Default, Clone)]
pub struct DoneForm {
    #[serde(default)]
    version: i32,
    #[serde(default)]
    done_note: String,
    #[serde(default)]
    tab: String,
}

/// What the edit form sends.
#[derive(Deserialize, Default, Clone)]
pub struct EditForm {
    #[serde(default)]
    version: i32,
    #[serde(default)]
    what: String,
    #[serde(default)]
    owner_id: String,
    #[serde(default)]
    due_on: String,
    #[serde(default)]
    tab: String,
}

fn tab_of(raw: &str) -> ActionFilter {
    ActionFilter::parse(raw.trim()).unwrap_or(ActionFilter::Open)
}

async fn render(
    s: &AppState,
    cx: &Cx,
    tab: ActionFilter,
    sent: Option<(i32, Sent, FormErrors)>,
    notice: Option<String>,
    status: StatusCode,
) -> AppResult<Response> {
    let tr = cx.tr();
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let c = Chrome::new(cx);
    let actions = review::actions(&s.app, &viewer, Some(tab), None, None).await?;
    // An owner disabled since stays choosable on their actions' edit forms.
    let owners: Vec<UserId> = actions.iter().map(|a| a.action.action.owner_id).collect();
    let (names, active) = people(s, &owners).await?;
    let rows = actions.into_iter().map(|a| action_row(s, &c, &names, a)).collect();
    let tabs = ActionFilter::all().iter().map(|f| (f.as_str(), tr.t(tab_key(*f)).to_owned())).collect();
    let mut res = page(&ActionsPage { c, tab: tab.as_str(), tabs, rows, people: active, sent, notice });
    *res.status_mut() = status;
    Ok(res)
}

fn tab_key(f: ActionFilter) -> &'static str {
    match f {
        ActionFilter::Open => "actions.open",
        ActionFilter::Overdue => "actions.overdue",
        ActionFilter::Done => "actions.done",
    }
}

/// `GET /actions?state=open|overdue|done`.
pub async fn actions_page(State(s): State<AppState>, cx: Cx, Query(q): Query<ActionsQuery>) -> AppResult<Response> {
    render(&s, &cx, tab_of(q.state.as_deref().unwrap_or("")), None, None, StatusCode::OK).await
}

/// What a change came to on this page: back to the tab, or the page again with the
/// problems next to the row's form.
async fn answer(
    s: &AppState,
    cx: &Cx,
    id: ImprovementActionId,
    tab: ActionFilter,
    result: jiedai_app::Result<()>,
    sent: Sent,
    flash: &str,
) -> AppResult<Response> {
    let tr = cx.tr();
    match result {
        Ok(()) => Ok(redirect_with_flash(&format!("/actions?state={}", tab.as_str()), flash, s.secure_cookies())),
        Err(jiedai_app::Error::StaleVersion) => {
            let notice = Some(tr.t("review.changed_meanwhile").to_owned());
            render(s, cx, tab, None, notice, StatusCode::CONFLICT).await
        }
        Err(e @ (jiedai_app::Error::Validation(_) | jiedai_app::Error::Conflict { .. })) => {
            let status = if matches!(e, jiedai_app::Error::Validation(_)) {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::CONFLICT
            };
            let errs = FormErrors::from_failure(tr, e)?;
            render(s, cx, tab, Some((id.get(), sent, errs)), None, status).await
        }
        Err(e) => Err(AppError::from(e)),
    }
}

/// `POST /actions/{id}/done`: marked done with its note (its owner or General Management).
pub async fn done(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<ImprovementActionId>,
    CsrfForm(f): CsrfForm<DoneForm>,
) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let result = review::mark_done(&s.app, &viewer, id, f.version, &f.done_note, &cx.actor()).await.map(drop);
    let tab = tab_of(&f.tab);
    answer(&s, &cx, id, tab, result, Sent::Done(f), "flash.action_done").await
}

/// `POST /actions/{id}`: what, owner and due day changed (General Management).
pub async fn save(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<ImprovementActionId>,
    CsrfForm(f): CsrfForm<EditForm>,
) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let mut errs = FieldErrors::new();
    let due_on = match f.due_on.trim() {
        "" => None,
        d => errs.check(jiedai_domain::bounds::parse_date("due_on", d)),
    };
    let input = ActionInput { what: f.what.clone(), owner_id: f.owner_id.trim().parse::<UserId>().ok(), due_on };
    let result = if errs.is_empty() {
        review::update_action(&s.app, &viewer, id, f.version, &input, &cx.actor()).await.map(drop)
    } else {
        let others = input.check().err().unwrap_or_default();
        errs.0.extend(others.0.into_iter().filter(|e| e.field != "due_on"));
        Err(jiedai_app::Error::Validation(errs))
    };
    let tab = tab_of(&f.tab);
    answer(&s, &cx, id, tab, result, Sent::Edit(f), "flash.action_saved").await
}
