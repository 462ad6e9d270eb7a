use sea_orm::entity::prelude::*;

/// A car.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "vehicles")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub model: String,
    pub seats: i32,
    pub plate: String,
    pub default_driver_id: Option<i32>,
    pub notes: String,
    pub active: bool,
    pub version: i32,
    pub updated_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
