//! Improvement actions from review meetings: created, edited (re-assigned) and marked done
//! with a version check and an audit record, the owner told through the outbox in the same
//! transaction; and the lessons marked applied on later receptions.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use jiedai_domain::notify::EventKey;
use jiedai_domain::review::{Action, ActionFilter, ActionState};
use jiedai_domain::{Actor, Code, ImprovementActionId, ReceptionId, UserId};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use serde_json::json;

use crate::audit::record;
use crate::entity::{action_application, improvement_action, reception};
use crate::{NewEvent, Store, StoreError};

/// Most actions a list answers.
const MAX_LIST: u64 = 500;

/// An improvement action as stored, with what names its reception.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAction {
    /// Id.
    pub id: ImprovementActionId,
    /// The reception whose review decided it.
    pub reception_id: ReceptionId,
    /// That reception's code.
    pub reception_code: String,
    /// That reception's guest organisation.
    pub organization: String,
    /// What, whose, by when.
    pub action: Action,
    /// Open or done.
    pub state: ActionState,
    /// The note it was marked done with.
    pub done_note: String,
    /// When it was marked done.
    pub done_at: Option<DateTime<Utc>>,
    /// Who marked it done.
    pub done_by: Option<UserId>,
    /// Optimistic-locking version.
    pub version: i32,
    /// Created at.
    pub created_at: DateTime<Utc>,
}

/// An action marked applied on a reception.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredApplication {
    /// The action.
    pub action_id: ImprovementActionId,
    /// The reception it was applied on.
    pub reception_id: ReceptionId,
    /// Who marked it.
    pub applied_by: Option<UserId>,
    /// When.
    pub applied_at: DateTime<Utc>,
    /// A note.
    pub note: String,
}

/// Which actions to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActionQuery {
    /// Open, overdue or done (none: every one).
    pub state: Option<ActionFilter>,
    /// Only this person's.
    pub owner: Option<UserId>,
    /// Only those of this reception.
    pub reception: Option<ReceptionId>,
    /// Today, in the company's time zone (what is overdue).
    pub today: NaiveDate,
}

async fn receptions_by_id<C: ConnectionTrait>(
    c: &C,
    ids: impl IntoIterator<Item = i32>,
) -> Result<HashMap<i32, reception::Model>, StoreError> {
    let mut ids: Vec<i32> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = reception::Entity::find().filter(reception::Column::Id.is_in(ids)).all(c).await?;
    Ok(rows.into_iter().map(|r| (r.id, r)).collect())
}

async fn stored<C: ConnectionTrait>(
    c: &C,
    rows: Vec<improvement_action::Model>,
) -> Result<Vec<StoredAction>, StoreError> {
    let receptions = receptions_by_id(c, rows.iter().map(|r| r.reception_id)).await?;
    Ok(rows
        .into_iter()
        .map(|m| {
            let r = receptions.get(&m.reception_id);
            StoredAction {
                id: ImprovementActionId(m.id),
                reception_id: ReceptionId(m.reception_id),
                reception_code: r.map(|r| r.code.clone()).unwrap_or_default(),
                organization: r.map(|r| r.guest_organization.clone()).unwrap_or_default(),
                action: Action { what: m.what, owner_id: UserId(m.owner_id), due_on: m.due_on },
                state: ActionState::parse(&m.state).unwrap_or_default(),
                done_note: m.done_note,
                done_at: m.done_at,
                done_by: m.done_by.map(UserId),
                version: m.version,
                created_at: m.created_at,
            }
        })
        .collect())
}

fn application(m: action_application::Model) -> StoredApplication {
    StoredApplication {
        action_id: ImprovementActionId(m.action_id),
        reception_id: ReceptionId(m.reception_id),
        applied_by: m.applied_by.map(UserId),
        applied_at: m.applied_at,
        note: m.note,
    }
}

/// The `action.assigned` event telling an action's owner.
fn assigned(id: i32, reception: i32, a: &Action, actor: &Actor) -> NewEvent {
    NewEvent {
        key: EventKey::ActionAssigned,
        reception_id: Some(ReceptionId(reception)),
        task_id: None,
        actor: actor.user_id,
        data: json!({
            "action_id": id,
            "owner_id": a.owner_id.get(),
            "what": a.what,
            "deadline": a.due_on.to_string(),
        }),
        dedupe: None,
    }
}

