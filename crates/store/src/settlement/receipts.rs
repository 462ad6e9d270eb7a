//! Receipts of expenses (photos, PDFs): their bytes in the database so that every instance
//! serves them. Adding or removing one changes its line, so it raises the settlement's
//! version and is refused once the line is locked.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use jiedai_domain::{Actor, ExpenseId, ReceiptId, ReceptionId, UserId};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use serde_json::json;

use super::bump;
use crate::audit::record;
use crate::entity::{expense, expense_receipt as rec};
use crate::{NewAttachment, Store, StoreError};

/// A receipt without its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptMeta {
    /// Id.
    pub id: ReceiptId,
    /// The expense it proves.
    pub expense_id: ExpenseId,
    /// The expense's reception.
    pub reception_id: ReceptionId,
    /// File name (cleaned).
    pub name: String,
    /// Content type, from the file's own bytes.
    pub content_type: String,
    /// Size in bytes.
    pub size: i64,
    /// Who uploaded it.
    pub uploaded_by: Option<UserId>,
    /// When.
    pub created_at: DateTime<Utc>,
}

type MetaTuple = (i32, i32, i32, String, String, i64, Option<i32>, DateTime<Utc>);

fn meta((id, expense_id, reception_id, name, content_type, size, by, at): MetaTuple) -> ReceiptMeta {
    ReceiptMeta {
        id: ReceiptId(id),
        expense_id: ExpenseId(expense_id),
        reception_id: ReceptionId(reception_id),
        name,
        content_type,
        size,
        uploaded_by: by.map(UserId),
        created_at: at,
    }
}

fn meta_query() -> sea_orm::Select<rec::Entity> {
    rec::Entity::find().select_only().columns([
        rec::Column::Id,
        rec::Column::ExpenseId,
        rec::Column::ReceptionId,
        rec::Column::Name,
        rec::Column::ContentType,
        rec::Column::Size,
        rec::Column::UploadedBy,
        rec::Column::CreatedAt,
    ])
}

impl Store {
    /// The receipts of these expenses, by expense, oldest first.
    pub(crate) async fn receipts_of(&self, expenses: Vec<i32>) -> Result<HashMap<i32, Vec<ReceiptMeta>>, StoreError> {
        let mut out: HashMap<i32, Vec<ReceiptMeta>> = HashMap::new();
        if expenses.is_empty() {
            return Ok(out);
        }
        let rows: Vec<MetaTuple> = meta_query()
            .filter(rec::Column::ExpenseId.is_in(expenses))
            .order_by_asc(rec::Column::Id)
            .into_tuple()
            .all(self.conn())
            .await?;
        for r in rows.into_iter().map(meta) {
            out.entry(r.expense_id.get()).or_default().push(r);
        }
        Ok(out)
    }

    /// Adds a receipt to a line while the line may change, unless it has `max` already
    /// (`Conflict("too_many_receipts")`); audited on the line (without the bytes).
    pub async fn add_receipt(
        &self,
        expense_id: ExpenseId,
        file: NewAttachment,
        max: u64,
        actor: &Actor,
    ) -> Result<ReceiptMeta, StoreError> {
        let w = self.write().await?;
        let c = &w.txn;
        let line = expense::Entity::find_by_id(expense_id.get()).one(c).await?.ok_or(StoreError::NotFound)?;
        bump(c, ReceptionId(line.reception_id), line.adjusting).await?;
        let n = rec::Entity::find().filter(rec::Column::ExpenseId.eq(expense_id.get())).count(c).await?;
        if n >= max {
            return Err(StoreError::Conflict("too_many_receipts"));
        }
        let size = i64::try_from(file.data.len()).unwrap_or(i64::MAX);
        let m = rec::ActiveModel {
            expense_id: Set(expense_id.get()),
            reception_id: Set(line.reception_id),
            name: Set(file.name.clone()),
            content_type: Set(file.content_type.clone()),
            size: Set(size),
            data: Set(file.data),
            uploaded_by: Set(actor.user_id.map(UserId::get)),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(c)
        .await?;
        let after =
            json!({ "receipt": { "id": m.id, "name": m.name, "content_type": m.content_type, "size": m.size } });
        record(c, actor, "expense", Some(expense_id.to_string()), "attach", None::<&()>, Some(&after)).await?;
        w.commit().await?;
        Ok(meta((m.id, m.expense_id, m.reception_id, m.name, m.content_type, m.size, m.uploaded_by, m.created_at)))
    }

    /// One receipt's description.
    pub async fn receipt_meta(&self, id: ReceiptId) -> Result<ReceiptMeta, StoreError> {
        let row: Option<MetaTuple> =
            meta_query().filter(rec::Column::Id.eq(id.get())).into_tuple().one(self.conn()).await?;
        row.map(meta).ok_or(StoreError::NotFound)
    }

    /// One receipt's bytes.
    pub async fn receipt_data(&self, id: ReceiptId) -> Result<Vec<u8>, StoreError> {
        let data: Option<Vec<u8>> = rec::Entity::find_by_id(id.get())
            .select_only()
            .column(rec::Column::Data)
            .into_tuple()
            .one(self.conn())
            .await?;
        data.ok_or(StoreError::NotFound)
    }

    /// Removes a receipt while its line may change; audited on the line.
    pub async fn delete_receipt(&self, id: ReceiptId, actor: &Actor) -> Result<ReceiptMeta, StoreError> {
        let w = self.write().await?;
        let c = &w.txn;
        let row: Option<MetaTuple> = meta_query().filter(rec::Column::Id.eq(id.get())).into_tuple().one(c).await?;
        let m = meta(row.ok_or(StoreError::NotFound)?);
        let line = expense::Entity::find_by_id(m.expense_id.get()).one(c).await?.ok_or(StoreError::NotFound)?;
        bump(c, m.reception_id, line.adjusting).await?;
        rec::Entity::delete_by_id(id.get()).exec(c).await?;
        let before =
            json!({ "receipt": { "id": m.id.get(), "name": m.name, "content_type": m.content_type, "size": m.size } });
        record(c, actor, "expense", Some(m.expense_id.to_string()), "detach", Some(&before), None::<&()>).await?;
        w.commit().await?;
        Ok(m)
    }
}
