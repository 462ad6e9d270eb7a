//! Change marks of cached data (users and sessions, the calendar, the procedure): a write
//! bumps its topic's number, and every instance drops what it cached when the number moves.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CacheEpochs {
    Table,
    Topic,
    Epoch,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(CacheEpochs::Table)
                .col(ColumnDef::new(CacheEpochs::Topic).string_len(32).not_null().primary_key())
                .col(ColumnDef::new(CacheEpochs::Epoch).big_integer().not_null().default(0))
                .to_owned(),
        )
        .await?;
        let mut insert = Query::insert();
        insert.into_table(CacheEpochs::Table).columns([CacheEpochs::Topic, CacheEpochs::Epoch]);
        for topic in ["auth", "calendar", "procedure"] {
            insert.values_panic([topic.into(), 0i64.into()]);
        }
        m.exec_stmt(insert).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(CacheEpochs::Table).to_owned()).await
    }
}
