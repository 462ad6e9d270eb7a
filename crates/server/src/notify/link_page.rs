//! `/l/{secret}`: an approve or return link from an approver's mail. Opening it shows what it
//! would do to which request and asks to confirm (with a comment; one is required to return);
//! a link used, expired, mailed to someone else, or about a request that changed since does
//! nothing and says so, with the way to the request.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use jiedai_app::notify::{self, LinkState, OpenedLink};
use jiedai_app::receptions;
use jiedai_domain::reception::Action;
use serde::Deserialize;

use crate::auth::Cx;
use crate::auth::csrf::CsrfForm;
use crate::error::AppResult;
use crate::forms::FormErrors;
use crate::i18n::keys;
use crate::render::{Chrome, page, redirect_with_flash};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "notify/link.html")]
struct LinkPage {
    c: Chrome,
    secret: String,
    reception_id: i32,
    code: String,
    organization: String,
    dates: String,
    title: String,
    ready: bool,
    returns: bool,
    /// Whether the request is named: never to someone the link was not mailed to.
    shown: bool,
    state_note: &'static str,
    comment: String,
    errs: FormErrors,
}

impl LinkPage {
    /// Problems other than the comment's (the request's own, when it cannot be decided).
    fn other_errors(&self) -> Vec<String> {
        self.errs.messages_outside(&["comment"])
    }
}

fn render(cx: &Cx, secret: &str, o: &OpenedLink, comment: String, errs: FormErrors, status: StatusCode) -> Response {
    let c = Chrome::new(cx);
    let r = &o.reception;
    // A link forwarded to someone else says nothing of the request it is about.
    let shown = o.state != LinkState::NotYours;
    let code = if shown { r.code.clone() } else { String::new() };
    let title_key = match (shown, o.action) {
        (false, _) => "notify.link_title",
        (true, Action::Return) => "notify.link_return_title",
        (true, _) => "notify.link_approve_title",
    };
    let state_note = match o.state {
        LinkState::Ready => "",
        LinkState::Used => "notify.link_used",
        LinkState::Expired => "notify.link_expired",
        LinkState::Changed => "notify.link_changed",
        LinkState::NotYours => "notify.link_not_yours",
    };
    let page_ = LinkPage {
        title: c.tr.t_with(title_key, &[("code", code.as_str())]),
        dates: if shown { c.dates(&r.visit_start, &r.visit_end) } else { String::new() },
        secret: secret.to_owned(),
        reception_id: r.id.get(),
        code,
        organization: if shown { r.form.guest_organization.clone() } else { String::new() },
        ready: o.state == LinkState::Ready,
        returns: o.action == Action::Return,
        shown,
        state_note,
        comment,
        errs,
        c,
    };
    let mut res = page(&page_);
    *res.status_mut() = status;
    res
}

/// `GET /l/{secret}`.
pub async fn open(State(s): State<AppState>, cx: Cx, Path(secret): Path<String>) -> AppResult<Response> {
    let o = notify::open_link(&s.app, cx.user()?.id, &secret).await?;
    Ok(render(&cx, &secret, &o, String::new(), FormErrors::none(), StatusCode::OK))
}

/// What the confirmation sends.
#[derive(Deserialize)]
pub struct LinkForm {
    #[serde(default)]
    comment: String,
}

/// `POST /l/{secret}`: does it, once.
pub async fn confirm(
    State(s): State<AppState>,
    cx: Cx,
    Path(secret): Path<String>,
    CsrfForm(f): CsrfForm<LinkForm>,
) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    match notify::use_link(&s.app, &viewer, &secret, &f.comment, &cx.actor()).await {
        Ok((o, Some(r))) => {
            let flash = keys::flash_did(o.action);
            Ok(redirect_with_flash(&format!("/receptions/{}", r.id), flash, s.secure_cookies()))
        }
        Ok((o, None)) => Ok(render(&cx, &secret, &o, f.comment, FormErrors::none(), StatusCode::CONFLICT)),
        Err(jiedai_app::Error::Validation(errs)) => {
            let o = notify::open_link(&s.app, viewer.user_id, &secret).await?;
            let errs = FormErrors::of(cx.tr(), &errs);
            Ok(render(&cx, &secret, &o, f.comment, errs, StatusCode::UNPROCESSABLE_ENTITY))
        }
        Err(e) => Err(e.into()),
    }
}
