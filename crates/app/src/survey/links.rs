//! Guests' links: a long random secret, derived from a stored nonce under the database's
//! shared key (so the QR code can be drawn again, and the table alone gives no secret away),
//! found by its SHA-256; made once the reception is taken on, listed, withdrawn. A link made
//! with an address is mailed to it (the `survey.invite` event, sent by the notification
//! worker); the list tells where each mail stands.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use jiedai_domain::reception::Viewer;
use jiedai_domain::survey::{InviteMail, LINK_DAYS, LinkStatus, MAILED_LINKS_PER_DAY};
use jiedai_domain::{Actor, Email, FieldError, FieldErrors, Language, ReceptionId, SurveyLinkId};
use jiedai_store::{NewSurveyLink, StoredReception, StoredSurveyLink};

use super::manages;
use crate::secrets::{hmac_hex, random_hex, sha256_hex};
use crate::{App, Error, Result, receptions};

/// What a new link is made with.
#[derive(Debug, Clone, Default)]
pub struct LinkInput {
    /// An address to mail it to.
    pub email: Option<String>,
    /// Its language (`zh-CN`, `en`); Chinese when left out.
    pub language: Option<String>,
}

/// A link with its secret and where it stands.
#[derive(Debug, Clone)]
pub struct LinkView {
    /// The link.
    pub link: StoredSurveyLink,
    /// Its secret (the last part of `/s/{token}`).
    pub token: String,
    /// Where it stands now.
    pub status: LinkStatus,
    /// Where its mail stands (a link made with an address).
    pub mail: Option<InviteMail>,
}

/// The secret of a link's nonce.
fn derive(key: &str, nonce: &str) -> String {
    hmac_hex(key.as_bytes(), nonce.as_bytes())
}

fn view(key: &str, link: StoredSurveyLink, now: DateTime<Utc>) -> LinkView {
    let status = LinkStatus::of(link.used_at, link.withdrawn_at, link.expires_at, now);
    LinkView { token: derive(key, &link.nonce), status, mail: None, link }
}

/// General Management, or the host department (its people and the requester).
async fn may_manage_links(app: &App, viewer: &Viewer, id: ReceptionId) -> Result<StoredReception> {
    let (r, standing) = receptions::visible(app, viewer, id).await?;
    if manages(viewer) || standing.is_requester || standing.in_department || standing.heads_department {
        Ok(r)
    } else {
        Err(Error::Forbidden)
    }
}

/// Makes a guest's link for a reception taken on (planning, on site, closing: else
/// `not_under_way`), for 14 days.
pub async fn create_link(
    app: &App,
    viewer: &Viewer,
    id: ReceptionId,
    input: &LinkInput,
    actor: &Actor,
) -> Result<LinkView> {
    let r = may_manage_links(app, viewer, id).await?;
    let mut errs = FieldErrors::new();
    let email = errs.check(Email::parse_optional("email", input.email.as_deref().unwrap_or(""))).flatten();
    let language = match input.language.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
        None => Some(Language::ZhCn),
        Some(l) => errs.check(Language::parse(l).ok_or_else(|| FieldError::new("language", "unknown_language"))),
    };
    errs.into_result()?;
    if !r.state.is_under_way() {
        return Err(Error::Conflict { code: "not_under_way", field: "state" });
    }
    let key = app.survey_key();
    let nonce = random_hex();
    let token = derive(key, &nonce);
    let new = NewSurveyLink {
        reception_id: id,
        token_hash: sha256_hex(&token),
        nonce,
        email: email.map(Email::into_inner),
        language: language.unwrap_or_default().tag().to_owned(),
        expires_at: Utc::now() + chrono::Duration::days(LINK_DAYS),
    };
    let link = app.store().create_survey_link(&new, MAILED_LINKS_PER_DAY, actor).await.map_err(|e| match e {
        jiedai_store::StoreError::Conflict("too_many_mailed_links") => {
            Error::Conflict { code: "too_many_mailed_links", field: "email" }
        }
        e => e.into(),
    })?;
    let mut v = view(key, link, Utc::now());
    v.mail = v.link.invite_event_id.map(|_| InviteMail::of(None, app.config().mail_enabled));
    Ok(v)
}

/// These links with their secrets and where they stand, by id, read at once (the worker
/// mailing a batch, the list of deliveries); a link gone is left out.
pub async fn links_by_id(app: &App, ids: &[SurveyLinkId]) -> Result<HashMap<SurveyLinkId, LinkView>> {
    let now = Utc::now();
    Ok(app.store().survey_links_by_id(ids).await?.into_iter().map(|l| (l.id, view(app.survey_key(), l, now))).collect())
}

/// A reception's links, newest first (General Management and the host department).
pub async fn links(app: &App, viewer: &Viewer, id: ReceptionId) -> Result<Vec<LinkView>> {
    may_manage_links(app, viewer, id).await?;
    let key = app.survey_key();
    let now = Utc::now();
    let links = app.store().survey_links_of(id).await?;
    let events: Vec<i64> = links.iter().filter_map(|l| l.invite_event_id).collect();
    let mut sent = app.store().deliveries_of_events(&events).await?;
    let mail_enabled = app.config().mail_enabled;
    Ok(links
        .into_iter()
        .map(|l| {
            let delivery = l.invite_event_id.and_then(|e| sent.remove(&e)).and_then(|mut d| d.pop());
            let mail = l
                .invite_event_id
                .map(|_| InviteMail::of(delivery.as_ref().map(|d| (d.status, d.last_error.as_str())), mail_enabled));
            LinkView { mail, ..view(key, l, now) }
        })
        .collect())
}

/// A reception's links still open and made for no one in particular (for its QR codes on
/// the reception page and the run sheet), for whoever may see the reception: a link made for a
/// guest's address is that guest's key, shown only to who manages the links.
pub async fn open_links(app: &App, id: ReceptionId) -> Result<Vec<LinkView>> {
    let key = app.survey_key();
    let now = Utc::now();
    Ok(app
        .store()
        .survey_links_of(id)
        .await?
        .into_iter()
        .map(|l| view(key, l, now))
        .filter(|v| v.status == LinkStatus::Unused && v.link.email.is_none())
        .collect())
}

/// Withdraws a link not answered through (`link_used` when it was).
pub async fn withdraw_link(
    app: &App,
    viewer: &Viewer,
    id: ReceptionId,
    link: SurveyLinkId,
    actor: &Actor,
) -> Result<()> {
    may_manage_links(app, viewer, id).await?;
    let l = app.store().survey_link(link).await?;
    if l.reception_id != id {
        return Err(Error::NotFound);
    }
    app.store().withdraw_survey_link(link, actor).await.map_err(|e| match e {
        jiedai_store::StoreError::Conflict(_) => Error::Conflict { code: "link_used", field: "link" },
        e => e.into(),
    })
}
