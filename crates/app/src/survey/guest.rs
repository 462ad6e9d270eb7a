//! A guest answering through a link: what the page may show (the guest organisation, the
//! dates and the survey, nothing else of the reception), and the answer, throttled per client
//! address and per link as sign-in is, recorded once.

use chrono::{NaiveDate, Utc};
use jiedai_domain::procedure::Survey;
use jiedai_domain::survey::{LinkStatus, RawAnswer, RespondentKind, check_answer};
use jiedai_domain::{Actor, Language};
use jiedai_store::NewResponse;

use super::{GUEST_POSTS_PER_MINUTE, answerable};
use crate::secrets::sha256_hex;
use crate::{App, Error, Result};

/// What a guest's page shows.
#[derive(Debug, Clone)]
pub struct GuestSurvey {
    /// Where the link stands.
    pub status: LinkStatus,
    /// The language it was made for.
    pub language: Language,
    /// The guests' organisation.
    pub organization: String,
    /// The first visit day.
    pub visit_start: NaiveDate,
    /// The last.
    pub visit_end: NaiveDate,
    /// The survey of the reception's procedure version.
    pub survey: Survey,
}

/// The survey behind a link's secret (`NotFound` for an unknown one). A link of a reception
/// cancelled since reads as withdrawn.
pub async fn open_guest(app: &App, token: &str) -> Result<GuestSurvey> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Error::NotFound);
    }
    let Some(link) = app.store().survey_link_by_hash(&sha256_hex(token)).await? else {
        return Err(Error::NotFound);
    };
    let r = app.store().get_reception(link.reception_id).await?;
    let mut status = LinkStatus::of(link.used_at, link.withdrawn_at, link.expires_at, Utc::now());
    if status == LinkStatus::Unused && !answerable(r.state) {
        status = LinkStatus::Withdrawn;
    }
    let survey = app.procedure(r.procedure_version).await?.survey.clone();
    Ok(GuestSurvey {
        status,
        language: Language::parse(&link.language).unwrap_or_default(),
        organization: r.form.guest_organization,
        visit_start: r.visit_start,
        visit_end: r.visit_end,
        survey,
    })
}

/// Records a guest's answer through a link: at most [`GUEST_POSTS_PER_MINUTE`] tries a minute
/// from one address and on one link (429); the link must be unused (`already_answered`,
/// `link_expired`, `link_withdrawn`: 409 conflicts on `link`); every problem of the answer at
/// once (422). Audited as "guest via link".
pub async fn answer_as_guest(app: &App, token: &str, raw: &RawAnswer, ip: Option<&str>) -> Result<()> {
    let hash = sha256_hex(token);
    let mut keys = vec![(format!("survey:{}", &hash[..32]), GUEST_POSTS_PER_MINUTE)];
    if let Some(ip) = ip {
        keys.push((format!("survey_ip:{ip}"), GUEST_POSTS_PER_MINUTE));
    }
    let window = chrono::Duration::minutes(1);
    let now = Utc::now();
    if let Err(oldest) = app.store().take_attempt(&keys, now - window).await? {
        let secs = (oldest + window - now).num_seconds().max(1) as u64;
        return Err(Error::TooManyRequests { retry_after: secs });
    }
    let g = open_guest(app, token).await?;
    match g.status {
        LinkStatus::Unused => {}
        LinkStatus::Used => return Err(Error::Conflict { code: "already_answered", field: "link" }),
        LinkStatus::Expired => return Err(Error::Conflict { code: "link_expired", field: "link" }),
        LinkStatus::Withdrawn => return Err(Error::Conflict { code: "link_withdrawn", field: "link" }),
    }
    let answer = check_answer(&g.survey, raw)?;
    let Some(link) = app.store().survey_link_by_hash(&hash).await? else { return Err(Error::NotFound) };
    let r = app.store().get_reception(link.reception_id).await?;
    let new = NewResponse {
        reception_id: link.reception_id,
        kind: RespondentKind::Guest,
        link_id: Some(link.id),
        user_id: None,
        procedure_version: r.procedure_version,
        answer,
    };
    let actor = Actor { user_id: None, label: "guest via link".into(), ip: ip.map(str::to_owned) };
    app.store().add_survey_response(&new, &actor).await.map_err(|e| match e {
        jiedai_store::StoreError::Conflict(_) => Error::Conflict { code: "already_answered", field: "link" },
        e => e.into(),
    })?;
    Ok(())
}
