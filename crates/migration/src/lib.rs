//! The migrations of Jiedai: one file per change, built with portable sea-query
//! builders so that one set serves SQLite and PostgreSQL.

pub use sea_orm_migration::prelude::*;

mod m20261127_000001_create_accounts;
mod m20261127_000002_index_audit_entity_id;
mod m20261127_000003_create_calendar_days;
mod m20261127_000004_create_procedure_versions;
mod m20261127_000005_create_receptions;
mod m20261130_000006_create_idempotency_keys;
mod m20261130_000007_create_cache_epochs;
mod m20261201_000008_state_indexes_carry_tier;
mod m20261201_000009_create_code_counters_and_secrets;
mod m20261201_000010_create_delegations_and_attachments;
mod m20261202_000011_create_tasks_and_teams;
mod m20261203_000012_create_agendas_and_calendar_feeds;
mod m20261204_000013_create_notifications;
mod m20261205_000014_create_resources;
mod m20261206_000015_create_settlements;
mod m20261206_000016_create_surveys;
mod m20261206_000017_create_reviews;
mod m20261206_000018_report_indexes;
mod m20261207_000019_survey_invites;

/// Every migration, in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261127_000001_create_accounts::Migration),
            Box::new(m20261127_000002_index_audit_entity_id::Migration),
            Box::new(m20261127_000003_create_calendar_days::Migration),
            Box::new(m20261127_000004_create_procedure_versions::Migration),
            Box::new(m20261127_000005_create_receptions::Migration),
            Box::new(m20261130_000006_create_idempotency_keys::Migration),
            Box::new(m20261130_000007_create_cache_epochs::Migration),
            Box::new(m20261201_000008_state_indexes_carry_tier::Migration),
            Box::new(m20261201_000009_create_code_counters_and_secrets::Migration),
            Box::new(m20261201_000010_create_delegations_and_attachments::Migration),
            Box::new(m20261202_000011_create_tasks_and_teams::Migration),
            Box::new(m20261203_000012_create_agendas_and_calendar_feeds::Migration),
            Box::new(m20261204_000013_create_notifications::Migration),
            Box::new(m20261205_000014_create_resources::Migration),
            Box::new(m20261206_000015_create_settlements::Migration),
            Box::new(m20261206_000016_create_surveys::Migration),
            Box::new(m20261206_000017_create_reviews::Migration),
            Box::new(m20261206_000018_report_indexes::Migration),
            Box::new(m20261207_000019_survey_invites::Migration),
        ]
    }
}
