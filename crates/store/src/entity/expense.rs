use sea_orm::entity::prelude::*;

/// An expense line of a reception's settlement.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "expenses")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub reception_id: i32,
    pub category: String,
    pub amount_fen: i64,
    pub date: ChronoDate,
    pub paid_by_user_id: Option<i32>,
    pub vendor: String,
    pub note: String,
    pub adjusting: bool,
    pub reason: String,
    pub item_line_id: Option<i32>,
    pub version: i32,
    pub created_by: Option<i32>,
    pub created_at: ChronoDateTimeUtc,
    pub updated_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
