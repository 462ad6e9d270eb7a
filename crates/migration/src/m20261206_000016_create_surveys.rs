//! The satisfaction survey (J10, Attachment 4):
//! - `survey_links`: a guest's link to the survey of one reception: the SHA-256 of its
//!   secret (looked up by it, unique), the nonce the secret is derived from (so the QR code
//!   can be drawn again without keeping the secret itself), who made it, the address it was
//!   mailed to, when it expires, was used or withdrawn;
//! - `survey_responses`: one response (guest through a link, unique per link; internal and
//!   host people by user, unique per reception and person), its overall and item comments;
//! - `survey_scores`: every item score as a row, with its reference and the respondent's
//!   kind, for reports that add up per item and per month in SQL (indexed by reception and by
//!   when answered);
//! - `survey_waivers`: a reception whose survey General Management waived, and why.

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
enum SurveyLinks {
    Table,
    Id,
    ReceptionId,
    TokenHash,
    Nonce,
    Email,
    Language,
    CreatedBy,
    CreatedAt,
    ExpiresAt,
    UsedAt,
    WithdrawnAt,
}

#[derive(DeriveIden)]
enum SurveyResponses {
    Table,
    Id,
    ReceptionId,
    Kind,
    LinkId,
    UserId,
    ProcedureVersion,
    Comment,
    ItemComments,
    AnsweredAt,
}

#[derive(DeriveIden)]
enum SurveyScores {
    Table,
    Id,
    ResponseId,
    ReceptionId,
    ItemKey,
    Score,
    Reference,
    Kind,
    AnsweredAt,
}

#[derive(DeriveIden)]
enum SurveyWaivers {
    Table,
    ReceptionId,
    Reason,
    WaivedBy,
    WaivedAt,
}

fn fk_reception<T: IntoIden + 'static>(t: T, c: T) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(t, c).to(Receptions::Table, Receptions::Id).to_owned()
}

fn fk_user<T: IntoIden + 'static>(t: T, c: T) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(t, c).to(Users::Table, Users::Id).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(SurveyLinks::Table)
                .col(ColumnDef::new(SurveyLinks::Id).integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(SurveyLinks::ReceptionId).integer().not_null())
                .col(ColumnDef::new(SurveyLinks::TokenHash).string_len(64).not_null().unique_key())
                .col(ColumnDef::new(SurveyLinks::Nonce).string_len(64).not_null())
                .col(ColumnDef::new(SurveyLinks::Email).string_len(254))
                .col(ColumnDef::new(SurveyLinks::Language).string_len(8).not_null())
                .col(ColumnDef::new(SurveyLinks::CreatedBy).integer())
                .col(ColumnDef::new(SurveyLinks::CreatedAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(SurveyLinks::ExpiresAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(SurveyLinks::UsedAt).timestamp_with_time_zone())
                .col(ColumnDef::new(SurveyLinks::WithdrawnAt).timestamp_with_time_zone())
                .foreign_key(&mut fk_reception(SurveyLinks::Table, SurveyLinks::ReceptionId))
                .foreign_key(&mut fk_user(SurveyLinks::Table, SurveyLinks::CreatedBy))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_survey_links_reception")
                .table(SurveyLinks::Table)
                .col(SurveyLinks::ReceptionId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(SurveyResponses::Table)
                .col(ColumnDef::new(SurveyResponses::Id).integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(SurveyResponses::ReceptionId).integer().not_null())
                .col(ColumnDef::new(SurveyResponses::Kind).string_len(16).not_null())
                .col(ColumnDef::new(SurveyResponses::LinkId).integer())
                .col(ColumnDef::new(SurveyResponses::UserId).integer())
                .col(ColumnDef::new(SurveyResponses::ProcedureVersion).integer().not_null())
                .col(ColumnDef::new(SurveyResponses::Comment).string_len(500).not_null().default(""))
                .col(ColumnDef::new(SurveyResponses::ItemComments).text().not_null())
                .col(ColumnDef::new(SurveyResponses::AnsweredAt).timestamp_with_time_zone().not_null())
                .foreign_key(&mut fk_reception(SurveyResponses::Table, SurveyResponses::ReceptionId))
                .foreign_key(&mut fk_user(SurveyResponses::Table, SurveyResponses::UserId))
                .foreign_key(
                    ForeignKey::create()
                        .from(SurveyResponses::Table, SurveyResponses::LinkId)
                        .to(SurveyLinks::Table, SurveyLinks::Id),
                )
                .to_owned(),
        )
        .await?;
        // One response per link (two tabs posting at once: the second insert fails), and one
        // per person and reception (NULLs are distinct on both engines, so guests pass).
        m.create_index(
            Index::create()
                .name("uq_survey_responses_link")
                .table(SurveyResponses::Table)
                .col(SurveyResponses::LinkId)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_survey_responses_person")
                .table(SurveyResponses::Table)
                .col(SurveyResponses::ReceptionId)
                .col(SurveyResponses::UserId)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(SurveyScores::Table)
                .col(ColumnDef::new(SurveyScores::Id).big_integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(SurveyScores::ResponseId).integer().not_null())
                .col(ColumnDef::new(SurveyScores::ReceptionId).integer().not_null())
                .col(ColumnDef::new(SurveyScores::ItemKey).string_len(64).not_null())
                .col(ColumnDef::new(SurveyScores::Score).integer().not_null())
                .col(ColumnDef::new(SurveyScores::Reference).integer().not_null())
                .col(ColumnDef::new(SurveyScores::Kind).string_len(16).not_null())
                .col(ColumnDef::new(SurveyScores::AnsweredAt).timestamp_with_time_zone().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .from(SurveyScores::Table, SurveyScores::ResponseId)
                        .to(SurveyResponses::Table, SurveyResponses::Id),
                )
                .foreign_key(&mut fk_reception(SurveyScores::Table, SurveyScores::ReceptionId))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_survey_scores_reception")
                .table(SurveyScores::Table)
                .col(SurveyScores::ReceptionId)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_survey_scores_answered")
                .table(SurveyScores::Table)
                .col(SurveyScores::AnsweredAt)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_survey_scores_response")
                .table(SurveyScores::Table)
                .col(SurveyScores::ResponseId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(SurveyWaivers::Table)
                .col(ColumnDef::new(SurveyWaivers::ReceptionId).integer().not_null().primary_key())
                .col(ColumnDef::new(SurveyWaivers::Reason).string_len(500).not_null())
                .col(ColumnDef::new(SurveyWaivers::WaivedBy).integer())
                .col(ColumnDef::new(SurveyWaivers::WaivedAt).timestamp_with_time_zone().not_null())
                .foreign_key(&mut fk_reception(SurveyWaivers::Table, SurveyWaivers::ReceptionId))
                .foreign_key(&mut fk_user(SurveyWaivers::Table, SurveyWaivers::WaivedBy))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(SurveyWaivers::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(SurveyScores::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(SurveyResponses::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(SurveyLinks::Table).to_owned()).await
    }
}
