//! The survey through the API: guests' links (made, listed, withdrawn), a signed-in person's
//! response, the results, and the waiver.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use jiedai_app::receptions;
use jiedai_app::survey::{self, LinkInput, LinkView};
use jiedai_domain::survey::{InviteMail, LinkStatus, RawAnswer, RespondentKind, Results};
use jiedai_domain::{ReceptionId, SurveyLinkId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::qr::link_url;
use crate::auth::Cx;
use crate::error::AppResult;
use crate::extract::{ApiJson, Id, Ids};
use crate::render::{Problem, json};
use crate::state::AppState;

/// A new guest link.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct LinkBody {
    /// The guest's e-mail address: the link is mailed to it, in the link's language, when a
    /// mail server is set up (`mail` in the answer says how it goes).
    #[schema(max_length = 254)]
    pub email: Option<String>,
    /// The language of its page and mail: `zh-CN` (when left out) or `en`.
    pub language: Option<String>,
}

/// A guest's link to the survey.
#[derive(Serialize, ToSchema)]
pub struct SurveyLinkResponse {
    /// Id.
    pub id: i32,
    /// Always `guest`.
    pub kind: RespondentKind,
    /// The page guests open (no account needed).
    pub url: String,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
    /// `unused`, `used`, `expired` or `withdrawn`.
    pub status: LinkStatus,
    /// The address it was mailed to.
    pub email: Option<String>,
    /// Where its mail stands (a link with an address): `waiting`, `sent`, `retrying`,
    /// `failed`, `not_sent` (withdrawn, answered or expired first), `no_mail_server`.
    pub mail: Option<InviteMail>,
    /// Its language.
    pub language: String,
    /// When it was made.
    pub created_at: DateTime<Utc>,
}

/// A reception's guest links, newest first.
#[derive(Serialize, ToSchema)]
pub struct SurveyLinkList {
    /// The links.
    pub items: Vec<SurveyLinkResponse>,
}

fn link_response(s: &AppState, v: LinkView) -> SurveyLinkResponse {
    SurveyLinkResponse {
        id: v.link.id.get(),
        kind: RespondentKind::Guest,
        url: link_url(&crate::notify::worker::base_url(s), &v.token),
        expires_at: v.link.expires_at,
        status: v.status,
        email: v.link.email,
        mail: v.mail,
        language: v.link.language,
        created_at: v.link.created_at,
    }
}

/// Makes a guest link (General Management or the host department; a reception taken on),
/// working 14 days.
#[utoipa::path(post, path = "/api/v1/receptions/{id}/survey-links", tag = "survey",
    params(("id" = i32, Path, description = "Reception id", example = 1)),
    request_body = LinkBody,
    responses((status = 201, body = SurveyLinkResponse),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "The reception is not taken on (`not_under_way`), or it mailed 30 links in the last day (`too_many_mailed_links`)", body = Problem),
        (status = 422, description = "Every problem at once", body = Problem)))]
pub async fn create_survey_link(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<ReceptionId>,
    ApiJson(b): ApiJson<LinkBody>,
) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let input = LinkInput { email: b.email, language: b.language };
    let v = survey::create_link(&s.app, &viewer, id, &input, &cx.actor()).await?;
    Ok(json(StatusCode::CREATED, link_response(&s, v)))
}

/// A reception's guest links with their status (General Management or the host department).
#[utoipa::path(get, path = "/api/v1/receptions/{id}/survey-links", tag = "survey",
    params(("id" = i32, Path, description = "Reception id", example = 1)),
    responses((status = 200, body = SurveyLinkList), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn list_survey_links(State(s): State<AppState>, cx: Cx, Id(id): Id<ReceptionId>) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let items = survey::links(&s.app, &viewer, id).await?.into_iter().map(|v| link_response(&s, v)).collect();
    Ok(json(StatusCode::OK, SurveyLinkList { items }))
}

/// Withdraws a guest link not yet answered through.
#[utoipa::path(delete, path = "/api/v1/receptions/{id}/survey-links/{link}", tag = "survey",
    params(("id" = i32, Path, description = "Reception id", example = 1),
        ("link" = i32, Path, description = "Link id", example = 1)),
    responses((status = 204, description = "Withdrawn"),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "It was answered through (`link_used`)", body = Problem)))]
pub async fn delete_survey_link(
    State(s): State<AppState>,
    cx: Cx,
    Ids(id, link): Ids<ReceptionId, SurveyLinkId>,
) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    survey::withdraw_link(&s.app, &viewer, id, link, &cx.actor()).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// An answer to the survey.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct AnswerBody {
    /// Each item's score by item key: a whole number from 0 to the item's reference.
    #[schema(value_type = BTreeMap<String, i32>)]
    pub scores: BTreeMap<String, serde_json::Value>,
    /// Comments by item key.
    pub comments: BTreeMap<String, String>,
    /// The overall comment.
    #[schema(max_length = 500)]
    pub comment: String,
}

impl AnswerBody {
    /// The answer as typed (a number written out; anything else as it came, to be refused).
    pub fn raw(self) -> RawAnswer {
        let scores = self
            .scores
            .into_iter()
            .map(|(k, v)| {
                let text = match v {
                    serde_json::Value::String(s) => s,
                    serde_json::Value::Null => String::new(),
                    other => other.to_string(),
                };
                (k, text)
            })
            .collect();
        RawAnswer { scores, comments: self.comments, comment: self.comment }
    }
}

/// How a response was recorded.
#[derive(Serialize, ToSchema)]
pub struct AnswerResponse {
    /// As whom: `internal` or `host`.
    pub kind: RespondentKind,
}

