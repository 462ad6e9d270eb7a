//! `/s/{token}`: a guest's survey, without an account. Phone first, in Chinese or English
//! (`?lang=`, else the visitor's language, with a switch); it shows only the guests'
//! organisation, the dates and the survey. An unknown link is 404; one used, expired or
//! withdrawn says so (410 Gone); answering is throttled (429) and happens once.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::Response;
use jiedai_app::survey::{self, GuestSurvey};
use jiedai_domain::Language;
use jiedai_domain::survey::{LinkStatus, RawAnswer};
use serde::Deserialize;

use super::view::{ItemRow, item_rows, raw_of};
use crate::auth::Cx;
use crate::auth::csrf::CsrfForm;
use crate::error::{AppError, AppResult};
use crate::extract::Query;
use crate::forms::FormErrors;
use crate::i18n::Tr;
use crate::render::{Chrome, page, retry_after_text};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "survey/guest.html")]
struct GuestPage {
    c: Chrome,
    token: String,
    organization: String,
    dates: String,
    /// `form`, `thanks` or `closed`.
    mode: &'static str,
    /// Why it is closed (a locale key).
    closed_note: &'static str,
    rows: Vec<ItemRow>,
    comment: String,
    comment_error: Option<String>,
    /// A problem not of one field (too many tries).
    notice: Option<String>,
    /// Some problems were found.
    invalid: bool,
    total: u32,
}

/// The language asked for.
#[derive(Deserialize, Default)]
pub struct LangQuery {
    #[serde(default)]
    lang: Option<String>,
}

fn language(cx: &Cx, q: &LangQuery) -> Language {
    q.lang.as_deref().and_then(Language::parse).unwrap_or(cx.lang)
}

struct Sent {
    mode: &'static str,
    typed: RawAnswer,
    errs: FormErrors,
    notice: Option<String>,
}

fn render(cx: &Cx, token: &str, lang: Language, g: &GuestSurvey, sent: Sent, status: StatusCode) -> Response {
    let mut c = Chrome::new(cx);
    c.tr = Tr::new(lang);
    c.lang = lang.tag();
    c.here = format!("/s/{token}");
    let (mode, closed_note) = match g.status {
        _ if sent.mode == "thanks" => ("thanks", ""),
        LinkStatus::Unused => ("form", ""),
        LinkStatus::Used => ("closed", "satisfaction.link_used_note"),
        LinkStatus::Expired => ("closed", "satisfaction.link_expired_note"),
        LinkStatus::Withdrawn => ("closed", "satisfaction.link_withdrawn_note"),
    };
    let p = GuestPage {
        token: token.to_owned(),
        organization: g.organization.clone(),
        dates: c.dates(&g.visit_start, &g.visit_end),
        mode,
        closed_note,
        rows: item_rows(lang, &g.survey, &sent.typed, &sent.errs),
        comment: sent.typed.comment.clone(),
        comment_error: sent.errs.get("comment"),
        invalid: !sent.errs.is_empty(),
        notice: sent.notice,
        total: g.survey.total,
        c,
    };
    let mut res = page(&p);
    *res.status_mut() = if mode == "closed" { StatusCode::GONE } else { status };
    res.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    res.headers_mut().insert(header::REFERRER_POLICY, header::HeaderValue::from_static("no-referrer"));
    res
}

fn blank() -> Sent {
    Sent { mode: "form", typed: RawAnswer::default(), errs: FormErrors::none(), notice: None }
}

/// `GET /s/{token}`.
pub async fn open(
    State(s): State<AppState>,
    cx: Cx,
    Path(token): Path<String>,
    Query(q): Query<LangQuery>,
) -> AppResult<Response> {
    let g = survey::open_guest(&s.app, &token).await?;
    Ok(render(&cx, &token, language(&cx, &q), &g, blank(), StatusCode::OK))
}

/// `POST /s/{token}`: the answer, once.
pub async fn answer(
    State(s): State<AppState>,
    cx: Cx,
    Path(token): Path<String>,
    Query(q): Query<LangQuery>,
    CsrfForm(f): CsrfForm<HashMap<String, String>>,
) -> AppResult<Response> {
    let lang = language(&cx, &q);
    let tr = Tr::new(lang);
    let typed = raw_of(&f);
    let ip = cx.ip_text();
    let outcome = survey::answer_as_guest(&s.app, &token, &typed, ip.as_deref()).await;
    let g = match &outcome {
        Err(jiedai_app::Error::NotFound) => return Err(AppError::NotFound),
        _ => survey::open_guest(&s.app, &token).await?,
    };
    let (sent, status) = match outcome {
        Ok(()) => (Sent { mode: "thanks", ..blank() }, StatusCode::OK),
        Err(jiedai_app::Error::Validation(errs)) => {
            (Sent { typed, errs: FormErrors::of(tr, &errs), ..blank() }, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(jiedai_app::Error::TooManyRequests { retry_after }) => {
            let notice = Some(retry_after_text(tr, retry_after));
            let mut res =
                render(&cx, &token, lang, &g, Sent { typed, notice, ..blank() }, StatusCode::TOO_MANY_REQUESTS);
            if res.status() == StatusCode::TOO_MANY_REQUESTS {
                res.headers_mut().insert(header::RETRY_AFTER, retry_after.into());
            }
            return Ok(res);
        }
        // Used (another tab was first), expired or withdrawn meanwhile: the page says which.
        Err(jiedai_app::Error::Conflict { .. }) => (blank(), StatusCode::GONE),
        Err(e) => return Err(e.into()),
    };
    Ok(render(&cx, &token, lang, &g, sent, status))
}
