//! The day and the calendar feeds:
//! - `agendas`: a reception's agenda (议程), its items as a JSON array written whole by
//!   General Management, with a version for concurrent edits;
//! - `calendar_feeds`: a person's private .ics feed, found by the SHA-256 of the secret its
//!   URL carries (the secret itself is never stored); renewing replaces the row, so the old
//!   URL stops at once;
//! - a `tasks` change mark in `cache_epochs`, which every write of a task bumps (my tasks and
//!   the board are kept until it moves).

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
enum CacheEpochs {
    Table,
    Topic,
    Epoch,
}

#[derive(DeriveIden)]
enum Agendas {
    Table,
    ReceptionId,
    Items,
    Version,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CalendarFeeds {
    Table,
    UserId,
    SecretHash,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Agendas::Table)
                .col(ColumnDef::new(Agendas::ReceptionId).integer().not_null().primary_key())
                .col(ColumnDef::new(Agendas::Items).text().not_null())
                .col(ColumnDef::new(Agendas::Version).integer().not_null().default(1))
                .col(ColumnDef::new(Agendas::UpdatedAt).timestamp_with_time_zone().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .from(Agendas::Table, Agendas::ReceptionId)
                        .to(Receptions::Table, Receptions::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(CalendarFeeds::Table)
                .col(ColumnDef::new(CalendarFeeds::UserId).integer().not_null().primary_key())
                .col(ColumnDef::new(CalendarFeeds::SecretHash).string_len(64).not_null().unique_key())
                .col(ColumnDef::new(CalendarFeeds::CreatedAt).timestamp_with_time_zone().not_null())
                .foreign_key(
                    ForeignKey::create().from(CalendarFeeds::Table, CalendarFeeds::UserId).to(Users::Table, Users::Id),
                )
                .to_owned(),
        )
        .await?;
        let mut mark = Query::insert();
        mark.into_table(CacheEpochs::Table)
            .columns([CacheEpochs::Topic, CacheEpochs::Epoch])
            .values_panic(["tasks".into(), 0i64.into()]);
        m.exec_stmt(mark).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut mark = Query::delete();
        mark.from_table(CacheEpochs::Table).and_where(Expr::col(CacheEpochs::Topic).eq("tasks"));
        m.exec_stmt(mark).await?;
        m.drop_table(Table::drop().table(CalendarFeeds::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(Agendas::Table).to_owned()).await
    }
}
