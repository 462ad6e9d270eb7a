//! A guest's survey link mailed to the address it was made for: the link keeps the id of the
//! `survey.invite` event written with it, so that its mail's delivery (found by event, an
//! indexed read) shows beside the link: waiting, sent, failed and why.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum SurveyLinks {
    Table,
    InviteEventId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(SurveyLinks::Table)
                .add_column(ColumnDef::new(SurveyLinks::InviteEventId).big_integer().null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(SurveyLinks::Table).drop_column(SurveyLinks::InviteEventId).to_owned()).await
    }
}
