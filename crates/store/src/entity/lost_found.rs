use sea_orm::entity::prelude::*;

/// Something a guest left behind.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "lost_found")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub reception_id: i32,
    pub what: String,
    pub found_where: String,
    pub found_at: ChronoDateTimeUtc,
    pub found_by: Option<i32>,
    pub kept_at: String,
    pub notes: String,
    pub returned_to: Option<String>,
    pub returned_at: Option<ChronoDateTimeUtc>,
    pub means: Option<String>,
    pub tracking: String,
    pub return_note: String,
    pub version: i32,
    pub created_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
