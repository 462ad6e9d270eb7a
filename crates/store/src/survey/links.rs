//! Guests' links: made, listed, found by the SHA-256 of their secret, withdrawn.

use chrono::{DateTime, Utc};
use jiedai_domain::{Actor, ReceptionId, SurveyLinkId, UserId};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseBackend, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    Set,
};
use serde_json::json;

use super::StoredSurveyLink;
use crate::audit::record;
use crate::entity::{reception, survey_link};
use crate::notify::NewEvent;
use crate::{Store, StoreError};
use jiedai_domain::notify::EventKey;

/// A link to make.
#[derive(Debug, Clone)]
pub struct NewSurveyLink {
    /// The reception.
    pub reception_id: ReceptionId,
    /// The SHA-256 of its secret (hex).
    pub token_hash: String,
    /// What the secret is derived from.
    pub nonce: String,
    /// The address it is mailed to.
    pub email: Option<String>,
    /// Its language (`zh-CN`, `en`).
    pub language: String,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
}

pub(super) fn stored(m: survey_link::Model) -> StoredSurveyLink {
    StoredSurveyLink {
        id: SurveyLinkId(m.id),
        reception_id: ReceptionId(m.reception_id),
        nonce: m.nonce,
        email: m.email,
        language: m.language,
        created_by: m.created_by.map(UserId),
        created_at: m.created_at,
        expires_at: m.expires_at,
        used_at: m.used_at,
        withdrawn_at: m.withdrawn_at,
        invite_event_id: m.invite_event_id,
    }
}

fn audit_doc(m: &survey_link::Model) -> serde_json::Value {
    json!({
        "reception_id": m.reception_id,
        "email": m.email,
        "mailed": m.invite_event_id.is_some(),
        "language": m.language,
        "expires_at": m.expires_at,
    })
}

impl Store {
    /// Makes a guest's link, audited (`survey_link` `create`); with an address, in the same
    /// transaction, the `survey.invite` event that mails it (the worker sends it when a mail
    /// server is set up), unless the reception had `mail_limit` links with an address made in
    /// the last day (`Conflict("too_many_mailed_links")`, counted under the reception's row
    /// lock on PostgreSQL and the write lock on SQLite, so two at once cannot both pass).
    pub async fn create_survey_link(
        &self,
        l: &NewSurveyLink,
        mail_limit: u64,
        actor: &Actor,
    ) -> Result<StoredSurveyLink, StoreError> {
        let w = self.write().await?;
        if l.email.is_some() {
            let mut q = reception::Entity::find_by_id(l.reception_id.get());
            if self.backend() == DatabaseBackend::Postgres {
                q = q.lock_exclusive();
            }
            q.one(&w.txn).await?.ok_or(StoreError::NotFound)?;
            let mailed = survey_link::Entity::find()
                .filter(survey_link::Column::ReceptionId.eq(l.reception_id.get()))
                .filter(survey_link::Column::Email.is_not_null())
                .filter(survey_link::Column::CreatedAt.gte(Utc::now() - chrono::Duration::days(1)))
                .count(&w.txn)
                .await?;
            if mailed >= mail_limit {
                return Err(StoreError::Conflict("too_many_mailed_links"));
            }
        }
        let mut m = survey_link::ActiveModel {
            reception_id: Set(l.reception_id.get()),
            token_hash: Set(l.token_hash.clone()),
            nonce: Set(l.nonce.clone()),
            email: Set(l.email.clone()),
            language: Set(l.language.clone()),
            created_by: Set(actor.user_id.map(UserId::get)),
            created_at: Set(Utc::now()),
            expires_at: Set(l.expires_at),
            ..Default::default()
        }
        .insert(&w.txn)
        .await?;
        if m.email.is_some() {
            let invite =
                NewEvent::reception(EventKey::SurveyInvite, l.reception_id, actor.user_id, json!({ "link_id": m.id }));
            let event = crate::notify::row(&invite).insert(&w.txn).await?;
            let mut link: survey_link::ActiveModel = m.into();
            link.invite_event_id = Set(Some(event.id));
            m = link.update(&w.txn).await?;
        }
        let doc = audit_doc(&m);
        record(&w.txn, actor, "survey_link", Some(m.id.to_string()), "create", None::<&()>, Some(&doc)).await?;
        w.commit().await?;
        Ok(stored(m))
    }

    /// A reception's links, newest first.
    pub async fn survey_links_of(&self, reception: ReceptionId) -> Result<Vec<StoredSurveyLink>, StoreError> {
        Ok(survey_link::Entity::find()
            .filter(survey_link::Column::ReceptionId.eq(reception.get()))
            .order_by_desc(survey_link::Column::Id)
            .all(self.conn())
            .await?
            .into_iter()
            .map(stored)
            .collect())
    }

    /// One link.
    pub async fn survey_link(&self, id: SurveyLinkId) -> Result<StoredSurveyLink, StoreError> {
        survey_link::Entity::find_by_id(id.get()).one(self.conn()).await?.map(stored).ok_or(StoreError::NotFound)
    }

    /// These links (those that exist).
    pub async fn survey_links_by_id(&self, ids: &[SurveyLinkId]) -> Result<Vec<StoredSurveyLink>, StoreError> {
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let rows = survey_link::Entity::find()
                .filter(survey_link::Column::Id.is_in(chunk.iter().map(|i| i.get())))
                .all(self.conn())
                .await?;
            out.extend(rows.into_iter().map(stored));
        }
        Ok(out)
    }

    /// The link whose secret has this SHA-256, if any.
    pub async fn survey_link_by_hash(&self, hash: &str) -> Result<Option<StoredSurveyLink>, StoreError> {
        Ok(survey_link::Entity::find()
            .filter(survey_link::Column::TokenHash.eq(hash))
            .one(self.conn())
            .await?
            .map(stored))
    }

    /// Withdraws a link not yet answered through (`link_used` when it was), audited.
    pub async fn withdraw_survey_link(&self, id: SurveyLinkId, actor: &Actor) -> Result<(), StoreError> {
        let w = self.write().await?;
        let m = survey_link::Entity::find_by_id(id.get()).one(&w.txn).await?.ok_or(StoreError::NotFound)?;
        if m.used_at.is_some() {
            return Err(StoreError::Conflict("link_used"));
        }
        if m.withdrawn_at.is_some() {
            return Ok(());
        }
        let doc = audit_doc(&m);
        let mut a: survey_link::ActiveModel = m.into();
        a.withdrawn_at = Set(Some(Utc::now()));
        a.update(&w.txn).await?;
        record(&w.txn, actor, "survey_link", Some(id.to_string()), "withdraw", Some(&doc), None::<&()>).await?;
        w.commit().await
    }

    /// Moves a link's expiry (tests and maintenance: the store has no clock of its own).
    pub async fn set_survey_link_expiry(&self, id: SurveyLinkId, at: DateTime<Utc>) -> Result<(), StoreError> {
        let w = self.write().await?;
        let m = survey_link::Entity::find_by_id(id.get()).one(&w.txn).await?.ok_or(StoreError::NotFound)?;
        let mut a: survey_link::ActiveModel = m.into();
        a.expires_at = Set(at);
        a.update(&w.txn).await?;
        w.commit().await
    }
}
