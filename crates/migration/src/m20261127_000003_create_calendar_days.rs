//! Calendar days added by administrators: later years' statutory plans and company
//! closures. The official 2004–2026 calendar is embedded in the binary, not stored.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CalendarDays {
    Table,
    Day,
    Kind,
    NameEn,
    NameZh,
    CreatedAt,
    CreatedBy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(CalendarDays::Table)
                .col(ColumnDef::new(CalendarDays::Day).date().not_null().primary_key())
                .col(ColumnDef::new(CalendarDays::Kind).string_len(16).not_null())
                .col(ColumnDef::new(CalendarDays::NameEn).string_len(64).not_null())
                .col(ColumnDef::new(CalendarDays::NameZh).string_len(64).not_null())
                .col(ColumnDef::new(CalendarDays::CreatedAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(CalendarDays::CreatedBy).string_len(64).not_null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(CalendarDays::Table).to_owned()).await
    }
}