impl Store {
    /// Actions as asked: open ones by due day, done ones latest first; at most 500.
    pub async fn actions(&self, q: &ActionQuery) -> Result<Vec<StoredAction>, StoreError> {
        use improvement_action::Column as C;
        let mut find = improvement_action::Entity::find();
        if let Some(owner) = q.owner {
            find = find.filter(C::OwnerId.eq(owner.get()));
        }
        if let Some(r) = q.reception {
            find = find.filter(C::ReceptionId.eq(r.get()));
        }
        find = match q.state {
            Some(ActionFilter::Open) => find.filter(C::State.eq(ActionState::Open.as_str())),
            Some(ActionFilter::Overdue) => {
                find.filter(C::State.eq(ActionState::Open.as_str())).filter(C::DueOn.lt(q.today))
            }
            Some(ActionFilter::Done) => find.filter(C::State.eq(ActionState::Done.as_str())),
            None => find,
        };
        find = if q.state == Some(ActionFilter::Done) {
            find.order_by_desc(C::DoneAt).order_by_desc(C::Id)
        } else {
            find.order_by_desc(C::State).order_by_asc(C::DueOn).order_by_asc(C::Id)
        };
        let rows = find.limit(MAX_LIST).all(self.conn()).await?;
        stored(self.conn(), rows).await
    }

    /// One action.
    pub async fn action(&self, id: ImprovementActionId) -> Result<StoredAction, StoreError> {
        let row =
            improvement_action::Entity::find_by_id(id.get()).one(self.conn()).await?.ok_or(StoreError::NotFound)?;
        stored(self.conn(), vec![row]).await?.pop().ok_or(StoreError::NotFound)
    }

    /// Adds an action decided at a reception's review (checked by the caller), audited; its
    /// owner is told.
    pub async fn create_action(
        &self,
        reception: ReceptionId,
        a: &Action,
        actor: &Actor,
    ) -> Result<StoredAction, StoreError> {
        let w = self.write().await?;
        let now = Utc::now();
        let m = improvement_action::ActiveModel {
            reception_id: Set(reception.get()),
            what: Set(a.what.clone()),
            owner_id: Set(a.owner_id.get()),
            due_on: Set(a.due_on),
            state: Set(ActionState::Open.as_str().to_owned()),
            done_note: Set(String::new()),
            created_by: Set(actor.user_id.map(UserId::get)),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&w.txn)
        .await?;
        let doc = json!({ "reception_id": reception.get(), "action": a });
        record(&w.txn, actor, "improvement_action", Some(m.id.to_string()), "create", None::<&()>, Some(&doc)).await?;
        crate::notify::emit(&w.txn, &assigned(m.id, m.reception_id, a, actor)).await?;
        w.commit().await?;
        self.action(ImprovementActionId(m.id)).await
    }

    /// Changes an open action read at `version` (a new owner is told), audited; a done one
    /// is final (`action_done`).
    pub async fn update_action(
        &self,
        id: ImprovementActionId,
        version: i32,
        a: &Action,
        actor: &Actor,
    ) -> Result<StoredAction, StoreError> {
        let w = self.write().await?;
        let before = improvement_action::Entity::find_by_id(id.get()).one(&w.txn).await?.ok_or(StoreError::NotFound)?;
        if before.version != version {
            return Err(StoreError::StaleVersion);
        }
        if before.state != ActionState::Open.as_str() {
            return Err(StoreError::Conflict("action_done"));
        }
        let old = Action { what: before.what.clone(), owner_id: UserId(before.owner_id), due_on: before.due_on };
        let mut m: improvement_action::ActiveModel = before.clone().into();
        m.what = Set(a.what.clone());
        m.owner_id = Set(a.owner_id.get());
        m.due_on = Set(a.due_on);
        m.version = Set(version + 1);
        m.updated_at = Set(Utc::now());
        m.update(&w.txn).await?;
        record(&w.txn, actor, "improvement_action", Some(id.to_string()), "update", Some(&json!(old)), Some(&json!(a)))
            .await?;
        if old.owner_id != a.owner_id {
            crate::notify::emit(&w.txn, &assigned(id.get(), before.reception_id, a, actor)).await?;
        }
        w.commit().await?;
        self.action(id).await
    }

