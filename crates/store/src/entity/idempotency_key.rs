use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "idempotency_keys")]
pub struct Model {
    /// Who sent the request: keys are per person.
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i32,
    /// The key the client chose.
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    /// SHA-256 of the method, path and body: a repeat must match it.
    pub fingerprint: String,
    /// When the first request claimed the key (renewed when an abandoned claim is taken over).
    pub claimed_at: ChronoDateTimeUtc,
    /// When the first request finished; `None` while it runs.
    pub done_at: Option<ChronoDateTimeUtc>,
    /// The answer's status.
    pub status: Option<i32>,
    /// The answer's `Location`, if any.
    pub location: Option<String>,
    /// The answer's content type, if any.
    pub content_type: Option<String>,
    /// The answer's body.
    pub body: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
