//! What the reports need of the earlier tables: the day a task was finished (`tasks.done_on`,
//! in the company's time zone; empty for tasks finished before this column existed, which
//! the reports leave out of "on time"), and two covering indexes, so that a year's counts
//! read only index pages: receptions by visit day with what the reports group on, and tasks
//! by reception with their status, group and days; and the stock ledger by reception.
//!
//! `settlements.total_fen` is the sum of a settlement's expense lines, adjusting ones included,
//! written in the transaction of every change of them, so that the reports read a settled
//! reception's cost from one row.
//!
//! `survey_days` sums the satisfaction surveys by the visit's first day, host department and
//! survey item (`item_key` empty: the response's total): written in the transaction of each
//! response, it lets a year's satisfaction per item and by month be read from a few thousand
//! rows instead of every score.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Receptions {
    Table,
    VisitStart,
    DepartmentId,
    State,
    Tier,
    Late,
    Headcount,
}

#[derive(DeriveIden, Clone, Copy)]
enum Settlements {
    Table,
    TotalFen,
}

#[derive(DeriveIden, Clone, Copy)]
enum SurveyDays {
    Table,
    VisitStart,
    DepartmentId,
    ItemKey,
    Responses,
    ScoreSum,
    ReferenceSum,
}

#[derive(DeriveIden, Clone, Copy)]
enum StockMovements {
    Table,
    ReceptionId,
    Kind,
}

#[derive(DeriveIden, Clone, Copy)]
enum Tasks {
    Table,
    ReceptionId,
    Status,
    GroupKey,
    Due,
    DoneOn,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter().table(Tasks::Table).add_column(ColumnDef::new(Tasks::DoneOn).date().null()).to_owned(),
        )
        .await?;
        use Receptions as R;
        let mut i = Index::create();
        i.name("idx_receptions_report").table(R::Table);
        for c in [R::VisitStart, R::DepartmentId, R::State, R::Tier, R::Late, R::Headcount] {
            i.col(c);
        }
        m.create_index(i.to_owned()).await?;
        let mut i = Index::create();
        i.name("idx_tasks_report").table(Tasks::Table);
        for c in [Tasks::ReceptionId, Tasks::Status, Tasks::GroupKey, Tasks::Due, Tasks::DoneOn] {
            i.col(c);
        }
        m.create_index(i.to_owned()).await?;
        m.alter_table(
            Table::alter()
                .table(Settlements::Table)
                .add_column(ColumnDef::new(Settlements::TotalFen).big_integer().not_null().default(0))
                .to_owned(),
        )
        .await?;
        use SurveyDays as S;
        m.create_table(
            Table::create()
                .table(S::Table)
                .col(ColumnDef::new(S::VisitStart).date().not_null())
                .col(ColumnDef::new(S::DepartmentId).integer().not_null())
                .col(ColumnDef::new(S::ItemKey).string_len(64).not_null())
                .col(ColumnDef::new(S::Responses).big_integer().not_null())
                .col(ColumnDef::new(S::ScoreSum).big_integer().not_null())
                .col(ColumnDef::new(S::ReferenceSum).big_integer().not_null())
                .primary_key(Index::create().col(S::VisitStart).col(S::DepartmentId).col(S::ItemKey))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_stock_movements_reception")
                .table(StockMovements::Table)
                .col(StockMovements::ReceptionId)
                .col(StockMovements::Kind)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(SurveyDays::Table).to_owned()).await?;
        m.alter_table(Table::alter().table(Settlements::Table).drop_column(Settlements::TotalFen).to_owned()).await?;
        m.drop_index(Index::drop().name("idx_stock_movements_reception").table(StockMovements::Table).to_owned())
            .await?;
        m.drop_index(Index::drop().name("idx_tasks_report").table(Tasks::Table).to_owned()).await?;
        m.drop_index(Index::drop().name("idx_receptions_report").table(Receptions::Table).to_owned()).await?;
        m.alter_table(Table::alter().table(Tasks::Table).drop_column(Tasks::DoneOn).to_owned()).await
    }
}
