use sea_orm::entity::prelude::*;

/// A kind of material in storage.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "stock_items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub category: String,
    pub name: String,
    pub unit: String,
    pub on_hand: i64,
    pub reusable: bool,
    pub storage: String,
    pub unit_cost_fen: i64,
    pub low_stock: i64,
    pub active: bool,
    pub version: i32,
    pub updated_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
