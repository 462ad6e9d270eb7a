use sea_orm::entity::prelude::*;

/// An improvement action decided at a review meeting.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "improvement_actions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub reception_id: i32,
    pub what: String,
    pub owner_id: i32,
    pub due_on: ChronoDate,
    pub state: String,
    pub done_note: String,
    pub done_at: Option<ChronoDateTimeUtc>,
    pub done_by: Option<i32>,
    pub created_by: Option<i32>,
    pub version: i32,
    pub created_at: ChronoDateTimeUtc,
    pub updated_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
