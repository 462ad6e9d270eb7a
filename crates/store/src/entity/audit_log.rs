use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub at: ChronoDateTimeUtc,
    pub actor_user_id: Option<i32>,
    pub actor_label: String,
    pub entity: String,
    pub entity_id: Option<String>,
    pub action: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub ip: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
