//! Change marks for cached data, so that caches in every instance drop what another
//! instance changed. Each [`Topic`] has a row in `cache_epochs` whose number a write bumps
//! in its own transaction; every instance looks at the rows a few times a second
//! ([`Store::refresh_epochs`]) and gives the topic a new *generation* when its number
//! moved. Caches remember the generation they were built at and rebuild when it changed;
//! a change made by this process changes the generation at its commit.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::entity::cache_epoch;
use crate::{Store, StoreError};

/// Cached data that changes rarely and is read on most requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::IntoStaticStr, strum::VariantArray)]
#[strum(serialize_all = "snake_case")]
pub enum Topic {
    /// Users, their roles and departments, sessions and tokens: who stands behind a request.
    Auth,
    /// The days added to the working-day calendar.
    Calendar,
    /// The procedure version in force.
    Procedure,
    /// Receptions: which exist, their states, days and summaries (the list's counts).
    Receptions,
    /// Tasks: who holds which, their days and statuses (my tasks, the board).
    Tasks,
    /// In-app notifications: who has which, read or not (the unread counts).
    Notifications,
    /// Rooms, cars, stock and their bookings and reservations. Bumped by every booking and
    /// reservation, in its transaction: the row's lock is what makes a clash check and the
    /// booking it allows one step across instances.
    Resources,
}

impl Topic {
    fn index(self) -> usize {
        self as usize
    }

    fn key(self) -> &'static str {
        self.into()
    }
}

const TOPICS: usize = 7;

/// This process's view of the change marks.
#[derive(Default)]
pub(crate) struct Epochs {
    generation: [AtomicU64; TOPICS],
    seen: Mutex<Option<[i64; TOPICS]>>,
}

impl Epochs {
    pub(crate) fn changed_here(&self, t: Topic) {
        self.generation[t.index()].fetch_add(1, Ordering::Release);
    }
}

/// Marks a topic as changed, inside the writing transaction.
pub(crate) async fn bump<C: ConnectionTrait>(c: &C, t: Topic) -> Result<(), StoreError> {
    cache_epoch::Entity::update_many()
        .col_expr(cache_epoch::Column::Epoch, Expr::col(cache_epoch::Column::Epoch).add(1))
        .filter(cache_epoch::Column::Topic.eq(t.key()))
        .exec(c)
        .await?;
    Ok(())
}

impl Store {
    /// The generation of a topic's cached data: it changes whenever the data does (at the
    /// commit here, within one [`Store::refresh_epochs`] period elsewhere).
    pub fn generation(&self, t: Topic) -> u64 {
        self.epochs.generation[t.index()].load(Ordering::Acquire)
    }

    /// Looks at the change marks (one small query); every topic whose mark moved since
    /// the last look gets a new generation. The first look only records the marks.
    pub async fn refresh_epochs(&self) -> Result<(), StoreError> {
        let rows = cache_epoch::Entity::find().all(self.conn()).await?;
        let mut now = [0i64; TOPICS];
        for r in rows {
            if let Some(t) = <Topic as strum::VariantArray>::VARIANTS.iter().find(|t| t.key() == r.topic) {
                now[t.index()] = r.epoch;
            }
        }
        let mut seen = self.epochs.seen.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(before) = *seen {
            for t in <Topic as strum::VariantArray>::VARIANTS {
                if before[t.index()] != now[t.index()] {
                    self.epochs.changed_here(*t);
                }
            }
        }
        *seen = Some(now);
        Ok(())
    }
}
