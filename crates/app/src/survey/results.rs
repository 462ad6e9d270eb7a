//! The results of a reception's survey (per item against its reference, the total, per kind of
//! respondent, the comments) and its waiver.

use jiedai_domain::procedure::Survey;
use jiedai_domain::reception::Viewer;
use jiedai_domain::survey::{MAX_COMMENT, RespondentKind, Results, results as add_up};
use jiedai_domain::{Actor, ReceptionId};
use jiedai_store::{StoredReception, StoredSurveyResponse, StoredWaiver};

use super::manages;
use crate::{App, Error, Result, receptions};

/// A reception's survey results.
#[derive(Debug, Clone)]
pub struct SurveyResults {
    /// The reception.
    pub reception: StoredReception,
    /// The survey of its procedure version.
    pub survey: Survey,
    /// Over every response.
    pub overall: Results,
    /// Per kind of respondent, in order.
    pub by_kind: Vec<(RespondentKind, Results)>,
    /// The responses (for their comments), oldest first.
    pub responses: Vec<StoredSurveyResponse>,
    /// The waiver, if the survey was waived.
    pub waiver: Option<StoredWaiver>,
}

/// A reception's results, for whoever may see the reception.
pub async fn results(app: &App, viewer: &Viewer, id: ReceptionId) -> Result<SurveyResults> {
    let (r, _) = receptions::visible(app, viewer, id).await?;
    let survey = app.procedure(r.procedure_version).await?.survey.clone();
    let tallies = app.store().survey_tallies(id).await?;
    let responses = app.store().survey_responses_of(id).await?;
    let count = |kinds: &[RespondentKind]| responses.iter().filter(|x| kinds.contains(&x.kind)).count() as i64;
    let overall = add_up(&survey, &tallies, &RespondentKind::ALL, count(&RespondentKind::ALL));
    let by_kind = RespondentKind::ALL.iter().map(|k| (*k, add_up(&survey, &tallies, &[*k], count(&[*k])))).collect();
    let waiver = app.store().survey_waiver(id).await?;
    Ok(SurveyResults { reception: r, survey, overall, by_kind, responses, waiver })
}

/// Waives a reception's survey with a reason (General Management; `reason` required).
pub async fn waive(app: &App, viewer: &Viewer, id: ReceptionId, reason: &str, actor: &Actor) -> Result<()> {
    let (r, _) = receptions::visible(app, viewer, id).await?;
    if !manages(viewer) {
        return Err(Error::Forbidden);
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::field("reason", "required"));
    }
    if reason.chars().count() > MAX_COMMENT {
        return Err(Error::Validation(jiedai_domain::FieldError::with_limit("reason", "too_long", MAX_COMMENT).into()));
    }
    if r.state == jiedai_domain::reception::State::Cancelled {
        return Err(Error::Conflict { code: "not_under_way", field: "state" });
    }
    Ok(app.store().waive_survey(id, reason, actor).await?)
}

/// Takes a waiver back (General Management).
pub async fn unwaive(app: &App, viewer: &Viewer, id: ReceptionId, actor: &Actor) -> Result<()> {
    receptions::visible(app, viewer, id).await?;
    if !manages(viewer) {
        return Err(Error::Forbidden);
    }
    Ok(app.store().unwaive_survey(id, actor).await?)
}
