//! The settlement of a reception (J10, 财务结算):
//! - `settlements`: one per reception once anything is written: its state (open, submitted,
//!   approved, returned), a version that every change of its expenses raises (finance
//!   approves the version it read), finance's comment, who submitted and decided, when;
//! - `expenses`: a reception's expense lines (category, amount in fen, day, who paid — the
//!   company when `paid_by_user_id` is null —, vendor, note), adjusting lines after approval
//!   with their reason, and the item-list line a line settles; `reception_id`, `category`
//!   and `amount_fen` are plain columns that reports read directly;
//! - `expense_receipts`: photos and PDFs of receipts, their bytes in the database so that
//!   every instance serves them.

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
enum Settlements {
    Table,
    Id,
    ReceptionId,
    State,
    Version,
    Comment,
    SubmittedBy,
    SubmittedAt,
    DecidedBy,
    DecidedAt,
    ApprovedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Expenses {
    Table,
    Id,
    ReceptionId,
    Category,
    AmountFen,
    Date,
    PaidByUserId,
    Vendor,
    Note,
    Adjusting,
    Reason,
    ItemLineId,
    Version,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ExpenseReceipts {
    Table,
    Id,
    ExpenseId,
    ReceptionId,
    Name,
    ContentType,
    Size,
    Data,
    UploadedBy,
    CreatedAt,
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
                .table(Settlements::Table)
                .col(ColumnDef::new(Settlements::Id).integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(Settlements::ReceptionId).integer().not_null().unique_key())
                .col(ColumnDef::new(Settlements::State).string_len(16).not_null())
                .col(ColumnDef::new(Settlements::Version).integer().not_null().default(0))
                .col(ColumnDef::new(Settlements::Comment).string_len(500).not_null().default(""))
                .col(ColumnDef::new(Settlements::SubmittedBy).integer())
                .col(ColumnDef::new(Settlements::SubmittedAt).timestamp_with_time_zone())
                .col(ColumnDef::new(Settlements::DecidedBy).integer())
                .col(ColumnDef::new(Settlements::DecidedAt).timestamp_with_time_zone())
                .col(ColumnDef::new(Settlements::ApprovedAt).timestamp_with_time_zone())
                .col(ColumnDef::new(Settlements::UpdatedAt).timestamp_with_time_zone().not_null())
                .foreign_key(&mut fk_reception(Settlements::Table, Settlements::ReceptionId))
                .foreign_key(&mut fk_user(Settlements::Table, Settlements::SubmittedBy))
                .foreign_key(&mut fk_user(Settlements::Table, Settlements::DecidedBy))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("idx_settlements_state").table(Settlements::Table).col(Settlements::State).to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Expenses::Table)
                .col(ColumnDef::new(Expenses::Id).integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(Expenses::ReceptionId).integer().not_null())
                .col(ColumnDef::new(Expenses::Category).string_len(32).not_null())
                .col(ColumnDef::new(Expenses::AmountFen).big_integer().not_null())
                .col(ColumnDef::new(Expenses::Date).date().not_null())
                .col(ColumnDef::new(Expenses::PaidByUserId).integer())
                .col(ColumnDef::new(Expenses::Vendor).string_len(64).not_null().default(""))
                .col(ColumnDef::new(Expenses::Note).string_len(500).not_null().default(""))
                .col(ColumnDef::new(Expenses::Adjusting).boolean().not_null().default(false))
                .col(ColumnDef::new(Expenses::Reason).string_len(500).not_null().default(""))
                .col(ColumnDef::new(Expenses::ItemLineId).integer())
                .col(ColumnDef::new(Expenses::Version).integer().not_null().default(1))
                .col(ColumnDef::new(Expenses::CreatedBy).integer())
                .col(ColumnDef::new(Expenses::CreatedAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(Expenses::UpdatedAt).timestamp_with_time_zone().not_null())
                .foreign_key(&mut fk_reception(Expenses::Table, Expenses::ReceptionId))
                .foreign_key(&mut fk_user(Expenses::Table, Expenses::PaidByUserId))
                .foreign_key(&mut fk_user(Expenses::Table, Expenses::CreatedBy))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("idx_expenses_reception").table(Expenses::Table).col(Expenses::ReceptionId).to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ExpenseReceipts::Table)
                .col(ColumnDef::new(ExpenseReceipts::Id).integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(ExpenseReceipts::ExpenseId).integer().not_null())
                .col(ColumnDef::new(ExpenseReceipts::ReceptionId).integer().not_null())
                .col(ColumnDef::new(ExpenseReceipts::Name).string_len(200).not_null())
                .col(ColumnDef::new(ExpenseReceipts::ContentType).string_len(64).not_null())
                .col(ColumnDef::new(ExpenseReceipts::Size).big_integer().not_null())
                .col(ColumnDef::new(ExpenseReceipts::Data).blob().not_null())
                .col(ColumnDef::new(ExpenseReceipts::UploadedBy).integer())
                .col(ColumnDef::new(ExpenseReceipts::CreatedAt).timestamp_with_time_zone().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .from(ExpenseReceipts::Table, ExpenseReceipts::ExpenseId)
                        .to(Expenses::Table, Expenses::Id),
                )
                .foreign_key(&mut fk_reception(ExpenseReceipts::Table, ExpenseReceipts::ReceptionId))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_expense_receipts_expense")
                .table(ExpenseReceipts::Table)
                .col(ExpenseReceipts::ExpenseId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ExpenseReceipts::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(Expenses::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(Settlements::Table).to_owned()).await
    }
}
