//! What the request flow of a whole company needs:
//! - `receptions.late_reason`: why a request comes after its proposal deadline, asked for
//!   while it is filled and shown to the approver;
//! - `delegations`: an approver's deputy for a period (one per person); requests of the
//!   approver's departments go to the deputy meanwhile;
//! - `reception_attachments`: files on a request (an itinerary, a guest list), kept in the
//!   database so that every instance serves them.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Receptions {
    Table,
    Id,
    LateReason,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Delegations {
    Table,
    UserId,
    DeputyId,
    StartsOn,
    EndsOn,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ReceptionAttachments {
    Table,
    Id,
    ReceptionId,
    Name,
    ContentType,
    Size,
    Data,
    UploadedBy,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Receptions::Table)
                .add_column(ColumnDef::new(Receptions::LateReason).string().not_null().default(""))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Delegations::Table)
                .col(ColumnDef::new(Delegations::UserId).integer().not_null().primary_key())
                .col(ColumnDef::new(Delegations::DeputyId).integer().not_null())
                .col(ColumnDef::new(Delegations::StartsOn).date().not_null())
                .col(ColumnDef::new(Delegations::EndsOn).date().not_null())
                .col(ColumnDef::new(Delegations::UpdatedAt).timestamp_with_time_zone().not_null())
                .foreign_key(
                    ForeignKey::create().from(Delegations::Table, Delegations::UserId).to(Users::Table, Users::Id),
                )
                .foreign_key(
                    ForeignKey::create().from(Delegations::Table, Delegations::DeputyId).to(Users::Table, Users::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_delegations_deputy")
                .table(Delegations::Table)
                .col(Delegations::DeputyId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ReceptionAttachments::Table)
                .col(ColumnDef::new(ReceptionAttachments::Id).integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(ReceptionAttachments::ReceptionId).integer().not_null())
                .col(ColumnDef::new(ReceptionAttachments::Name).string_len(200).not_null())
                .col(ColumnDef::new(ReceptionAttachments::ContentType).string_len(64).not_null())
                .col(ColumnDef::new(ReceptionAttachments::Size).big_integer().not_null())
                .col(ColumnDef::new(ReceptionAttachments::Data).blob().not_null())
                .col(ColumnDef::new(ReceptionAttachments::UploadedBy).integer())
                .col(ColumnDef::new(ReceptionAttachments::CreatedAt).timestamp_with_time_zone().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .from(ReceptionAttachments::Table, ReceptionAttachments::ReceptionId)
                        .to(Receptions::Table, Receptions::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_reception_attachments_reception")
                .table(ReceptionAttachments::Table)
                .col(ReceptionAttachments::ReceptionId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ReceptionAttachments::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(Delegations::Table).to_owned()).await?;
        m.alter_table(Table::alter().table(Receptions::Table).drop_column(Receptions::LateReason).to_owned()).await
    }
}
