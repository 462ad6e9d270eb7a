//! The audit log's vocabulary: the kinds of entity and the actions the store records, each
//! with the key of its label (the audit page, its filter and every history read them).

/// The kinds of entity the audit log records (as the store writes them), with their
/// label keys, in the order of the audit page's filter.
pub const AUDIT_ENTITIES: &[(&str, &str)] = &[
    ("user", "audit.entity_user"),
    ("department", "audit.entity_department"),
    ("token", "audit.entity_token"),
    ("session", "audit.entity_session"),
    ("calendar", "audit.entity_calendar"),
    ("procedure", "audit.entity_procedure"),
    ("reception", "audit.entity_reception"),
    ("delegation", "audit.entity_delegation"),
    ("task", "audit.entity_task"),
    ("team", "audit.entity_team"),
    ("agenda", "audit.entity_agenda"),
    ("calendar_feed", "audit.entity_calendar_feed"),
    ("channel", "audit.entity_channel"),
    ("notification_preferences", "audit.entity_notification_preferences"),
    ("delivery", "audit.entity_delivery"),
    ("room", "audit.entity_room"),
    ("vehicle", "audit.entity_vehicle"),
    ("stock_item", "audit.entity_stock_item"),
    ("booking", "audit.entity_booking"),
    ("item_line", "audit.entity_item_line"),
    ("lost_found", "audit.entity_lost_found"),
    ("expense", "audit.entity_expense"),
    ("settlement", "audit.entity_settlement"),
    ("survey_link", "audit.entity_survey_link"),
    ("survey_response", "audit.entity_survey_response"),
    ("survey", "audit.entity_survey"),
    ("review", "audit.entity_review"),
    ("improvement_action", "audit.entity_improvement_action"),
];

/// What the audit log records as done (as the store writes it), with the label keys; the
/// actions on receptions are recorded by their codes.
pub const AUDIT_ACTIONS: &[(&str, &str)] = &[
    ("create", "audit.action_create"),
    ("update", "audit.action_update"),
    ("delete", "audit.action_delete"),
    ("import", "audit.action_import"),
    ("set_password", "audit.action_set_password"),
    ("set_language", "audit.action_set_language"),
    ("login", "audit.action_login"),
    ("logout", "audit.action_logout"),
    ("login_failed", "audit.action_login_failed"),
    ("login_disabled", "audit.action_login_disabled"),
    ("revoke", "audit.action_revoke"),
    ("submit", "audit.action_submit"),
    ("approve", "audit.action_approve"),
    ("return", "audit.action_return"),
    ("reject", "audit.action_reject"),
    ("take-on", "audit.action_take_on"),
    ("cancel", "audit.action_cancel"),
    ("withdraw", "audit.action_withdraw"),
    ("attach", "audit.action_attach"),
    ("detach", "audit.action_detach"),
    ("delegate", "audit.action_delegate"),
    ("end_delegation", "audit.action_end_delegation"),
    ("start", "audit.action_start"),
    ("done", "audit.action_done"),
    ("reopen", "audit.action_reopen"),
    ("waive", "audit.action_waive"),
    ("open-day", "audit.action_open_day"),
    ("wrap-up", "audit.action_wrap_up"),
    ("close", "audit.action_close"),
    ("move", "audit.action_move"),
    ("renew", "audit.action_renew"),
    ("retry", "audit.action_retry"),
    ("override", "audit.action_override"),
    ("count_out", "audit.action_count_out"),
    ("count_back", "audit.action_count_back"),
    ("adjust", "audit.action_adjust"),
    ("unwaive", "audit.action_unwaive"),
    ("record", "audit.action_record"),
    ("apply", "audit.action_apply"),
];

fn lookup(table: &[(&str, &'static str)], code: &str) -> Option<&'static str> {
    table.iter().find(|(c, _)| *c == code).map(|(_, k)| *k)
}

/// The key naming a kind of entity of the audit log; none for one it does not know.
pub fn audit_entity(entity: &str) -> Option<&'static str> {
    lookup(AUDIT_ENTITIES, entity)
}

/// The key naming what an audit entry records as done; none for what it does not know.
pub fn audit_action(action: &str) -> Option<&'static str> {
    lookup(AUDIT_ACTIONS, action)
}