/// Answers the survey as the caller (General Management: `internal`; the host department:
/// `host`), once.
#[utoipa::path(post, path = "/api/v1/receptions/{id}/survey/responses", tag = "survey",
    params(("id" = i32, Path, description = "Reception id", example = 1)),
    request_body = AnswerBody,
    responses((status = 201, body = AnswerResponse),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "Answered already (`already_answered`) or not taken on (`not_under_way`)", body = Problem),
        (status = 422, description = "Every problem at once, on each item's key", body = Problem)))]
pub async fn answer_survey(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<ReceptionId>,
    ApiJson(b): ApiJson<AnswerBody>,
) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let kind = survey::answer_as_member(&s.app, &viewer, id, &b.raw(), &cx.actor()).await?;
    Ok(json(StatusCode::CREATED, AnswerResponse { kind }))
}

/// One item's result.
#[derive(Serialize, ToSchema)]
pub struct ItemResultResponse {
    /// The item's key.
    pub key: String,
    /// Its reference score.
    pub reference: u32,
    /// The average score, rounded to 0.01 (null without answers).
    pub average: Option<f64>,
}

/// Results over some responses.
#[derive(Serialize, ToSchema)]
pub struct KindResults {
    /// Each item of the survey.
    pub items: Vec<ItemResultResponse>,
    /// The sum of the averages scaled to the survey's total, rounded to 0.01 (null without
    /// responses).
    pub total: Option<f64>,
    /// How many responses.
    pub responses: i64,
}

/// One response's comments.
#[derive(Serialize, ToSchema)]
pub struct CommentResponse {
    /// Who answered.
    pub kind: RespondentKind,
    /// When.
    pub answered_at: DateTime<Utc>,
    /// The overall comment.
    pub comment: String,
    /// Comments by item key.
    pub items: BTreeMap<String, String>,
}

/// A waiver.
#[derive(Serialize, ToSchema)]
pub struct WaiverResponse {
    /// Why.
    pub reason: String,
    /// When.
    pub waived_at: DateTime<Utc>,
}

/// A reception's survey results.
#[derive(Serialize, ToSchema)]
pub struct SurveyResultsResponse {
    /// Each item of the survey, over every response.
    pub items: Vec<ItemResultResponse>,
    /// The total out of `out_of`, rounded to 0.01 (null without responses).
    pub total: Option<f64>,
    /// The survey's total (100 by default).
    pub out_of: u32,
    /// How many responses.
    pub responses: i64,
    /// The same per kind of respondent: `internal`, `host`, `guest`.
    pub by_kind: BTreeMap<String, KindResults>,
    /// The responses' comments, oldest first.
    pub comments: Vec<CommentResponse>,
    /// The waiver, if the survey was waived.
    pub waived: Option<WaiverResponse>,
}

fn items_of(r: &Results) -> Vec<ItemResultResponse> {
    r.items
        .iter()
        .map(|i| ItemResultResponse { key: i.key.clone(), reference: i.reference, average: i.average })
        .collect()
}

/// A reception's survey results, for whoever may see the reception.
#[utoipa::path(get, path = "/api/v1/receptions/{id}/survey", tag = "survey",
    params(("id" = i32, Path, description = "Reception id", example = 1)),
    responses((status = 200, body = SurveyResultsResponse), (status = 404, body = Problem)))]
pub async fn survey_results(State(s): State<AppState>, cx: Cx, Id(id): Id<ReceptionId>) -> AppResult<Response> {
    use jiedai_domain::Code;
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let r = survey::results(&s.app, &viewer, id).await?;
    let by_kind = r
        .by_kind
        .iter()
        .map(|(k, res)| {
            (k.as_str().to_owned(), KindResults { items: items_of(res), total: res.total, responses: res.responses })
        })
        .collect();
    let comments = r
        .responses
        .iter()
        .filter(|x| !x.comment.is_empty() || !x.item_comments.is_empty())
        .map(|x| CommentResponse {
            kind: x.kind,
            answered_at: x.answered_at,
            comment: x.comment.clone(),
            items: x.item_comments.clone(),
        })
        .collect();
    Ok(json(
        StatusCode::OK,
        SurveyResultsResponse {
            items: items_of(&r.overall),
            total: r.overall.total,
            out_of: r.survey.total,
            responses: r.overall.responses,
            by_kind,
            comments,
            waived: r.waiver.map(|w| WaiverResponse { reason: w.reason, waived_at: w.waived_at }),
        },
    ))
}

/// Why the survey is waived.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct WaiveBody {
    /// The reason (required).
    #[schema(min_length = 1, max_length = 500)]
    pub reason: String,
}

/// Waives a reception's survey with a reason (General Management); a response arriving or
/// `DELETE` takes the waiver back.
#[utoipa::path(post, path = "/api/v1/receptions/{id}/survey/waive", tag = "survey",
    params(("id" = i32, Path, description = "Reception id", example = 1)),
    request_body = WaiveBody,
    responses((status = 204, description = "Waived"),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "The reception was cancelled (`not_under_way`)", body = Problem),
        (status = 422, description = "No reason", body = Problem)))]
pub async fn waive_survey(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<ReceptionId>,
    ApiJson(b): ApiJson<WaiveBody>,
) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    survey::waive(&s.app, &viewer, id, &b.reason, &cx.actor()).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Takes a waiver back (General Management).
#[utoipa::path(delete, path = "/api/v1/receptions/{id}/survey/waive", tag = "survey",
    params(("id" = i32, Path, description = "Reception id", example = 1)),
    responses((status = 204, description = "No longer waived"), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn unwaive_survey(State(s): State<AppState>, cx: Cx, Id(id): Id<ReceptionId>) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    survey::unwaive(&s.app, &viewer, id, &cx.actor()).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
