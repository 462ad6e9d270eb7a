//! Notifications: the bell and `/notifications`, e-mail preferences, the channels
//! administrators keep (`/admin/channels`) and the deliveries they look after
//! (`/admin/notifications`), and the worker that sends (see `worker`).

pub mod api;
pub mod channels_api;
pub mod link_page;
pub mod message;
pub mod pages;
mod reminders;
pub mod send;
pub mod worker;

use axum::routing::{get, post};
use jiedai_app::notify::StoredChannel;
use jiedai_domain::Permission::{ManageChannels, SignedIn};
use jiedai_domain::notify::EventKey;

use crate::auth::Cx;
use crate::route::RouteSpec;
use crate::state::AppState;

/// The routes of notifications.
pub fn routes() -> Vec<RouteSpec> {
    use utoipa_axum::routes;
    vec![
        RouteSpec::api(SignedIn, routes!(api::list)),
        RouteSpec::api(SignedIn, routes!(api::unread)),
        RouteSpec::api(SignedIn, routes!(api::read)),
        RouteSpec::api(SignedIn, routes!(api::read_all)),
        RouteSpec::api(SignedIn, routes!(api::get_preferences, api::put_preferences)),
        RouteSpec::api(ManageChannels, routes!(channels_api::list_channels, channels_api::create_channel)),
        RouteSpec::api(
            ManageChannels,
            routes!(channels_api::get_channel, channels_api::put_channel, channels_api::delete_channel),
        ),
        RouteSpec::api(ManageChannels, routes!(channels_api::test_channel)),
        RouteSpec::api(ManageChannels, routes!(channels_api::list_deliveries)),
        RouteSpec::api(ManageChannels, routes!(channels_api::retry_delivery)),
        RouteSpec::page("/notifications", SignedIn, get(pages::list)),
        RouteSpec::page("/notifications/read-all", SignedIn, post(pages::read_all)),
        RouteSpec::page("/notifications/{id}", SignedIn, post(pages::open)),
        RouteSpec::page("/account/notifications", SignedIn, get(pages::preferences).post(pages::save_preferences)),
        RouteSpec::page("/admin/channels", ManageChannels, get(pages::channels).post(pages::add_channel)),
        RouteSpec::page("/admin/channels/{id}", ManageChannels, post(pages::save_channel)),
        RouteSpec::page("/admin/channels/{id}/delete", ManageChannels, post(pages::remove_channel)),
        RouteSpec::page("/admin/channels/{id}/test", ManageChannels, post(pages::test_channel)),
        RouteSpec::page("/admin/notifications", ManageChannels, get(pages::deliveries)),
        RouteSpec::page("/admin/notifications/{id}/retry", ManageChannels, post(pages::retry)),
        RouteSpec::page("/l/{secret}", SignedIn, get(link_page::open).post(link_page::confirm)),
    ]
}

/// Sends a test message to a channel now; how the receiver answered.
pub async fn test_message(s: &AppState, cx: &Cx, c: &StoredChannel) -> channels_api::TestResult {
    let tr = cx.tr();
    let title = tr.t_with("notify.test_title", &[("name", c.name.as_str())]);
    let line = tr.t("notify.test_body");
    let base = worker::base_url(s);
    let text = format!("{title}\n\n{line}\n\n{base}/");
    let markdown = format!("### {title}\n\n{line}\n\n[{}]({base}/)", tr.t("notify.open"));
    let html = format!("<p><strong>{title}</strong></p><p>{line}</p>");
    let json = serde_json::json!({"event": "test", "title": title, "text": line, "link": format!("{base}/")});
    let out = send::Outgoing { title: &title, text: &text, markdown: &markdown, html: &html, json: &json };
    match s.sender.channel(c, &out).await {
        Ok(()) => channels_api::TestResult { ok: true, detail: tr.t("notify.test_ok").to_owned() },
        Err(e) => channels_api::TestResult { ok: false, detail: e.0 },
    }
}

/// The locale key naming an event (preferences, channel settings).
pub fn event_label(k: EventKey) -> String {
    format!("notify.event_{}", k.slug())
}

/// In the API document: an event people and channels can choose (every event but a guest's
/// survey mail, which goes to its address only).
pub struct StaffEventKey;

impl utoipa::PartialSchema for StaffEventKey {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use jiedai_domain::Code;
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        let keys: Vec<&'static str> = EventKey::for_staff().map(EventKey::as_str).collect();
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(keys))
            .description(Some("An event key people and channels can choose"))
            .into()
    }
}

impl utoipa::ToSchema for StaffEventKey {}
