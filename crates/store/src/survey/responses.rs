//! Responses: recorded once (a guest's link used in the same transaction, its unique index
//! the last word when two arrive at once), their scores one row each, the sums the results
//! are made of, and the waiver a response undoes.

use std::collections::{BTreeMap, HashMap};

use chrono::Utc;
use jiedai_domain::survey::{RespondentKind, Tally};
use jiedai_domain::{Actor, Code, ReceptionId, UserId};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, ExprTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;

use super::{NewResponse, StoredSurveyResponse, StoredWaiver};
use crate::audit::record;
use crate::entity::{survey_link, survey_response, survey_score, survey_waiver, user};
use crate::error::is_unique_violation;
use crate::{Store, StoreError};

fn kind_of(s: &str) -> RespondentKind {
    RespondentKind::parse(s).unwrap_or(RespondentKind::Guest)
}

impl Store {
    /// Records a response and its scores, audited (`survey_response` `create`), and drops a
    /// waiver. A guest's link is used by it: a link used, withdrawn or expired meanwhile, or a
    /// second response of the same link or person, is `already_answered`.
    pub async fn add_survey_response(&self, r: &NewResponse, actor: &Actor) -> Result<i32, StoreError> {
        let w = self.write().await?;
        let now = Utc::now();
        if let Some(link) = r.link_id {
            let used = survey_link::Entity::update_many()
                .col_expr(survey_link::Column::UsedAt, Expr::value(now))
                .filter(survey_link::Column::Id.eq(link.get()))
                .filter(survey_link::Column::UsedAt.is_null())
                .filter(survey_link::Column::WithdrawnAt.is_null())
                .filter(survey_link::Column::ExpiresAt.gt(now))
                .exec(&w.txn)
                .await?;
            if used.rows_affected == 0 {
                return Err(StoreError::Conflict("already_answered"));
            }
        }
        let comments: BTreeMap<&str, &str> = r
            .answer
            .scores
            .iter()
            .filter(|s| !s.comment.is_empty())
            .map(|s| (s.key.as_str(), s.comment.as_str()))
            .collect();
        let inserted = survey_response::ActiveModel {
            reception_id: Set(r.reception_id.get()),
            kind: Set(r.kind.as_str().to_owned()),
            link_id: Set(r.link_id.map(|l| l.get())),
            user_id: Set(r.user_id.map(UserId::get)),
            procedure_version: Set(r.procedure_version),
            comment: Set(r.answer.comment.clone()),
            item_comments: Set(serde_json::to_string(&comments).unwrap_or_else(|_| "{}".into())),
            answered_at: Set(now),
            ..Default::default()
        }
        .insert(&w.txn)
        .await;
        let m = match inserted {
            Ok(m) => m,
            Err(e) if is_unique_violation(&e) => return Err(StoreError::Conflict("already_answered")),
            Err(e) => return Err(e.into()),
        };
        let rows: Vec<survey_score::ActiveModel> = r
            .answer
            .scores
            .iter()
            .map(|s| survey_score::ActiveModel {
                response_id: Set(m.id),
                reception_id: Set(r.reception_id.get()),
                item_key: Set(s.key.clone()),
                score: Set(i32::try_from(s.score).unwrap_or(i32::MAX)),
                reference: Set(i32::try_from(s.reference).unwrap_or(i32::MAX)),
                kind: Set(r.kind.as_str().to_owned()),
                answered_at: Set(now),
                ..Default::default()
            })
            .collect();
        if !rows.is_empty() {
            survey_score::Entity::insert_many(rows).exec(&w.txn).await?;
        }
        let doc = json!({ "reception_id": r.reception_id.get(), "kind": r.kind, "answer": r.answer });
        record(&w.txn, actor, "survey_response", Some(m.id.to_string()), "create", None::<&()>, Some(&doc)).await?;
        survey_waiver::Entity::delete_by_id(r.reception_id.get()).exec(&w.txn).await?;
        let sums: Vec<(&str, i64, i64)> =
            r.answer.scores.iter().map(|s| (s.key.as_str(), i64::from(s.score), i64::from(s.reference))).collect();
        crate::reports::add_survey_day(&w.txn, r.reception_id.get(), &sums).await?;
        w.commit().await?;
        Ok(m.id)
    }

