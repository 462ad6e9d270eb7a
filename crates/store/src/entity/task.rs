use sea_orm::entity::prelude::*;

/// A task of a reception (a line of Attachment 2).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tasks")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub reception_id: i32,
    pub position: i32,
    pub phase: String,
    pub group_key: String,
    pub title_zh: String,
    pub title_en: String,
    pub duties_zh: String,
    pub duties_en: String,
    pub due: ChronoDate,
    pub due_time: Option<ChronoTime>,
    pub responsible_id: Option<i32>,
    pub assistant_id: Option<i32>,
    pub status: String,
    pub note: String,
    pub waive_reason: String,
    pub version: i32,
    pub done_on: Option<ChronoDate>,
    pub created_at: ChronoDateTimeUtc,
    pub updated_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
