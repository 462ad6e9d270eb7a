use sea_orm::entity::prelude::*;

/// One item's score of one response.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "survey_scores")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub response_id: i32,
    pub reception_id: i32,
    pub item_key: String,
    pub score: i32,
    pub reference: i32,
    pub kind: String,
    pub answered_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
