//! The review meeting and its improvement actions (J10):
//! - `review_minutes`: one per reception, when it was held, who attended (users, and other
//!   names), each group's report and the decisions (as JSON text), with a version;
//! - `improvement_actions`: what, whose, by when, from which reception, open or done (with
//!   its note); plain columns `state`, `due_on`, `reception_id`, `owner_id` so that reports
//!   count open and overdue actions in SQL;
//! - `action_applications`: an action marked applied on a later reception (once each).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Receptions {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ReviewMinutes {
    Table,
    ReceptionId,
    HeldAt,
    AttendeeIds,
    OtherAttendees,
    Reports,
    Decisions,
    RecordedBy,
    Version,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ImprovementActions {
    Table,
    Id,
    ReceptionId,
    What,
    OwnerId,
    DueOn,
    State,
    DoneNote,
    DoneAt,
    DoneBy,
    CreatedBy,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ActionApplications {
    Table,
    ActionId,
    ReceptionId,
    AppliedBy,
    AppliedAt,
    Note,
}

fn fk_user<T: IntoIden + 'static>(table: T, col: T) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(table, col).to(Users::Table, Users::Id).to_owned()
}

fn fk_reception<T: IntoIden + 'static>(table: T, col: T) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(table, col).to(Receptions::Table, Receptions::Id).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ReviewMinutes::Table)
                .col(ColumnDef::new(ReviewMinutes::ReceptionId).integer().not_null().primary_key())
                .col(ColumnDef::new(ReviewMinutes::HeldAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(ReviewMinutes::AttendeeIds).text().not_null())
                .col(ColumnDef::new(ReviewMinutes::OtherAttendees).text().not_null())
                .col(ColumnDef::new(ReviewMinutes::Reports).text().not_null())
                .col(ColumnDef::new(ReviewMinutes::Decisions).text().not_null())
                .col(ColumnDef::new(ReviewMinutes::RecordedBy).integer())
                .col(ColumnDef::new(ReviewMinutes::Version).integer().not_null().default(1))
                .col(ColumnDef::new(ReviewMinutes::UpdatedAt).timestamp_with_time_zone().not_null())
                .foreign_key(&mut fk_reception(ReviewMinutes::Table, ReviewMinutes::ReceptionId))
                .foreign_key(&mut fk_user(ReviewMinutes::Table, ReviewMinutes::RecordedBy))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ImprovementActions::Table)
                .col(ColumnDef::new(ImprovementActions::Id).integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(ImprovementActions::ReceptionId).integer().not_null())
                .col(ColumnDef::new(ImprovementActions::What).string_len(200).not_null())
                .col(ColumnDef::new(ImprovementActions::OwnerId).integer().not_null())
                .col(ColumnDef::new(ImprovementActions::DueOn).date().not_null())
                .col(ColumnDef::new(ImprovementActions::State).string_len(8).not_null().default("open"))
                .col(ColumnDef::new(ImprovementActions::DoneNote).string_len(500).not_null().default(""))
                .col(ColumnDef::new(ImprovementActions::DoneAt).timestamp_with_time_zone())
                .col(ColumnDef::new(ImprovementActions::DoneBy).integer())
                .col(ColumnDef::new(ImprovementActions::CreatedBy).integer())
                .col(ColumnDef::new(ImprovementActions::Version).integer().not_null().default(1))
                .col(ColumnDef::new(ImprovementActions::CreatedAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(ImprovementActions::UpdatedAt).timestamp_with_time_zone().not_null())
                .foreign_key(&mut fk_reception(ImprovementActions::Table, ImprovementActions::ReceptionId))
                .foreign_key(&mut fk_user(ImprovementActions::Table, ImprovementActions::OwnerId))
                .foreign_key(&mut fk_user(ImprovementActions::Table, ImprovementActions::DoneBy))
                .foreign_key(&mut fk_user(ImprovementActions::Table, ImprovementActions::CreatedBy))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_improvement_actions_state_due")
                .table(ImprovementActions::Table)
                .col(ImprovementActions::State)
                .col(ImprovementActions::DueOn)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_improvement_actions_owner")
                .table(ImprovementActions::Table)
                .col(ImprovementActions::OwnerId)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_improvement_actions_reception")
                .table(ImprovementActions::Table)
                .col(ImprovementActions::ReceptionId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ActionApplications::Table)
                .col(ColumnDef::new(ActionApplications::ActionId).integer().not_null())
                .col(ColumnDef::new(ActionApplications::ReceptionId).integer().not_null())
                .col(ColumnDef::new(ActionApplications::AppliedBy).integer())
                .col(ColumnDef::new(ActionApplications::AppliedAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(ActionApplications::Note).string_len(500).not_null().default(""))
                .primary_key(Index::create().col(ActionApplications::ActionId).col(ActionApplications::ReceptionId))
                .foreign_key(
                    ForeignKey::create()
                        .from(ActionApplications::Table, ActionApplications::ActionId)
                        .to(ImprovementActions::Table, ImprovementActions::Id),
                )
                .foreign_key(&mut fk_reception(ActionApplications::Table, ActionApplications::ReceptionId))
                .foreign_key(&mut fk_user(ActionApplications::Table, ActionApplications::AppliedBy))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_action_applications_reception")
                .table(ActionApplications::Table)
                .col(ActionApplications::ReceptionId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ActionApplications::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(ImprovementActions::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(ReviewMinutes::Table).to_owned()).await
    }
}
