//! Delegations: one per approver, replaced or removed as a whole, audited.

use chrono::{NaiveDate, Utc};
use jiedai_domain::reception::Delegation;
use jiedai_domain::{Actor, UserId};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

use crate::audit::record;
use crate::entity::{delegation, user};
use crate::{Store, StoreError};

fn of(m: delegation::Model) -> Delegation {
    Delegation { user_id: UserId(m.user_id), deputy_id: UserId(m.deputy_id), from: m.starts_on, until: m.ends_on }
}

impl Store {
    /// The delegation a person has set, if any (in force or not).
    pub async fn delegation_of(&self, user_id: UserId) -> Result<Option<Delegation>, StoreError> {
        Ok(delegation::Entity::find_by_id(user_id.get()).one(self.conn()).await?.map(of))
    }

    /// The delegations to a deputy in force on `day`.
    pub async fn delegations_to(&self, deputy_id: UserId, day: NaiveDate) -> Result<Vec<Delegation>, StoreError> {
        Ok(delegation::Entity::find()
            .filter(delegation::Column::DeputyId.eq(deputy_id.get()))
            .filter(delegation::Column::StartsOn.lte(day))
            .filter(delegation::Column::EndsOn.gte(day))
            .all(self.conn())
            .await?
            .into_iter()
            .map(of)
            .collect())
    }

    /// Sets (or, with `None`, removes) a person's delegation. The deputy must be an active
    /// user ([`StoreError::InvalidReference`] `deputy_id` otherwise).
    pub async fn set_delegation(
        &self,
        user_id: UserId,
        new: Option<Delegation>,
        actor: &Actor,
    ) -> Result<Option<Delegation>, StoreError> {
        let mut w = self.write().await?;
        // Who deputises for whom is read with who stands behind each request.
        w.touch(crate::Topic::Auth).await?;
        let c = &w.txn;
        let before = delegation::Entity::find_by_id(user_id.get()).one(c).await?.map(of);
        if before == new {
            return Ok(new);
        }
        let json = |d: &Option<Delegation>| {
            d.map(|d| serde_json::json!({ "deputy_id": d.deputy_id.get(), "from": d.from, "until": d.until }))
        };
        if before.is_some() {
            delegation::Entity::delete_by_id(user_id.get()).exec(c).await?;
        }
        if let Some(d) = new {
            let deputy = user::Entity::find_by_id(d.deputy_id.get()).one(c).await?;
            if !deputy.is_some_and(|u| u.active) {
                return Err(StoreError::InvalidReference("deputy_id"));
            }
            delegation::ActiveModel {
                user_id: Set(user_id.get()),
                deputy_id: Set(d.deputy_id.get()),
                starts_on: Set(d.from),
                ends_on: Set(d.until),
                updated_at: Set(Utc::now()),
            }
            .insert(c)
            .await?;
        }
        let (b, a) = (json(&before), json(&new));
        let id = Some(user_id.to_string());
        record(
            c,
            actor,
            "delegation",
            id,
            if new.is_some() { "delegate" } else { "end_delegation" },
            b.as_ref(),
            a.as_ref(),
        )
        .await?;
        w.commit().await?;
        Ok(new)
    }
}
