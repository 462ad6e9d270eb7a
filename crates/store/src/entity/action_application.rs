use sea_orm::entity::prelude::*;

/// An improvement action marked applied on a later reception.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "action_applications")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub action_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub reception_id: i32,
    pub applied_by: Option<i32>,
    pub applied_at: ChronoDateTimeUtc,
    pub note: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
