use sea_orm::entity::prelude::*;

/// An event's delivery to one e-mail recipient or one channel.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "deliveries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub event_id: i64,
    pub target: String,
    pub user_id: Option<i32>,
    pub channel_id: Option<i32>,
    pub status: String,
    pub attempts: i32,
    pub next_at: ChronoDateTimeUtc,
    pub lease_until: Option<ChronoDateTimeUtc>,
    pub last_error: String,
    pub created_at: ChronoDateTimeUtc,
    pub updated_at: ChronoDateTimeUtc,
    pub sent_at: Option<ChronoDateTimeUtc>,
    pub digest_of: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
