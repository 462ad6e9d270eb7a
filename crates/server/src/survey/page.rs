//! `/receptions/{id}/survey`: the results (each item's average against its reference as a
//! bar, the total, per kind of respondent, the comments; an empty state), the form for General
//! Management and the host department to answer (once each), the guests' links with their QR
//! codes, and the waiver.

use std::collections::HashMap;

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use jiedai_app::receptions;
use jiedai_app::survey::{self, SurveyResults};
use jiedai_domain::ReceptionId;
use jiedai_domain::survey::{RawAnswer, RespondentKind};

use super::qr::{LinkQr, link_url, svg_of};
use super::view::{ItemRow, item_rows, item_text};
use crate::auth::Cx;
use crate::error::AppResult;
use crate::forms::FormErrors;
use crate::render::{Chrome, page};
use crate::state::AppState;

/// One item's result as a bar.
pub struct Bar {
    pub text: String,
    pub reference: u32,
    pub average: Option<String>,
    pub value: f64,
}

/// One kind of respondent's results.
pub struct KindRow {
    pub label: &'static str,
    pub responses: i64,
    pub total: Option<String>,
}

/// One response's comments.
pub struct CommentRow {
    pub who: String,
    pub when: String,
    pub comment: String,
    pub items: Vec<(String, String)>,
}

/// A guest link in the list.
pub struct LinkRow {
    pub id: i32,
    pub status: &'static str,
    pub open: bool,
    pub email: String,
    /// Where its mail stands (`satisfaction.mail_…`), for a link made with an address.
    pub mail: Option<&'static str>,
    pub expires: String,
    pub qr: Option<LinkQr>,
}

#[derive(Template)]
#[template(path = "survey/page.html")]
struct SurveyPage {
    c: Chrome,
    id: i32,
    code: String,
    organization: String,
    dates: String,
    total_of: u32,
    total: Option<String>,
    responses: i64,
    bars: Vec<Bar>,
    kinds: Vec<KindRow>,
    comments: Vec<CommentRow>,
    waiver: Option<(String, String)>,
    manages: bool,
    /// The form to answer (the person may and has not yet).
    answer_as: Option<&'static str>,
    answered: bool,
    rows: Vec<ItemRow>,
    comment: String,
    comment_error: Option<String>,
    invalid: bool,
    /// Guests' links, when the person may manage them.
    links: Option<Vec<LinkRow>>,
    link_language: String,
    link_email: String,
    link_errs: FormErrors,
    waive_reason: String,
    waive_errs: FormErrors,
    under_way: bool,
}

/// What a failed form sent back.
#[derive(Default)]
pub struct Sent {
    pub answer: Option<(RawAnswer, FormErrors)>,
    /// The link form as sent: (language, e-mail), with its problems.
    pub link: Option<(String, String, FormErrors)>,
    pub waive: Option<(String, FormErrors)>,
}

fn number(x: f64) -> String {
    format!("{x:.2}")
}

fn kind_key(k: RespondentKind) -> &'static str {
    match k {
        RespondentKind::Internal => "satisfaction.kind_internal",
        RespondentKind::Host => "satisfaction.kind_host",
        RespondentKind::Guest => "satisfaction.kind_guest",
    }
}

fn status_key(s: jiedai_domain::survey::LinkStatus) -> &'static str {
    use jiedai_domain::survey::LinkStatus as L;
    match s {
        L::Unused => "satisfaction.status_unused",
        L::Used => "satisfaction.status_used",
        L::Expired => "satisfaction.status_expired",
        L::Withdrawn => "satisfaction.status_withdrawn",
    }
}

