//! Counting a reception's material out on the day and back at close-down: each line from
//! stock moves the number on hand with a ledger line (who, when, why), in one transaction that
//! first marks [`Topic::Resources`], like the reservations it ends.

use chrono::Utc;
use jiedai_domain::resources::{CountBack, ItemSource, Movement};
use jiedai_domain::{Actor, Code, ItemLineId, ReceptionId, StockItemId};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::json;

use super::items::{StoredLine, stored_line};
use super::ledger;
use crate::audit::record;
use crate::entity::{item_line, stock_item};
use crate::{Store, StoreError, Topic};

impl Store {
    /// Counts out every line not yet counted out (or those of `only`): each from stock takes
    /// its quantity off the number on hand with a ledger line; all or none (a line short on
    /// hand refuses the lot: `not_on_hand`). Answers how many lines were counted out.
    pub async fn count_out(
        &self,
        reception: ReceptionId,
        only: Option<&[ItemLineId]>,
        actor: &Actor,
    ) -> Result<usize, StoreError> {
        let mut w = self.write().await?;
        w.touch(Topic::Resources).await?;
        let c = &w.txn;
        let mut q = item_line::Entity::find()
            .filter(item_line::Column::ReceptionId.eq(reception.get()))
            .filter(item_line::Column::CountedOutAt.is_null())
            .filter(item_line::Column::CountedBackAt.is_null());
        if let Some(ids) = only {
            q = q.filter(item_line::Column::Id.is_in(ids.iter().map(|i| i.get())));
        }
        let lines = q.order_by_asc(item_line::Column::Position).all(c).await?;
        let now = Utc::now();
        for l in &lines {
            if let Some(item) = l.stock_item_id.filter(|_| l.source == ItemSource::Stock.as_str()) {
                let q = i64::from(l.quantity);
                let res = stock_item::Entity::update_many()
                    .col_expr(stock_item::Column::OnHand, Expr::col(stock_item::Column::OnHand).sub(q))
                    .col_expr(stock_item::Column::UpdatedAt, Expr::value(now))
                    .filter(stock_item::Column::Id.eq(item))
                    .filter(stock_item::Column::OnHand.gte(q))
                    .exec(c)
                    .await?;
                if res.rows_affected != 1 {
                    return Err(StoreError::Conflict("not_on_hand"));
                }
                let after = stock_item::Entity::find_by_id(item).one(c).await?.map_or(0, |s| s.on_hand);
                let pair = Some((reception, ItemLineId(l.id)));
                ledger(c, StockItemId(item), pair, Movement::CountedOut, q, -q, after, &l.name, actor).await?;
            }
            item_line::Entity::update_many()
                .col_expr(item_line::Column::CountedOutAt, Expr::value(now))
                .col_expr(item_line::Column::Version, Expr::col(item_line::Column::Version).add(1))
                .col_expr(item_line::Column::UpdatedAt, Expr::value(now))
                .filter(item_line::Column::Id.eq(l.id))
                .exec(c)
                .await?;
        }
        let ids: Vec<i32> = lines.iter().map(|l| l.id).collect();
        if !ids.is_empty() {
            let doc = json!({ "lines": ids });
            record(c, actor, "reception", Some(reception.to_string()), "count_out", None::<&()>, Some(&doc)).await?;
        }
        w.commit().await?;
        Ok(ids.len())
    }

    /// Counts a line back (checked against its quantity by the caller): what came back of a
    /// line from stock goes back on hand; every part is a ledger line. A line is counted
    /// back once (`already_counted_back`), after it was counted out (`not_counted_out`) —
    /// or written off before (`already_counted_out` after), audited.
    pub async fn count_back(
        &self,
        reception: ReceptionId,
        id: ItemLineId,
        count: &CountBack,
        actor: &Actor,
    ) -> Result<StoredLine, StoreError> {
        let mut w = self.write().await?;
        w.touch(Topic::Resources).await?;
        let c = &w.txn;
        let l = item_line::Entity::find_by_id(id.get())
            .filter(item_line::Column::ReceptionId.eq(reception.get()))
            .one(c)
            .await?
            .ok_or(StoreError::NotFound)?;
        if l.counted_back_at.is_some() {
            return Err(StoreError::Conflict("already_counted_back"));
        }
        match (count.write_off, l.counted_out_at.is_some()) {
            (false, false) => return Err(StoreError::Conflict("not_counted_out")),
            (true, true) => return Err(StoreError::Conflict("already_counted_out")),
            _ => {}
        }
        let now = Utc::now();
        if let Some(item) = l.stock_item_id.filter(|_| l.source == ItemSource::Stock.as_str()) {
            for (kind, n, delta) in count.movements() {
                if delta != 0 {
                    stock_item::Entity::update_many()
                        .col_expr(stock_item::Column::OnHand, Expr::col(stock_item::Column::OnHand).add(delta))
                        .col_expr(stock_item::Column::UpdatedAt, Expr::value(now))
                        .filter(stock_item::Column::Id.eq(item))
                        .exec(c)
                        .await?;
                }
                let after = stock_item::Entity::find_by_id(item).one(c).await?.map_or(0, |s| s.on_hand);
                let pair = Some((reception, id));
                ledger(c, StockItemId(item), pair, kind, i64::from(n), delta, after, &count.note, actor).await?;
            }
        }
        let n = |v: u32| Some(v as i32);
        let mut m: item_line::ActiveModel = l.clone().into();
        m.returned = Set(n(count.returned));
        m.consumed = Set(n(count.consumed));
        m.lost = Set(n(count.lost));
        m.damaged = Set(n(count.damaged));
        m.count_note = Set(count.note.clone());
        m.written_off = Set(count.write_off);
        m.counted_back_at = Set(Some(now));
        m.version = Set(l.version + 1);
        m.updated_at = Set(now);
        let after = m.update(c).await?;
        record(c, actor, "item_line", Some(id.to_string()), "count_back", None::<&()>, Some(&json!(count))).await?;
        w.commit().await?;
        Ok(stored_line(after))
    }
}
