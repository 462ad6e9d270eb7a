use sea_orm::entity::prelude::*;

/// A reception whose survey was waived.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "survey_waivers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub reception_id: i32,
    pub reason: String,
    pub waived_by: Option<i32>,
    pub waived_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
