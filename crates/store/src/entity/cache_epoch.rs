use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cache_epochs")]
pub struct Model {
    /// `auth`, `calendar`, `procedure`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub topic: String,
    /// Bumped by every write that changes the topic's data.
    pub epoch: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
