use sea_orm::entity::prelude::*;

/// An event in the outbox, written with the change that caused it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub event: String,
    pub reception_id: Option<i32>,
    pub task_id: Option<i32>,
    pub actor_user_id: Option<i32>,
    pub data: String,
    pub dedupe: Option<String>,
    pub created_at: ChronoDateTimeUtc,
    pub fanned_at: Option<ChronoDateTimeUtc>,
    pub lease_until: Option<ChronoDateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
