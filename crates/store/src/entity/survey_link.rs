use sea_orm::entity::prelude::*;

/// A guest's link to a reception's survey.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "survey_links")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub reception_id: i32,
    pub token_hash: String,
    pub nonce: String,
    pub email: Option<String>,
    pub language: String,
    pub created_by: Option<i32>,
    pub created_at: ChronoDateTimeUtc,
    pub expires_at: ChronoDateTimeUtc,
    pub used_at: Option<ChronoDateTimeUtc>,
    pub withdrawn_at: Option<ChronoDateTimeUtc>,
    pub invite_event_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
