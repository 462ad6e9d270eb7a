//! SeaORM entities, one per table. Only this crate sees them.

pub mod action_link;
pub mod agenda;
pub mod api_token;
pub mod audit_log;
pub mod cache_epoch;
pub mod calendar_day;
pub mod calendar_feed;
pub mod channel;
pub mod delegation;
pub mod delivery;
pub mod department;
pub mod event;
pub mod idempotency_key;
pub mod login_failure;
pub mod notification;
pub mod notification_preference;
pub mod procedure_version;
pub mod reception;
pub mod reception_attachment;
pub mod reception_form;
pub mod session;
pub mod task;
pub mod team;
pub mod team_member;
pub mod user;
pub mod user_role;