    /// Marks an open action read at `version` done with its note, audited; once
    /// (`action_done`).
    pub async fn mark_action_done(
        &self,
        id: ImprovementActionId,
        version: i32,
        note: &str,
        actor: &Actor,
    ) -> Result<StoredAction, StoreError> {
        let w = self.write().await?;
        let before = improvement_action::Entity::find_by_id(id.get()).one(&w.txn).await?.ok_or(StoreError::NotFound)?;
        if before.version != version {
            return Err(StoreError::StaleVersion);
        }
        if before.state != ActionState::Open.as_str() {
            return Err(StoreError::Conflict("action_done"));
        }
        let now = Utc::now();
        let mut m: improvement_action::ActiveModel = before.into();
        m.state = Set(ActionState::Done.as_str().to_owned());
        m.done_note = Set(note.to_owned());
        m.done_at = Set(Some(now));
        m.done_by = Set(actor.user_id.map(UserId::get));
        m.version = Set(version + 1);
        m.updated_at = Set(now);
        m.update(&w.txn).await?;
        let doc = json!({ "note": note });
        record(&w.txn, actor, "improvement_action", Some(id.to_string()), "done", None::<&()>, Some(&doc)).await?;
        w.commit().await?;
        self.action(id).await
    }

    /// The lessons a reception is shown: the open actions of other receptions that visited
    /// no later than it, and every action marked applied on it; by due day.
    pub async fn lessons_for(
        &self,
        id: ReceptionId,
        visit_start: NaiveDate,
    ) -> Result<(Vec<StoredAction>, Vec<StoredApplication>), StoreError> {
        use improvement_action::Column as C;
        let applied: Vec<StoredApplication> = action_application::Entity::find()
            .filter(action_application::Column::ReceptionId.eq(id.get()))
            .all(self.conn())
            .await?
            .into_iter()
            .map(application)
            .collect();
        // The earlier receptions as a subquery: their ids are never read out (there may be more
        // than a statement can bind).
        let earlier = sea_orm::sea_query::Query::select()
            .column(reception::Column::Id)
            .from(reception::Entity)
            .and_where(Expr::col(reception::Column::VisitStart).lte(visit_start))
            .and_where(Expr::col(reception::Column::Id).ne(id.get()))
            .to_owned();
        let applied_ids: Vec<i32> = applied.iter().map(|a| a.action_id.get()).collect();
        let rows = improvement_action::Entity::find()
            .filter(
                sea_orm::Condition::any()
                    .add(
                        sea_orm::Condition::all()
                            .add(C::State.eq(ActionState::Open.as_str()))
                            .add(C::ReceptionId.in_subquery(earlier)),
                    )
                    .add(C::Id.is_in(applied_ids)),
            )
            .order_by_asc(C::DueOn)
            .order_by_asc(C::Id)
            .limit(MAX_LIST)
            .all(self.conn())
            .await?;
        Ok((stored(self.conn(), rows).await?, applied))
    }

    /// Marks an action applied on a reception (once: `lesson_applied`), audited.
    pub async fn apply_lesson(
        &self,
        action: ImprovementActionId,
        on: ReceptionId,
        note: &str,
        actor: &Actor,
    ) -> Result<StoredApplication, StoreError> {
        let w = self.write().await?;
        let m = action_application::ActiveModel {
            action_id: Set(action.get()),
            reception_id: Set(on.get()),
            applied_by: Set(actor.user_id.map(UserId::get)),
            applied_at: Set(Utc::now()),
            note: Set(note.to_owned()),
        }
        .insert(&w.txn)
        .await
        .map_err(|e| {
            if crate::error::is_unique_violation(&e) { StoreError::Conflict("lesson_applied") } else { e.into() }
        })?;
        let doc = json!({ "reception_id": on.get(), "note": note });
        record(&w.txn, actor, "improvement_action", Some(action.to_string()), "apply", None::<&()>, Some(&doc)).await?;
        w.commit().await?;
        Ok(application(m))
    }
}
