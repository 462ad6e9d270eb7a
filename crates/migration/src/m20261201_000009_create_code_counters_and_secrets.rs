//! Two small tables:
//! - `reception_code_counters`: the last reception number given out per year. A create takes
//!   the next number by updating its year's row inside its own transaction (the row lock
//!   queues concurrent creates on PostgreSQL), so two creates never pick the same code and a
//!   create never fails because of another. Seeded from the codes already given.
//! - `server_secrets`: keys every instance of one database shares (the key that signs CSRF
//!   tokens), made at random by the first instance that needs one.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ReceptionCodeCounters {
    Table,
    Year,
    Last,
}

#[derive(DeriveIden)]
enum ServerSecrets {
    Table,
    Name,
    Value,
}

#[derive(DeriveIden)]
enum Receptions {
    Table,
    CodeYear,
    CodeSeq,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ReceptionCodeCounters::Table)
                .col(ColumnDef::new(ReceptionCodeCounters::Year).integer().not_null().primary_key())
                .col(ColumnDef::new(ReceptionCodeCounters::Last).integer().not_null())
                .to_owned(),
        )
        .await?;
        let seed = Query::select()
            .column(Receptions::CodeYear)
            .expr(Expr::col(Receptions::CodeSeq).max())
            .from(Receptions::Table)
            .group_by_col(Receptions::CodeYear)
            .to_owned();
        m.exec_stmt(
            Query::insert()
                .into_table(ReceptionCodeCounters::Table)
                .columns([ReceptionCodeCounters::Year, ReceptionCodeCounters::Last])
                .select_from(seed)
                .map_err(|e| DbErr::Migration(e.to_string()))?
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ServerSecrets::Table)
                .col(ColumnDef::new(ServerSecrets::Name).string_len(32).not_null().primary_key())
                .col(ColumnDef::new(ServerSecrets::Value).string_len(128).not_null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ServerSecrets::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(ReceptionCodeCounters::Table).to_owned()).await
    }
}
