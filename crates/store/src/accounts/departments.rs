//! Departments and their heads.

use std::collections::HashMap;

use chrono::Utc;
use jiedai_domain::{Actor, Department, DepartmentId, UserId};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use serde::Serialize;

use crate::audit::record;
use crate::entity::{department, user};
use crate::error::is_unique_violation;
use crate::{Store, StoreError, Topic};

#[derive(Serialize)]
struct DepartmentSnapshot<'a> {
    name: &'a str,
    head_user_id: Option<UserId>,
}

async fn hydrate<C: ConnectionTrait>(c: &C, rows: Vec<department::Model>) -> Result<Vec<Department>, StoreError> {
    let ids: Vec<i32> = rows.iter().map(|d| d.id).collect();
    let heads: Vec<i32> = rows.iter().filter_map(|d| d.head_user_id).collect();
    let names: HashMap<i32, String> = if heads.is_empty() {
        HashMap::new()
    } else {
        user::Entity::find()
            .filter(user::Column::Id.is_in(heads))
            .all(c)
            .await?
            .into_iter()
            .map(|u| (u.id, u.display_name))
            .collect()
    };
    let counts: HashMap<i32, i64> = if ids.is_empty() {
        HashMap::new()
    } else {
        user::Entity::find()
            .select_only()
            .column(user::Column::DepartmentId)
            .column_as(user::Column::Id.count(), "n")
            .filter(user::Column::Active.eq(true))
            .filter(user::Column::DepartmentId.is_in(ids))
            .group_by(user::Column::DepartmentId)
            .into_tuple::<(Option<i32>, i64)>()
            .all(c)
            .await?
            .into_iter()
            .filter_map(|(d, n)| d.map(|d| (d, n)))
            .collect()
    };
    Ok(rows
        .into_iter()
        .map(|m| Department {
            id: DepartmentId(m.id),
            head_name: m.head_user_id.and_then(|h| names.get(&h).cloned()),
            member_count: counts.get(&m.id).copied().unwrap_or(0),
            name: m.name,
            head_user_id: m.head_user_id.map(UserId),
            updated_at: m.updated_at,
            version: m.version,
        })
        .collect())
}

async fn load<C: ConnectionTrait>(c: &C, id: DepartmentId) -> Result<Department, StoreError> {
    let m = department::Entity::find_by_id(id.get()).one(c).await?.ok_or(StoreError::NotFound)?;
    Ok(hydrate(c, vec![m]).await?.remove(0))
}

async fn check_head<C: ConnectionTrait>(c: &C, head: Option<UserId>) -> Result<(), StoreError> {
    if let Some(h) = head
        && user::Entity::find_by_id(h.get()).one(c).await?.is_none()
    {
        return Err(StoreError::InvalidReference("head_user_id"));
    }
    Ok(())
}

fn unique(e: sea_orm::DbErr) -> StoreError {
    if is_unique_violation(&e) { StoreError::Conflict("name") } else { e.into() }
}

impl Store {
    /// Every department's name by id (for labelling lists), in one query.
    pub async fn department_names(&self) -> Result<Vec<(DepartmentId, String)>, StoreError> {
        let v = department::Entity::find()
            .select_only()
            .column(department::Column::Id)
            .column(department::Column::Name)
            .into_tuple::<(i32, String)>()
            .all(self.conn())
            .await?;
        Ok(v.into_iter().map(|(id, name)| (DepartmentId(id), name)).collect())
    }

    /// The departments a user heads.
    pub async fn departments_headed_by(&self, user_id: UserId) -> Result<Vec<DepartmentId>, StoreError> {
        let v = department::Entity::find()
            .select_only()
            .column(department::Column::Id)
            .filter(department::Column::HeadUserId.eq(user_id.get()))
            .into_tuple::<i32>()
            .all(self.conn())
            .await?;
        Ok(v.into_iter().map(DepartmentId).collect())
    }

    /// Every department, by name.
    pub async fn list_departments(&self) -> Result<Vec<Department>, StoreError> {
        let rows = department::Entity::find().order_by_asc(department::Column::Name).all(self.conn()).await?;
        hydrate(self.conn(), rows).await
    }

    /// One department.
    pub async fn get_department(&self, id: DepartmentId) -> Result<Department, StoreError> {
        load(self.conn(), id).await
    }

    /// A department by exact name.
    pub async fn find_department_by_name(&self, name: &str) -> Result<Option<Department>, StoreError> {
        let Some(m) = department::Entity::find().filter(department::Column::Name.eq(name)).one(self.conn()).await?
        else {
            return Ok(None);
        };
        Ok(Some(hydrate(self.conn(), vec![m]).await?.remove(0)))
    }

    /// Creates a department, audited.
    pub async fn create_department(
        &self,
        name: String,
        head_user_id: Option<UserId>,
        actor: &Actor,
    ) -> Result<Department, StoreError> {
        let mut w = self.write().await?;
        w.touch(Topic::Auth).await?;
        let c = &w.txn;
        check_head(c, head_user_id).await?;
        let now = Utc::now();
        let m = department::ActiveModel {
            name: Set(name),
            head_user_id: Set(head_user_id.map(UserId::get)),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        }
        .insert(c)
        .await
        .map_err(unique)?;
        let snap = DepartmentSnapshot { name: &m.name, head_user_id: m.head_user_id.map(UserId) };
        record(c, actor, "department", Some(m.id.to_string()), "create", None::<&()>, Some(&snap)).await?;
        let d = load(c, DepartmentId(m.id)).await?;
        w.commit().await?;
        Ok(d)
    }

    /// Renames a department or changes its head, if unchanged since `version`.
    pub async fn update_department(
        &self,
        id: DepartmentId,
        version: i32,
        name: String,
        head_user_id: Option<UserId>,
        actor: &Actor,
    ) -> Result<Department, StoreError> {
        let mut w = self.write().await?;
        w.touch(Topic::Auth).await?;
        let c = &w.txn;
        let before = load(c, id).await?;
        if before.version != version {
            return Err(StoreError::StaleVersion);
        }
        check_head(c, head_user_id).await?;
        let res = department::Entity::update_many()
            .col_expr(department::Column::Name, Expr::value(name.clone()))
            .col_expr(department::Column::HeadUserId, Expr::value(head_user_id.map(UserId::get)))
            .col_expr(department::Column::UpdatedAt, Expr::value(Utc::now()))
            .col_expr(department::Column::Version, Expr::value(version + 1))
            .filter(department::Column::Id.eq(id.get()))
            .filter(department::Column::Version.eq(version))
            .exec(c)
            .await
            .map_err(unique)?;
        if res.rows_affected != 1 {
            return Err(StoreError::StaleVersion);
        }
        let b = DepartmentSnapshot { name: &before.name, head_user_id: before.head_user_id };
        let a = DepartmentSnapshot { name: &name, head_user_id };
        record(c, actor, "department", Some(id.to_string()), "update", Some(&b), Some(&a)).await?;
        let d = load(c, id).await?;
        w.commit().await?;
        Ok(d)
    }
}
