use sea_orm::entity::prelude::*;

/// A line of a reception's item list (Attachment 3).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "item_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub reception_id: i32,
    pub position: i32,
    pub category: String,
    pub name: String,
    pub unit: String,
    pub quantity: i32,
    pub responsible_id: Option<i32>,
    pub source: String,
    pub stock_item_id: Option<i32>,
    pub vendor: String,
    pub return_due: Option<ChronoDate>,
    pub checked: bool,
    pub notes: String,
    pub counted_out_at: Option<ChronoDateTimeUtc>,
    pub returned: Option<i32>,
    pub consumed: Option<i32>,
    pub lost: Option<i32>,
    pub damaged: Option<i32>,
    pub count_note: String,
    pub written_off: bool,
    pub counted_back_at: Option<ChronoDateTimeUtc>,
    pub version: i32,
    pub updated_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
