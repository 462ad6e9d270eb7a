use sea_orm::entity::prelude::*;

/// A line of the stock ledger.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "stock_movements")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub stock_item_id: i32,
    pub reception_id: Option<i32>,
    pub item_line_id: Option<i32>,
    pub kind: String,
    pub quantity: i64,
    pub delta: i64,
    pub on_hand_after: i64,
    pub note: String,
    pub actor_user_id: Option<i32>,
    pub actor_label: String,
    pub at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
