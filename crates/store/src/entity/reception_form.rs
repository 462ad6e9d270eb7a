use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reception_forms")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub reception_id: i32,
    /// The whole request form as JSON.
    pub form: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