    /// The sum and count of a reception's scores per item and kind of respondent.
    pub async fn survey_tallies(&self, reception: ReceptionId) -> Result<Vec<Tally>, StoreError> {
        let rows: Vec<(String, String, Option<i64>, i64)> = survey_score::Entity::find()
            .select_only()
            .column(survey_score::Column::ItemKey)
            .column(survey_score::Column::Kind)
            .column_as(Expr::col(survey_score::Column::Score).sum(), "total")
            .column_as(Expr::col(survey_score::Column::Id).count(), "n")
            .filter(survey_score::Column::ReceptionId.eq(reception.get()))
            .group_by(survey_score::Column::ItemKey)
            .group_by(survey_score::Column::Kind)
            .into_tuple()
            .all(self.conn())
            .await?;
        Ok(rows
            .into_iter()
            .map(|(key, kind, sum, count)| Tally { key, kind: kind_of(&kind), sum: sum.unwrap_or(0), count })
            .collect())
    }

    /// A reception's responses, oldest first, with the names of those who answered.
    pub async fn survey_responses_of(&self, reception: ReceptionId) -> Result<Vec<StoredSurveyResponse>, StoreError> {
        let rows = survey_response::Entity::find()
            .filter(survey_response::Column::ReceptionId.eq(reception.get()))
            .order_by_asc(survey_response::Column::Id)
            .all(self.conn())
            .await?;
        let ids: Vec<i32> = rows.iter().filter_map(|r| r.user_id).collect();
        let names: HashMap<i32, String> = if ids.is_empty() {
            HashMap::new()
        } else {
            user::Entity::find()
                .filter(user::Column::Id.is_in(ids))
                .all(self.conn())
                .await?
                .into_iter()
                .map(|u| (u.id, u.display_name))
                .collect()
        };
        Ok(rows
            .into_iter()
            .map(|m| StoredSurveyResponse {
                id: m.id,
                kind: kind_of(&m.kind),
                user_id: m.user_id.map(UserId),
                user_name: m.user_id.and_then(|u| names.get(&u).cloned()),
                comment: m.comment,
                item_comments: serde_json::from_str(&m.item_comments).unwrap_or_default(),
                answered_at: m.answered_at,
            })
            .collect())
    }

    /// How many responses a reception has.
    pub async fn survey_response_count(&self, reception: ReceptionId) -> Result<u64, StoreError> {
        Ok(survey_response::Entity::find()
            .filter(survey_response::Column::ReceptionId.eq(reception.get()))
            .count(self.conn())
            .await?)
    }

    /// Whether a person answered a reception's survey.
    pub async fn answered_survey(&self, reception: ReceptionId, person: UserId) -> Result<bool, StoreError> {
        Ok(survey_response::Entity::find()
            .filter(survey_response::Column::ReceptionId.eq(reception.get()))
            .filter(survey_response::Column::UserId.eq(person.get()))
            .count(self.conn())
            .await?
            > 0)
    }

    /// A reception's waiver, if its survey was waived.
    pub async fn survey_waiver(&self, reception: ReceptionId) -> Result<Option<StoredWaiver>, StoreError> {
        Ok(survey_waiver::Entity::find_by_id(reception.get()).one(self.conn()).await?.map(|m| StoredWaiver {
            reason: m.reason,
            waived_by: m.waived_by.map(UserId),
            waived_at: m.waived_at,
        }))
    }

    /// Waives a reception's survey (again: the reason replaced), audited (`survey` `waive`).
    pub async fn waive_survey(&self, reception: ReceptionId, reason: &str, actor: &Actor) -> Result<(), StoreError> {
        let w = self.write().await?;
        let before = survey_waiver::Entity::find_by_id(reception.get()).one(&w.txn).await?;
        let m = survey_waiver::ActiveModel {
            reception_id: Set(reception.get()),
            reason: Set(reason.to_owned()),
            waived_by: Set(actor.user_id.map(UserId::get)),
            waived_at: Set(Utc::now()),
        };
        let before_doc = before.as_ref().map(|b| json!({ "reason": b.reason }));
        if before.is_some() {
            m.update(&w.txn).await?;
        } else {
            m.insert(&w.txn).await?;
        }
        let doc = json!({ "reason": reason });
        record(&w.txn, actor, "survey", Some(reception.to_string()), "waive", before_doc.as_ref(), Some(&doc)).await?;
        w.commit().await
    }

    /// Takes a waiver back, audited (`survey` `unwaive`); none is not an error.
    pub async fn unwaive_survey(&self, reception: ReceptionId, actor: &Actor) -> Result<(), StoreError> {
        let w = self.write().await?;
        let Some(before) = survey_waiver::Entity::find_by_id(reception.get()).one(&w.txn).await? else {
            return Ok(());
        };
        survey_waiver::Entity::delete_by_id(reception.get()).exec(&w.txn).await?;
        let doc = json!({ "reason": before.reason });
        record(&w.txn, actor, "survey", Some(reception.to_string()), "unwaive", Some(&doc), None::<&()>).await?;
        w.commit().await
    }
}
