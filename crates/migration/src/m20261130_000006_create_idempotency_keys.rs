//! Idempotency keys, so a repeated request that creates something (a double click, a retry,
//! sent to any instance) creates nothing twice.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum IdempotencyKeys {
    Table,
    UserId,
    Key,
    Fingerprint,
    ClaimedAt,
    DoneAt,
    Status,
    Location,
    ContentType,
    Body,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(IdempotencyKeys::Table)
                .col(ColumnDef::new(IdempotencyKeys::UserId).integer().not_null())
                .col(ColumnDef::new(IdempotencyKeys::Key).string_len(128).not_null())
                .col(ColumnDef::new(IdempotencyKeys::Fingerprint).string_len(64).not_null())
                .col(ColumnDef::new(IdempotencyKeys::ClaimedAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(IdempotencyKeys::DoneAt).timestamp_with_time_zone().null())
                .col(ColumnDef::new(IdempotencyKeys::Status).integer().null())
                .col(ColumnDef::new(IdempotencyKeys::Location).string_len(512).null())
                .col(ColumnDef::new(IdempotencyKeys::ContentType).string_len(128).null())
                .col(ColumnDef::new(IdempotencyKeys::Body).text().null())
                .primary_key(Index::create().col(IdempotencyKeys::UserId).col(IdempotencyKeys::Key))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_idempotency_keys_claimed_at")
                .table(IdempotencyKeys::Table)
                .col(IdempotencyKeys::ClaimedAt)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(IdempotencyKeys::Table).to_owned()).await
    }
}
