use sea_orm::entity::prelude::*;

/// A reception's agenda: its items as a JSON array.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "agendas")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub reception_id: i32,
    pub items: String,
    pub version: i32,
    pub updated_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
