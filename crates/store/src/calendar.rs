//! Calendar days added by administrators (later years, company closures).

use chrono::{NaiveDate, Utc};
use jiedai_domain::calendar::{Entry, EntryKind};
use jiedai_domain::{Actor, Code};
use sea_orm::{ActiveModelTrait, EntityTrait, QueryOrder, Set};
use serde::Serialize;

use crate::audit::record;
use crate::entity::calendar_day;
use crate::{Store, StoreError, Topic};

/// A stored day, with who added it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDay {
    /// The day.
    pub entry: Entry,
    /// When it was added.
    pub created_at: chrono::DateTime<Utc>,
    /// Who added it.
    pub created_by: String,
}

#[derive(Serialize)]
struct Batch<'a> {
    count: usize,
    first: Option<NaiveDate>,
    last: Option<NaiveDate>,
    source: &'a str,
}

fn to_stored(m: calendar_day::Model) -> Option<StoredDay> {
    Some(StoredDay {
        entry: Entry { date: m.day, kind: EntryKind::parse(m.kind.trim())?, name_en: m.name_en, name_zh: m.name_zh },
        created_at: m.created_at,
        created_by: m.created_by,
    })
}

impl Store {
    /// Every added day, in date order.
    pub async fn list_calendar_days(&self) -> Result<Vec<StoredDay>, StoreError> {
        let rows = calendar_day::Entity::find().order_by_asc(calendar_day::Column::Day).all(self.conn()).await?;
        Ok(rows.into_iter().filter_map(to_stored).collect())
    }

    /// Adds days, all or none, with one audit record naming the source (`form`, a file name…).
    /// A date already stored is a conflict.
    pub async fn add_calendar_days(&self, entries: &[Entry], source: &str, actor: &Actor) -> Result<(), StoreError> {
        let mut w = self.write().await?;
        w.touch(Topic::Calendar).await?;
        let now = Utc::now();
        for e in entries {
            if calendar_day::Entity::find_by_id(e.date).one(&w.txn).await?.is_some() {
                return Err(StoreError::Conflict("date"));
            }
            calendar_day::ActiveModel {
                day: Set(e.date),
                kind: Set(e.kind.as_str().to_owned()),
                name_en: Set(e.name_en.clone()),
                name_zh: Set(e.name_zh.clone()),
                created_at: Set(now),
                created_by: Set(actor.label.chars().take(64).collect()),
            }
            .insert(&w.txn)
            .await?;
        }
        let batch = Batch {
            count: entries.len(),
            first: entries.iter().map(|e| e.date).min(),
            last: entries.iter().map(|e| e.date).max(),
            source,
        };
        record(&w.txn, actor, "calendar", None, "import", None::<&()>, Some(&batch)).await?;
        w.commit().await
    }

    /// Removes an added day, audited.
    pub async fn delete_calendar_day(&self, date: NaiveDate, actor: &Actor) -> Result<(), StoreError> {
        let mut w = self.write().await?;
        w.touch(Topic::Calendar).await?;
        let m = calendar_day::Entity::find_by_id(date).one(&w.txn).await?.ok_or(StoreError::NotFound)?;
        let before = to_stored(m.clone()).map(|s| s.entry);
        calendar_day::Entity::delete_by_id(date).exec(&w.txn).await?;
        record(&w.txn, actor, "calendar", Some(date.to_string()), "delete", before.as_ref(), None::<&()>).await?;
        w.commit().await
    }
}
