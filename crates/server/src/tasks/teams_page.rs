//! `/admin/teams`: the groups of the task division (司机, 嘉宾组, 后勤组, 流程组, 服务组), each
//! with its lead (the suggested responsible for the group's tasks) and members, kept by
//! General Management and administrators.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use jiedai_app::{accounts, receptions, tasks};
use jiedai_domain::{Language, TeamId, UserId};
use serde::Deserialize;

use crate::auth::Cx;
use crate::auth::csrf::CsrfForm;
use crate::error::AppResult;
use crate::extract::Id;
use crate::forms::FormErrors;
use crate::render::{Chrome, page, redirect_with_flash};
use crate::state::AppState;

/// A group as its form shows it.
pub struct TeamRow {
    id: TeamId,
    name: String,
    key: String,
    lead: String,
    members: Vec<String>,
    version: i32,
    errs: FormErrors,
}

impl TeamRow {
    fn has(&self, person: &str) -> bool {
        self.members.iter().any(|m| m == person)
    }
}

#[derive(Template)]
#[template(path = "tasks/teams.html")]
struct TeamsPage {
    c: Chrome,
    teams: Vec<TeamRow>,
    /// Active people: `(id, name)`.
    people: Vec<(String, String)>,
    notice: Option<String>,
}

/// What a group's form sends.
#[derive(Deserialize)]
pub struct TeamForm {
    #[serde(default)]
    version: i32,
    #[serde(default)]
    lead_id: String,
    #[serde(default)]
    members: Vec<String>,
}

async fn render(
    s: &AppState,
    cx: &Cx,
    sent: Option<(TeamId, TeamForm, FormErrors)>,
    notice: Option<String>,
    status: StatusCode,
) -> AppResult<Response> {
    let zh = cx.tr().lang == Language::ZhCn;
    let mut people: Vec<(String, String)> = accounts::list_users(&s.app, None)
        .await?
        .into_iter()
        .filter(|u| u.active)
        .map(|u| (u.id.to_string(), format!("{}（{}）", u.display_name, u.username)))
        .collect();
    people.sort_by(|a, b| a.1.cmp(&b.1));
    let mut sent = sent;
    let teams = tasks::teams(&s.app)
        .await?
        .into_iter()
        .map(|t| {
            let mut row = TeamRow {
                id: t.id,
                name: if zh { t.name_zh.clone() } else { t.name_en.clone() },
                key: t.key.clone(),
                lead: t.lead.map(|u| u.to_string()).unwrap_or_default(),
                members: t.members.iter().map(|u| u.to_string()).collect(),
                version: t.version,
                errs: FormErrors::none(),
            };
            if sent.as_ref().is_some_and(|(id, _, _)| *id == t.id)
                && let Some((_, f, errs)) = sent.take()
            {
                row.lead = f.lead_id;
                row.members = f.members;
                row.errs = errs;
            }
            row
        })
        .collect();
    let mut r = page(&TeamsPage { c: Chrome::new(cx), teams, people, notice });
    *r.status_mut() = status;
    Ok(r)
}

/// `GET /admin/teams`.
pub async fn teams(State(s): State<AppState>, cx: Cx) -> AppResult<Response> {
    render(&s, &cx, None, None, StatusCode::OK).await
}

/// `POST /admin/teams/{id}`: a group's lead and members; its problems shown on its form.
pub async fn save(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<TeamId>,
    CsrfForm(f): CsrfForm<TeamForm>,
) -> AppResult<Response> {
    let tr = cx.tr();
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let person = |v: &str| v.trim().parse::<UserId>().ok();
    let lead = person(&f.lead_id);
    let members: Vec<UserId> = f.members.iter().filter_map(|m| person(m)).collect();
    match tasks::save_team(&s.app, &viewer, id, f.version, lead, &members, &cx.actor()).await {
        Ok(_) => Ok(redirect_with_flash("/admin/teams", "tasks.team_saved", s.secure_cookies())),
        Err(jiedai_app::Error::Validation(errs)) => {
            let e = FormErrors::of(tr, &errs);
            render(&s, &cx, Some((id, f, e)), None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(jiedai_app::Error::StaleVersion) => {
            let notice = Some(tr.t("tasks.moved_meanwhile").to_owned());
            render(&s, &cx, None, notice, StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}
