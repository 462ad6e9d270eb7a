//! Notifications:
//! - `events`: the outbox. A change that asks someone to act writes its event here in its
//!   own transaction (beside its audit record); the delivery worker fans each event out once
//!   (`fanned_at`), leasing it while it does (`lease_until`). A reminder computed from the
//!   calendar carries a `dedupe` key (event, subject, date), unique, so it is made once
//!   however many instances compute it;
//! - `notifications`: the in-app messages, one per event and person, with when it was read;
//! - `deliveries`: one per event and target (`u:<user>` for e-mail, `c:<channel>` for a robot
//!   or webhook), unique, with its status, tries, next try, lease and last error, and, when it
//!   went out in a robot's digest, the delivery whose message carried it (`digest_of`);
//! - `channels`: group robots and webhooks kept by administrators (the secret is never
//!   answered back);
//! - `notification_preferences`: a person's choice of e-mail per event (absent: wanted);
//! - `action_links`: the approve and return links of an approver's mail, found by the SHA-256
//!   of the secret they carry (never stored), for one person, one reception at one version,
//!   used once, until they expire;
//! - a `notifications` change mark in `cache_epochs` (unread counts are kept until it moves).

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
enum Departments {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum CacheEpochs {
    Table,
    Topic,
    Epoch,
}

#[derive(DeriveIden)]
enum Events {
    Table,
    Id,
    Event,
    ReceptionId,
    TaskId,
    ActorUserId,
    Data,
    Dedupe,
    CreatedAt,
    FannedAt,
    LeaseUntil,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
    UserId,
    EventId,
    CreatedAt,
    ReadAt,
}

#[derive(DeriveIden)]
enum Deliveries {
    Table,
    Id,
    EventId,
    Target,
    UserId,
    ChannelId,
    Status,
    Attempts,
    NextAt,
    LeaseUntil,
    LastError,
    CreatedAt,
    UpdatedAt,
    SentAt,
    DigestOf,
}

#[derive(DeriveIden)]
enum Channels {
    Table,
    Id,
    Kind,
    Name,
    Url,
    Secret,
    Events,
    DepartmentId,
    Active,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum NotificationPreferences {
    Table,
    UserId,
    Event,
    Email,
}

#[derive(DeriveIden)]
enum ActionLinks {
    Table,
    TokenHash,
    UserId,
    ReceptionId,
    Action,
    Version,
    ExpiresAt,
    UsedAt,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Events::Table)
                .col(ColumnDef::new(Events::Id).big_integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(Events::Event).string_len(32).not_null())
                .col(ColumnDef::new(Events::ReceptionId).integer().null())
                .col(ColumnDef::new(Events::TaskId).integer().null())
                .col(ColumnDef::new(Events::ActorUserId).integer().null())
                .col(ColumnDef::new(Events::Data).text().not_null())
                .col(ColumnDef::new(Events::Dedupe).string_len(200).null().unique_key())
                .col(ColumnDef::new(Events::CreatedAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(Events::FannedAt).timestamp_with_time_zone().null())
                .col(ColumnDef::new(Events::LeaseUntil).timestamp_with_time_zone().null())
                .foreign_key(
                    ForeignKey::create().from(Events::Table, Events::ReceptionId).to(Receptions::Table, Receptions::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_events_unfanned")
                .table(Events::Table)
                .col(Events::FannedAt)
                .col(Events::Id)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Notifications::Table)
                .col(ColumnDef::new(Notifications::Id).big_integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(Notifications::UserId).integer().not_null())
                .col(ColumnDef::new(Notifications::EventId).big_integer().not_null())
                .col(ColumnDef::new(Notifications::CreatedAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(Notifications::ReadAt).timestamp_with_time_zone().null())
                .foreign_key(
                    ForeignKey::create().from(Notifications::Table, Notifications::UserId).to(Users::Table, Users::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Notifications::Table, Notifications::EventId)
                        .to(Events::Table, Events::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_notifications_event_user")
                .table(Notifications::Table)
                .col(Notifications::EventId)
                .col(Notifications::UserId)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_notifications_user")
                .table(Notifications::Table)
                .col(Notifications::UserId)
                .col(Notifications::ReadAt)
                .col(Notifications::Id)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Channels::Table)
                .col(ColumnDef::new(Channels::Id).integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(Channels::Kind).string_len(16).not_null())
                .col(ColumnDef::new(Channels::Name).string_len(64).not_null())
                .col(ColumnDef::new(Channels::Url).text().not_null())
                .col(ColumnDef::new(Channels::Secret).text().not_null())
                .col(ColumnDef::new(Channels::Events).text().not_null())
                .col(ColumnDef::new(Channels::DepartmentId).integer().null())
                .col(ColumnDef::new(Channels::Active).boolean().not_null().default(true))
                .col(ColumnDef::new(Channels::Version).integer().not_null().default(1))
                .col(ColumnDef::new(Channels::CreatedAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(Channels::UpdatedAt).timestamp_with_time_zone().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .from(Channels::Table, Channels::DepartmentId)
                        .to(Departments::Table, Departments::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Deliveries::Table)
                .col(ColumnDef::new(Deliveries::Id).big_integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(Deliveries::EventId).big_integer().not_null())
                .col(ColumnDef::new(Deliveries::Target).string_len(32).not_null())
                .col(ColumnDef::new(Deliveries::UserId).integer().null())
                .col(ColumnDef::new(Deliveries::ChannelId).integer().null())
                .col(ColumnDef::new(Deliveries::Status).string_len(16).not_null())
                .col(ColumnDef::new(Deliveries::Attempts).integer().not_null().default(0))
                .col(ColumnDef::new(Deliveries::NextAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(Deliveries::LeaseUntil).timestamp_with_time_zone().null())
                .col(ColumnDef::new(Deliveries::LastError).text().not_null().default(""))
                .col(ColumnDef::new(Deliveries::CreatedAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(Deliveries::UpdatedAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(Deliveries::SentAt).timestamp_with_time_zone().null())
                .col(ColumnDef::new(Deliveries::DigestOf).big_integer().null())
                .foreign_key(
                    ForeignKey::create().from(Deliveries::Table, Deliveries::EventId).to(Events::Table, Events::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_deliveries_event_target")
                .table(Deliveries::Table)
                .col(Deliveries::EventId)
                .col(Deliveries::Target)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_deliveries_due")
                .table(Deliveries::Table)
                .col(Deliveries::Status)
                .col(Deliveries::NextAt)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(NotificationPreferences::Table)
                .col(ColumnDef::new(NotificationPreferences::UserId).integer().not_null())
                .col(ColumnDef::new(NotificationPreferences::Event).string_len(32).not_null())
                .col(ColumnDef::new(NotificationPreferences::Email).boolean().not_null())
                .primary_key(Index::create().col(NotificationPreferences::UserId).col(NotificationPreferences::Event))
                .foreign_key(
                    ForeignKey::create()
                        .from(NotificationPreferences::Table, NotificationPreferences::UserId)
                        .to(Users::Table, Users::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ActionLinks::Table)
                .col(ColumnDef::new(ActionLinks::TokenHash).string_len(64).not_null().primary_key())
                .col(ColumnDef::new(ActionLinks::UserId).integer().not_null())
                .col(ColumnDef::new(ActionLinks::ReceptionId).integer().not_null())
                .col(ColumnDef::new(ActionLinks::Action).string_len(16).not_null())
                .col(ColumnDef::new(ActionLinks::Version).integer().not_null())
                .col(ColumnDef::new(ActionLinks::ExpiresAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(ActionLinks::UsedAt).timestamp_with_time_zone().null())
                .col(ColumnDef::new(ActionLinks::CreatedAt).timestamp_with_time_zone().not_null())
                .foreign_key(
                    ForeignKey::create().from(ActionLinks::Table, ActionLinks::UserId).to(Users::Table, Users::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(ActionLinks::Table, ActionLinks::ReceptionId)
                        .to(Receptions::Table, Receptions::Id),
                )
                .to_owned(),
        )
        .await?;
        let mut mark = Query::insert();
        mark.into_table(CacheEpochs::Table)
            .columns([CacheEpochs::Topic, CacheEpochs::Epoch])
            .values_panic(["notifications".into(), 0i64.into()]);
        m.exec_stmt(mark).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut mark = Query::delete();
        mark.from_table(CacheEpochs::Table).and_where(Expr::col(CacheEpochs::Topic).eq("notifications"));
        m.exec_stmt(mark).await?;
        m.drop_table(Table::drop().table(ActionLinks::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(NotificationPreferences::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(Deliveries::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(Channels::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(Notifications::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(Events::Table).to_owned()).await
    }
}
