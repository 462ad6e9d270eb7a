//! Versions of the reception procedure: an edit makes a new version; receptions will
//! record the version they were planned under.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ProcedureVersions {
    Table,
    Version,
    Body,
    Note,
    CreatedAt,
    CreatedBy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ProcedureVersions::Table)
                .col(ColumnDef::new(ProcedureVersions::Version).integer().not_null().primary_key())
                .col(ColumnDef::new(ProcedureVersions::Body).text().not_null())
                .col(ColumnDef::new(ProcedureVersions::Note).string_len(200).not_null())
                .col(ColumnDef::new(ProcedureVersions::CreatedAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(ProcedureVersions::CreatedBy).string_len(64).not_null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ProcedureVersions::Table).to_owned()).await
    }
}
