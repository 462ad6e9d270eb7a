use sea_orm::entity::prelude::*;

/// The minutes of a reception's review meeting: attendees and reports as JSON text.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "review_minutes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub reception_id: i32,
    pub held_at: ChronoDateTimeUtc,
    pub attendee_ids: String,
    pub other_attendees: String,
    pub reports: String,
    pub decisions: String,
    pub recorded_by: Option<i32>,
    pub version: i32,
    pub updated_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
