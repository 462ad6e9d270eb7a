use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "receptions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub code: String,
    pub code_year: i32,
    pub code_seq: i32,
    pub state: String,
    pub department_id: i32,
    pub requester_id: i32,
    pub visit_start: ChronoDate,
    pub visit_end: ChronoDate,
    pub guest_organization: String,
    pub guest_name: String,
    pub purpose: String,
    pub tier: Option<String>,
    pub headcount: i32,
    pub budget_fen: Option<i64>,
    pub late: bool,
    pub late_working_days: i32,
    pub submitted_at: Option<ChronoDateTimeUtc>,
    pub procedure_version: i32,
    pub state_note: String,
    /// Why the request comes after its proposal deadline.
    pub late_reason: String,
    pub approver_id: Option<i32>,
    pub coordinator_id: Option<i32>,
    pub version: i32,
    pub attachment_count: i32,
    pub created_at: ChronoDateTimeUtc,
    pub updated_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The request's form, in its own table (one per reception, sharing its id). Declared
    /// from this side only, so the form's entity need not know the reception's.
    #[sea_orm(
        belongs_to = "super::reception_form::Entity",
        from = "Column::Id",
        to = "super::reception_form::Column::ReceptionId"
    )]
    Form,
}

impl Related<super::reception_form::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Form.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
