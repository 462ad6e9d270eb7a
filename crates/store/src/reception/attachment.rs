//! Files on a request, their bytes kept in the database so that every instance serves
//! them. Adding and removing one is audited on the reception (without the bytes).

use chrono::{DateTime, Utc};
use jiedai_domain::{Actor, ReceptionId, UserId};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set};

use crate::audit::record;
use crate::entity::{reception, reception_attachment as att};
use crate::{Store, StoreError};

/// An attachment without its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentMeta {
    /// Id.
    pub id: i32,
    /// The reception it belongs to.
    pub reception_id: ReceptionId,
    /// File name as uploaded (cleaned).
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

/// A file to attach.
#[derive(Debug, Clone)]
pub struct NewAttachment {
    /// File name (cleaned).
    pub name: String,
    /// Content type, from the bytes.
    pub content_type: String,
    /// The bytes.
    pub data: Vec<u8>,
}

type MetaTuple = (i32, i32, String, String, i64, Option<i32>, DateTime<Utc>);

fn meta((id, reception_id, name, content_type, size, by, at): MetaTuple) -> AttachmentMeta {
    AttachmentMeta {
        id,
        reception_id: ReceptionId(reception_id),
        name,
        content_type,
        size,
        uploaded_by: by.map(UserId),
        created_at: at,
    }
}

fn meta_query() -> sea_orm::Select<att::Entity> {
    att::Entity::find().select_only().columns([
        att::Column::Id,
        att::Column::ReceptionId,
        att::Column::Name,
        att::Column::ContentType,
        att::Column::Size,
        att::Column::UploadedBy,
        att::Column::CreatedAt,
    ])
}

/// Keeps a reception's count of files with its files (in the same transaction).
async fn count_attachments<C: sea_orm::ConnectionTrait>(c: &C, reception_id: i32, by: i32) -> Result<(), StoreError> {
    use sea_orm::sea_query::{Expr, ExprTrait};
    reception::Entity::update_many()
        .col_expr(reception::Column::AttachmentCount, Expr::col(reception::Column::AttachmentCount).add(by))
        .filter(reception::Column::Id.eq(reception_id))
        .exec(c)
        .await?;
    Ok(())
}

impl Store {
    /// Attaches a file to a reception, unless it has `max` already
    /// ([`StoreError::Conflict`] `too_many_attachments`).
    pub async fn add_attachment(
        &self,
        reception_id: ReceptionId,
        file: NewAttachment,
        max: u64,
        actor: &Actor,
    ) -> Result<AttachmentMeta, StoreError> {
        let w = self.write().await?;
        let c = &w.txn;
        if reception::Entity::find_by_id(reception_id.get()).one(c).await?.is_none() {
            return Err(StoreError::NotFound);
        }
        let n = att::Entity::find().filter(att::Column::ReceptionId.eq(reception_id.get())).count(c).await?;
        if n >= max {
            return Err(StoreError::Conflict("too_many_attachments"));
        }
        let size = i64::try_from(file.data.len()).unwrap_or(i64::MAX);
        let m = att::ActiveModel {
            reception_id: Set(reception_id.get()),
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
        count_attachments(c, reception_id.get(), 1).await?;
        let after = serde_json::json!({ "attachment": { "id": m.id, "name": m.name, "content_type": m.content_type, "size": m.size } });
        record(c, actor, "reception", Some(reception_id.to_string()), "attach", None::<&()>, Some(&after)).await?;
        w.commit().await?;
        Ok(meta((m.id, m.reception_id, m.name, m.content_type, m.size, m.uploaded_by, m.created_at)))
    }

    /// The attachments of a reception, oldest first, without their bytes.
    pub async fn list_attachments(&self, reception_id: ReceptionId) -> Result<Vec<AttachmentMeta>, StoreError> {
        let rows: Vec<MetaTuple> = meta_query()
            .filter(att::Column::ReceptionId.eq(reception_id.get()))
            .order_by_asc(att::Column::Id)
            .into_tuple()
            .all(self.conn())
            .await?;
        Ok(rows.into_iter().map(meta).collect())
    }

    /// One attachment's description.
    pub async fn attachment_meta(&self, id: i32) -> Result<AttachmentMeta, StoreError> {
        let row: Option<MetaTuple> = meta_query().filter(att::Column::Id.eq(id)).into_tuple().one(self.conn()).await?;
        row.map(meta).ok_or(StoreError::NotFound)
    }

    /// One attachment's bytes.
    pub async fn attachment_data(&self, id: i32) -> Result<Vec<u8>, StoreError> {
        let data: Option<Vec<u8>> =
            att::Entity::find_by_id(id).select_only().column(att::Column::Data).into_tuple().one(self.conn()).await?;
        data.ok_or(StoreError::NotFound)
    }

    /// Removes an attachment.
    pub async fn delete_attachment(&self, id: i32, actor: &Actor) -> Result<(), StoreError> {
        let w = self.write().await?;
        let c = &w.txn;
        let row: Option<MetaTuple> = meta_query().filter(att::Column::Id.eq(id)).into_tuple().one(c).await?;
        let m = meta(row.ok_or(StoreError::NotFound)?);
        att::Entity::delete_by_id(id).exec(c).await?;
        count_attachments(c, m.reception_id.get(), -1).await?;
        let before = serde_json::json!({ "attachment": { "id": m.id, "name": m.name, "content_type": m.content_type, "size": m.size } });
        record(c, actor, "reception", Some(m.reception_id.to_string()), "detach", Some(&before), None::<&()>).await?;
        w.commit().await?;
        Ok(())
    }
}
