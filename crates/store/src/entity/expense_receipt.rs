use sea_orm::entity::prelude::*;

/// A receipt of an expense, its bytes kept in the database.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "expense_receipts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub expense_id: i32,
    pub reception_id: i32,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub data: Vec<u8>,
    pub uploaded_by: Option<i32>,
    pub created_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
