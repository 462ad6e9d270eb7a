use sea_orm::entity::prelude::*;

/// A reception's settlement: its state and version.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "settlements")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub reception_id: i32,
    pub state: String,
    pub version: i32,
    pub comment: String,
    pub submitted_by: Option<i32>,
    pub submitted_at: Option<ChronoDateTimeUtc>,
    pub decided_by: Option<i32>,
    pub decided_at: Option<ChronoDateTimeUtc>,
    pub approved_at: Option<ChronoDateTimeUtc>,
    pub updated_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
