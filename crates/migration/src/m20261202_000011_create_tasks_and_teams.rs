//! The task division (Attachment 2) and the groups that carry it out:
//! - `teams`: the groups of the task division (司机, 嘉宾组…), each with a key, its names and
//!   a default lead (the suggested responsible for its tasks);
//! - `team_members`: who is in each group;
//! - `tasks`: a reception's tasks, generated when it is taken on from its procedure
//!   version's template, with their due day and time, responsible and assistant, status,
//!   note, the reason a task was waived, and a version for concurrent edits;
//! - `receptions.attachment_count`: how many files a reception holds (its page lists them
//!   only when there are some);
//! - a `receptions` change mark in `cache_epochs`, which every write of a reception bumps
//!   (the list's counts are cached until it moves).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Receptions {
    Table,
    Id,
    AttachmentCount,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum CacheEpochs {
    Table,
    Topic,
    Epoch,
}

#[derive(DeriveIden)]
enum Teams {
    Table,
    Id,
    Key,
    NameZh,
    NameEn,
    LeadUserId,
    Version,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum TeamMembers {
    Table,
    TeamId,
    UserId,
}

#[derive(DeriveIden)]
enum Tasks {
    Table,
    Id,
    ReceptionId,
    Position,
    Phase,
    GroupKey,
    TitleZh,
    TitleEn,
    DutiesZh,
    DutiesEn,
    Due,
    DueTime,
    ResponsibleId,
    AssistantId,
    Status,
    Note,
    WaiveReason,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Receptions::Table)
                .add_column(ColumnDef::new(Receptions::AttachmentCount).integer().not_null().default(0))
                .to_owned(),
        )
        .await?;
        m.get_connection()
            .execute_unprepared(
                "UPDATE receptions SET attachment_count = \
                 (SELECT COUNT(*) FROM reception_attachments a WHERE a.reception_id = receptions.id)",
            )
            .await?;
        m.create_table(
            Table::create()
                .table(Teams::Table)
                .col(ColumnDef::new(Teams::Id).integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(Teams::Key).string_len(32).not_null().unique_key())
                .col(ColumnDef::new(Teams::NameZh).string_len(64).not_null())
                .col(ColumnDef::new(Teams::NameEn).string_len(64).not_null())
                .col(ColumnDef::new(Teams::LeadUserId).integer())
                .col(ColumnDef::new(Teams::Version).integer().not_null().default(1))
                .col(ColumnDef::new(Teams::UpdatedAt).timestamp_with_time_zone().not_null())
                .foreign_key(ForeignKey::create().from(Teams::Table, Teams::LeadUserId).to(Users::Table, Users::Id))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(TeamMembers::Table)
                .col(ColumnDef::new(TeamMembers::TeamId).integer().not_null())
                .col(ColumnDef::new(TeamMembers::UserId).integer().not_null())
                .primary_key(Index::create().col(TeamMembers::TeamId).col(TeamMembers::UserId))
                .foreign_key(
                    ForeignKey::create().from(TeamMembers::Table, TeamMembers::TeamId).to(Teams::Table, Teams::Id),
                )
                .foreign_key(
                    ForeignKey::create().from(TeamMembers::Table, TeamMembers::UserId).to(Users::Table, Users::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("idx_team_members_user").table(TeamMembers::Table).col(TeamMembers::UserId).to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Tasks::Table)
                .col(ColumnDef::new(Tasks::Id).integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(Tasks::ReceptionId).integer().not_null())
                .col(ColumnDef::new(Tasks::Position).integer().not_null())
                .col(ColumnDef::new(Tasks::Phase).string_len(16).not_null())
                .col(ColumnDef::new(Tasks::GroupKey).string_len(32).not_null())
                .col(ColumnDef::new(Tasks::TitleZh).string_len(200).not_null())
                .col(ColumnDef::new(Tasks::TitleEn).string_len(200).not_null())
                .col(ColumnDef::new(Tasks::DutiesZh).string_len(1000).not_null().default(""))
                .col(ColumnDef::new(Tasks::DutiesEn).string_len(1000).not_null().default(""))
                .col(ColumnDef::new(Tasks::Due).date().not_null())
                .col(ColumnDef::new(Tasks::DueTime).time())
                .col(ColumnDef::new(Tasks::ResponsibleId).integer())
                .col(ColumnDef::new(Tasks::AssistantId).integer())
                .col(ColumnDef::new(Tasks::Status).string_len(16).not_null())
                .col(ColumnDef::new(Tasks::Note).string_len(1000).not_null().default(""))
                .col(ColumnDef::new(Tasks::WaiveReason).string_len(500).not_null().default(""))
                .col(ColumnDef::new(Tasks::Version).integer().not_null().default(1))
                .col(ColumnDef::new(Tasks::CreatedAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(Tasks::UpdatedAt).timestamp_with_time_zone().not_null())
                .foreign_key(
                    ForeignKey::create().from(Tasks::Table, Tasks::ReceptionId).to(Receptions::Table, Receptions::Id),
                )
                .foreign_key(ForeignKey::create().from(Tasks::Table, Tasks::ResponsibleId).to(Users::Table, Users::Id))
                .foreign_key(ForeignKey::create().from(Tasks::Table, Tasks::AssistantId).to(Users::Table, Users::Id))
                .to_owned(),
        )
        .await?;
        for (name, col) in [
            ("idx_tasks_reception", Tasks::ReceptionId),
            ("idx_tasks_responsible", Tasks::ResponsibleId),
            ("idx_tasks_assistant", Tasks::AssistantId),
        ] {
            m.create_index(Index::create().name(name).table(Tasks::Table).col(col).to_owned()).await?;
        }
        let mut mark = Query::insert();
        mark.into_table(CacheEpochs::Table)
            .columns([CacheEpochs::Topic, CacheEpochs::Epoch])
            .values_panic(["receptions".into(), 0i64.into()]);
        m.exec_stmt(mark).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut mark = Query::delete();
        mark.from_table(CacheEpochs::Table).and_where(Expr::col(CacheEpochs::Topic).eq("receptions"));
        m.exec_stmt(mark).await?;
        m.drop_table(Table::drop().table(Tasks::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(TeamMembers::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(Teams::Table).to_owned()).await?;
        m.alter_table(Table::alter().table(Receptions::Table).drop_column(Receptions::AttachmentCount).to_owned()).await
    }
}
