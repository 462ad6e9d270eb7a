use sea_orm::entity::prelude::*;

/// One response to a reception's survey.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "survey_responses")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub reception_id: i32,
    pub kind: String,
    pub link_id: Option<i32>,
    pub user_id: Option<i32>,
    pub procedure_version: i32,
    pub comment: String,
    pub item_comments: String,
    pub answered_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