/// Renders the page with what a failed form sent back.
pub async fn render(s: &AppState, cx: &Cx, id: ReceptionId, sent: Sent, status: StatusCode) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let m = survey::member_survey(&s.app, &viewer, id).await?;
    let SurveyResults { reception: r, survey: sv, overall, by_kind, responses, waiver } =
        survey::results(&s.app, &viewer, id).await?;
    let c = Chrome::new(cx);
    let lang = cx.lang;
    let tz = s.tz();
    let bars = sv
        .items
        .iter()
        .zip(&overall.items)
        .map(|(i, res)| Bar {
            text: item_text(lang, &i.text_zh, &i.text_en),
            reference: i.reference_score,
            average: res.average.map(number),
            value: res.average.unwrap_or(0.0),
        })
        .collect();
    let kinds = by_kind
        .iter()
        .map(|(k, res)| KindRow { label: kind_key(*k), responses: res.responses, total: res.total.map(number) })
        .collect();
    let texts: HashMap<&str, String> =
        sv.items.iter().map(|i| (i.key.as_str(), item_text(lang, &i.text_zh, &i.text_en))).collect();
    let comments = responses
        .iter()
        .filter(|x| !x.comment.is_empty() || !x.item_comments.is_empty())
        .map(|x| CommentRow {
            who: match &x.user_name {
                Some(n) => format!("{} · {}", c.t(kind_key(x.kind)), n),
                None => c.t(kind_key(x.kind)).to_owned(),
            },
            when: c.date(&x.answered_at.with_timezone(&tz).date_naive()),
            comment: x.comment.clone(),
            items: x
                .item_comments
                .iter()
                .map(|(k, v)| (texts.get(k.as_str()).cloned().unwrap_or_else(|| k.clone()), v.clone()))
                .collect(),
        })
        .collect();
    let links = match survey::links(&s.app, &viewer, id).await {
        Ok(v) => {
            let base = crate::notify::worker::base_url(s);
            Some(
                v.into_iter()
                    .map(|l| {
                        let open = l.status == jiedai_domain::survey::LinkStatus::Unused;
                        let url = link_url(&base, &l.token);
                        let day = l.link.expires_at.with_timezone(&tz).date_naive();
                        LinkRow {
                            id: l.link.id.get(),
                            status: status_key(l.status),
                            open,
                            email: l.link.email.clone().unwrap_or_default(),
                            mail: l.mail.map(crate::i18n::keys::invite_mail),
                            expires: c.date(&day),
                            qr: open.then(|| LinkQr {
                                svg: svg_of(&url, 160, c.t("satisfaction.qr_label")),
                                expires: c.date(&day),
                                url,
                            }),
                        }
                    })
                    .collect(),
            )
        }
        Err(jiedai_app::Error::Forbidden) => None,
        Err(e) => return Err(e.into()),
    };
    let (typed, errs) = sent.answer.unwrap_or_default();
    let (link_language, link_email, link_errs) =
        sent.link.unwrap_or_else(|| (lang.tag().to_owned(), String::new(), FormErrors::none()));
    let (waive_reason, waive_errs) = sent.waive.unwrap_or_default();
    let p = SurveyPage {
        id: id.get(),
        code: r.code.clone(),
        organization: r.form.guest_organization.clone(),
        dates: c.dates(&r.visit_start, &r.visit_end),
        total_of: sv.total,
        total: overall.total.map(number),
        responses: overall.responses,
        bars,
        kinds,
        comments,
        waiver: waiver.map(|w| (w.reason, c.date(&w.waived_at.with_timezone(&tz).date_naive()))),
        manages: viewer.takes_on(),
        answer_as: m.kind.filter(|_| m.open && !m.answered).map(kind_key),
        answered: m.answered,
        rows: item_rows(lang, &sv, &typed, &errs),
        comment: typed.comment.clone(),
        comment_error: errs.get("comment"),
        invalid: !errs.is_empty(),
        links,
        link_language,
        link_email,
        link_errs,
        waive_reason,
        waive_errs,
        under_way: r.state.is_under_way(),
        c,
    };
    let mut res = page(&p);
    *res.status_mut() = status;
    Ok(res)
}
