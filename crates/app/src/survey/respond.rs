//! General Management and the host department answering signed in: one response per person
//! and reception; a second is refused (`already_answered`) rather than replacing the first,
//! so what a report counted never changes under it.

use jiedai_domain::procedure::Survey;
use jiedai_domain::reception::Viewer;
use jiedai_domain::survey::{RawAnswer, RespondentKind, check_answer};
use jiedai_domain::{Actor, ReceptionId, UserId};
use jiedai_store::{NewResponse, StoredReception};

use super::{answerable, manages};
use crate::{App, Error, Result, receptions};

/// The survey as a signed-in person meets it.
#[derive(Debug, Clone)]
pub struct MemberSurvey {
    /// The reception.
    pub reception: StoredReception,
    /// The survey of its procedure version.
    pub survey: Survey,
    /// How the person would answer (none: they may only read the results).
    pub kind: Option<RespondentKind>,
    /// They answered already.
    pub answered: bool,
    /// It can be answered now (taken on, or closed).
    pub open: bool,
}

/// How a person answers a reception's survey: General Management (and administrators) as
/// `internal`, the requester and people of the host department as `host`; others not at all.
pub fn respondent_kind(viewer: &Viewer, r: &StoredReception) -> Option<RespondentKind> {
    if manages(viewer) {
        Some(RespondentKind::Internal)
    } else if r.requester_id == viewer.user_id
        || viewer.department_id == Some(r.department_id)
        || viewer.heads.contains(&r.department_id)
    {
        Some(RespondentKind::Host)
    } else {
        None
    }
}

/// A reception's survey for a signed-in person who may see the reception.
pub async fn member_survey(app: &App, viewer: &Viewer, id: ReceptionId) -> Result<MemberSurvey> {
    let (r, _) = receptions::visible(app, viewer, id).await?;
    let survey = app.procedure(r.procedure_version).await?.survey.clone();
    let kind = respondent_kind(viewer, &r);
    let answered = app.store().answered_survey(id, viewer.user_id).await?;
    Ok(MemberSurvey { open: answerable(r.state), reception: r, survey, kind, answered })
}

/// Records a signed-in person's answer: forbidden to those neither General Management nor of
/// the host department; `not_under_way` before the reception is taken on or once cancelled;
/// `already_answered` the second time; every problem of the answer at once.
pub async fn answer_as_member(
    app: &App,
    viewer: &Viewer,
    id: ReceptionId,
    raw: &RawAnswer,
    actor: &Actor,
) -> Result<RespondentKind> {
    let m = member_survey(app, viewer, id).await?;
    let Some(kind) = m.kind else { return Err(Error::Forbidden) };
    check_answer(&m.survey, raw)?;
    if !m.open {
        return Err(Error::Conflict { code: "not_under_way", field: "state" });
    }
    if m.answered {
        return Err(Error::Conflict { code: "already_answered", field: "state" });
    }
    record_response(app, id, kind, Some(viewer.user_id), raw, actor).await?;
    Ok(kind)
}

/// Records a response without asking who may give it (the demo data, the command line): an
/// answer checked against the reception's survey, of a kind, by a person (internal, host) or
/// nobody (a guest without a link).
pub async fn record_response(
    app: &App,
    id: ReceptionId,
    kind: RespondentKind,
    person: Option<UserId>,
    raw: &RawAnswer,
    actor: &Actor,
) -> Result<i32> {
    let r = app.store().get_reception(id).await?;
    let survey = app.procedure(r.procedure_version).await?.survey.clone();
    let answer = check_answer(&survey, raw)?;
    let new = NewResponse {
        reception_id: id,
        kind,
        link_id: None,
        user_id: person,
        procedure_version: r.procedure_version,
        answer,
    };
    app.store().add_survey_response(&new, actor).await.map_err(|e| match e {
        jiedai_store::StoreError::Conflict(_) => Error::Conflict { code: "already_answered", field: "state" },
        e => e.into(),
    })
}
