//! Accounts: departments, users and their roles, sessions, API tokens, the audit
//! log and the login-failure record used for throttling.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Departments {
    Table,
    Id,
    Name,
    HeadUserId,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Username,
    DisplayName,
    DepartmentId,
    Phone,
    Email,
    Language,
    PasswordHash,
    Active,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum UserRoles {
    Table,
    UserId,
    Role,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    IdHash,
    UserId,
    CreatedAt,
    ExpiresAt,
    LastSeenAt,
}

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    Id,
    UserId,
    Name,
    TokenHash,
    Prefix,
    CreatedAt,
    LastUsedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    At,
    ActorUserId,
    ActorLabel,
    Entity,
    EntityId,
    Action,
    Before,
    After,
    Ip,
}

#[derive(DeriveIden)]
enum LoginFailures {
    Table,
    Id,
    Key,
    At,
}

fn ts(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).timestamp_with_time_zone().not_null().to_owned()
}

fn ts_null(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).timestamp_with_time_zone().null().to_owned()
}

fn id(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).integer().not_null().auto_increment().primary_key().to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Departments::Table)
                .col(id(Departments::Id))
                .col(ColumnDef::new(Departments::Name).string_len(64).not_null().unique_key())
                // No foreign key: departments and users refer to each other; the store
                // checks the head exists. Users are disabled, never deleted.
                .col(ColumnDef::new(Departments::HeadUserId).integer().null())
                .col(ts(Departments::CreatedAt))
                .col(ts(Departments::UpdatedAt))
                .col(ColumnDef::new(Departments::Version).integer().not_null().default(1))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Users::Table)
                .col(id(Users::Id))
                .col(ColumnDef::new(Users::Username).string_len(32).not_null().unique_key())
                .col(ColumnDef::new(Users::DisplayName).string_len(64).not_null())
                .col(ColumnDef::new(Users::DepartmentId).integer().null())
                .col(ColumnDef::new(Users::Phone).string_len(24).null())
                .col(ColumnDef::new(Users::Email).string_len(254).null())
                .col(ColumnDef::new(Users::Language).string_len(8).not_null().default("zh-CN"))
                .col(ColumnDef::new(Users::PasswordHash).string_len(255).null())
                .col(ColumnDef::new(Users::Active).boolean().not_null().default(true))
                .col(ts(Users::CreatedAt))
                .col(ts(Users::UpdatedAt))
                .col(ColumnDef::new(Users::Version).integer().not_null().default(1))
                .foreign_key(
                    ForeignKey::create()
                        .from(Users::Table, Users::DepartmentId)
                        .to(Departments::Table, Departments::Id)
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(UserRoles::Table)
                .col(ColumnDef::new(UserRoles::UserId).integer().not_null())
                .col(ColumnDef::new(UserRoles::Role).string_len(16).not_null())
                .primary_key(Index::create().col(UserRoles::UserId).col(UserRoles::Role))
                .foreign_key(
                    ForeignKey::create()
                        .from(UserRoles::Table, UserRoles::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Sessions::Table)
                .col(ColumnDef::new(Sessions::IdHash).string_len(64).not_null().primary_key())
                .col(ColumnDef::new(Sessions::UserId).integer().not_null())
                .col(ts(Sessions::CreatedAt))
                .col(ts(Sessions::ExpiresAt))
                .col(ts(Sessions::LastSeenAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Sessions::Table, Sessions::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("idx_sessions_user").table(Sessions::Table).col(Sessions::UserId).to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ApiTokens::Table)
                .col(id(ApiTokens::Id))
                .col(ColumnDef::new(ApiTokens::UserId).integer().not_null())
                .col(ColumnDef::new(ApiTokens::Name).string_len(64).not_null())
                .col(ColumnDef::new(ApiTokens::TokenHash).string_len(64).not_null().unique_key())
                .col(ColumnDef::new(ApiTokens::Prefix).string_len(16).not_null())
                .col(ts(ApiTokens::CreatedAt))
                .col(ts_null(ApiTokens::LastUsedAt))
                .col(ts_null(ApiTokens::RevokedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(ApiTokens::Table, ApiTokens::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("idx_api_tokens_user").table(ApiTokens::Table).col(ApiTokens::UserId).to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(AuditLog::Table)
                .col(id(AuditLog::Id))
                .col(ts(AuditLog::At))
                .col(ColumnDef::new(AuditLog::ActorUserId).integer().null())
                .col(ColumnDef::new(AuditLog::ActorLabel).string_len(64).not_null())
                .col(ColumnDef::new(AuditLog::Entity).string_len(32).not_null())
                .col(ColumnDef::new(AuditLog::EntityId).string_len(64).null())
                .col(ColumnDef::new(AuditLog::Action).string_len(32).not_null())
                .col(ColumnDef::new(AuditLog::Before).text().null())
                .col(ColumnDef::new(AuditLog::After).text().null())
                .col(ColumnDef::new(AuditLog::Ip).string_len(64).null())
                .to_owned(),
        )
        .await?;
        for (name, cols) in [
            ("idx_audit_at", vec![AuditLog::At]),
            ("idx_audit_entity_at", vec![AuditLog::Entity, AuditLog::At]),
            ("idx_audit_actor_at", vec![AuditLog::ActorUserId, AuditLog::At]),
        ] {
            let mut idx = Index::create().name(name).table(AuditLog::Table).to_owned();
            for c in cols {
                idx.col(c);
            }
            m.create_index(idx).await?;
        }

        m.create_table(
            Table::create()
                .table(LoginFailures::Table)
                .col(id(LoginFailures::Id))
                .col(ColumnDef::new(LoginFailures::Key).string_len(128).not_null())
                .col(ts(LoginFailures::At))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_login_failures_key_at")
                .table(LoginFailures::Table)
                .col(LoginFailures::Key)
                .col(LoginFailures::At)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            LoginFailures::Table.into_iden(),
            AuditLog::Table.into_iden(),
            ApiTokens::Table.into_iden(),
            Sessions::Table.into_iden(),
            UserRoles::Table.into_iden(),
            Users::Table.into_iden(),
            Departments::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
