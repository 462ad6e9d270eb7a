//! Keys made from values: every catalogue key that code builds from a value rather than
//! writes out (a role's name, a state's label, a field error's message…) is made here and
//! nowhere else, and [`every_key`] lists what each family can make, so the tests of the
//! catalogues know every key in use. Enumerations map by exhaustive `match`, so a new
//! variant does not compile until it has a key.

use chrono::Weekday;
use jiedai_domain::procedure::{CONDITION_FIELDS, Group, Phase};
use jiedai_domain::reception::{Action, ArrivalMeans, Grade, Person, ReceptionForm, StageStatus, State};
use jiedai_domain::settlement::{ExpenseCategory, SettlementState};
use jiedai_domain::survey::InviteMail;
use jiedai_domain::tasks::{Bucket, TaskAction, TaskStatus};
use jiedai_domain::{Code, EntryKind, Role, Tier};

/// The key naming a role.
pub fn role(r: Role) -> &'static str {
    match r {
        Role::Requester => "role.requester",
        Role::Approver => "role.approver",
        Role::Coordinator => "role.coordinator",
        Role::Staff => "role.staff",
        Role::Finance => "role.finance",
        Role::Admin => "role.admin",
    }
}

/// The key naming a reception's state.
pub fn state(s: State) -> &'static str {
    match s {
        State::Draft => "reception.state_draft",
        State::Submitted => "reception.state_submitted",
        State::Returned => "reception.state_returned",
        State::Approved => "reception.state_approved",
        State::Planning => "reception.state_planning",
        State::OnSite => "reception.state_on_site",
        State::Closing => "reception.state_closing",
        State::Closed => "reception.state_closed",
        State::Rejected => "reception.state_rejected",
        State::Cancelled => "reception.state_cancelled",
    }
}

/// The key naming a reception tier.
pub fn tier(t: Tier) -> &'static str {
    match t {
        Tier::HighEnd => "reception.tier_high_end",
        Tier::Business => "reception.tier_business",
        Tier::Simple => "reception.tier_simple",
    }
}

/// The key naming a means of arrival.
pub fn means(m: ArrivalMeans) -> &'static str {
    match m {
        ArrivalMeans::Car => "reception.means_car",
        ArrivalMeans::Train => "reception.means_train",
        ArrivalMeans::Flight => "reception.means_flight",
        ArrivalMeans::Other => "reception.means_other",
    }
}

/// The key naming a grade (of fruit, of gifts).
pub fn grade(g: Grade) -> &'static str {
    match g {
        Grade::Fine => "reception.grade_fine",
        Grade::Simple => "reception.grade_simple",
    }
}

/// The key naming where a stage of the timeline stands.
pub fn stage_status(s: StageStatus) -> &'static str {
    match s {
        StageStatus::Done => "reception.stage_done",
        StageStatus::Overdue => "reception.stage_overdue",
        StageStatus::Next => "reception.stage_next",
        StageStatus::Upcoming => "reception.stage_upcoming",
        StageStatus::Stopped => "reception.stage_stopped",
    }
}

/// The key naming an action on a reception (its button and the confirmation's title).
pub fn action(a: Action) -> &'static str {
    match a {
        Action::Submit => "reception.action_submit",
        Action::Approve => "reception.action_approve",
        Action::Return => "reception.action_return",
        Action::Reject => "reception.action_reject",
        Action::TakeOn => "reception.action_take_on",
        Action::Cancel => "reception.action_cancel",
        Action::Withdraw => "reception.action_withdraw",
        Action::OpenDay => "reception.action_open_day",
        Action::WrapUp => "reception.action_wrap_up",
        Action::Close => "reception.action_close",
    }
}

/// The key of the question that confirms an action.
pub fn confirm(a: Action) -> &'static str {
    match a {
        Action::Submit => "reception.confirm_submit",
        Action::Approve => "reception.confirm_approve",
        Action::Return => "reception.confirm_return",
        Action::Reject => "reception.confirm_reject",
        Action::TakeOn => "reception.confirm_take_on",
        Action::Cancel => "reception.confirm_cancel",
        Action::Withdraw => "reception.confirm_withdraw",
        Action::OpenDay => "reception.confirm_open_day",
        Action::WrapUp => "reception.confirm_wrap_up",
        Action::Close => "reception.confirm_close",
    }
}

/// The key of the message shown once an action is done.
pub fn flash_did(a: Action) -> &'static str {
    match a {
        Action::Submit => "flash.did_submit",
        Action::Approve => "flash.did_approve",
        Action::Return => "flash.did_return",
        Action::Reject => "flash.did_reject",
        Action::TakeOn => "flash.did_take_on",
        Action::Cancel => "flash.did_cancel",
        Action::Withdraw => "flash.did_withdraw",
        Action::OpenDay => "flash.did_open_day",
        Action::WrapUp => "flash.did_wrap_up",
        Action::Close => "flash.did_close",
    }
}

/// What a reception's history says was done (`create`, `update` or an action's code, as
/// the audit log records it); none for a code it does not know.
pub fn did(code: &str) -> Option<&'static str> {
    let key = match code {
        "create" => "reception.did_create",
        "update" => "reception.did_update",
        "attach" => "reception.did_attach",
        "detach" => "reception.did_detach",
        other => match Action::parse(other)? {
            Action::Submit => "reception.did_submit",
            Action::Approve => "reception.did_approve",
            Action::Return => "reception.did_return",
            Action::Reject => "reception.did_reject",
            Action::TakeOn => "reception.did_take_on",
            Action::Cancel => "reception.did_cancel",
            Action::Withdraw => "reception.did_withdraw",
            Action::OpenDay => "reception.did_open_day",
            Action::WrapUp => "reception.did_wrap_up",
            Action::Close => "reception.did_close",
        },
    };
    Some(key)
}

/// What a reception's history can record besides the actions.
const HISTORY_CHANGES: [&str; 4] = ["create", "update", "attach", "detach"];

/// The key naming a phase of the task division.
pub fn phase(p: Phase) -> &'static str {
    match p {
        Phase::Before => "procedure.phase_before",
        Phase::OnSite => "procedure.phase_on_site",
        Phase::CloseDown => "procedure.phase_close_down",
    }
}

/// The key naming a group of the task division.
pub fn group(g: Group) -> &'static str {
    match g {
        Group::Driver => "procedure.group_driver",
        Group::Guest => "procedure.group_guest",
        Group::Logistics => "procedure.group_logistics",
        Group::Process => "procedure.group_process",
        Group::Service => "procedure.group_service",
    }
}

/// The key naming a task's status.
pub fn task_status(s: TaskStatus) -> &'static str {
    match s {
        TaskStatus::Todo => "tasks.status_todo",
        TaskStatus::Doing => "tasks.status_doing",
        TaskStatus::Done => "tasks.status_done",
        TaskStatus::Waived => "tasks.status_waived",
    }
}

/// The key of a step's button on a task.
pub fn task_step(a: TaskAction) -> &'static str {
    match a {
        TaskAction::Start => "tasks.step_start",
        TaskAction::Done => "tasks.step_done",
        TaskAction::Reopen => "tasks.step_reopen",
        TaskAction::Waive => "tasks.step_waive",
    }
}

/// The key of the message after a step on a task.
pub fn task_did(a: TaskAction) -> &'static str {
    match a {
        TaskAction::Start => "tasks.did_start",
        TaskAction::Done => "tasks.did_done",
        TaskAction::Reopen => "tasks.did_reopen",
        TaskAction::Waive => "tasks.did_waive",
    }
}

/// The key of a bucket of "my tasks".
pub fn bucket(b: Bucket) -> &'static str {
    match b {
        Bucket::Overdue => "tasks.bucket_overdue",
        Bucket::Today => "tasks.bucket_today",
        Bucket::ThisWeek => "tasks.bucket_this_week",
        Bucket::Later => "tasks.bucket_later",
        Bucket::Settled => "tasks.bucket_settled",
    }
}

/// The key naming an arrangement a task or item may depend on (one of
/// [`CONDITION_FIELDS`]).
pub fn condition(field: &str) -> String {
    format!("arrangement.{field}")
}

/// The key of a field error's message (`FieldError::code`).
pub fn field(code: &str) -> String {
    format!("field.{code}")
}

/// The short name of a day of the week.
pub fn weekday(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "calendar.mon",
        Weekday::Tue => "calendar.tue",
        Weekday::Wed => "calendar.wed",
        Weekday::Thu => "calendar.thu",
        Weekday::Fri => "calendar.fri",
        Weekday::Sat => "calendar.sat",
        Weekday::Sun => "calendar.sun",
    }
}

const WEEKDAYS: [Weekday; 7] =
    [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun];

/// The key naming a kind of day declared in the calendar.
pub fn entry_kind(k: EntryKind) -> &'static str {
    match k {
        EntryKind::Holiday => "calendar.kind_holiday",
        EntryKind::Workday => "calendar.kind_workday",
        EntryKind::Closure => "calendar.kind_closure",
    }
}

pub use super::audit_keys::{AUDIT_ACTIONS, AUDIT_ENTITIES, audit_action, audit_entity};

/// The key of a reception form input's label: rows share their columns' labels
/// (`companions[2].name` → `reception.f.name`), nested inputs join with `_`
/// (`hotel.budget_fen` → `reception.f.hotel_budget_fen`).
pub fn form_label(input: &str) -> String {
    let base = match input.rsplit_once("].") {
        Some((_, col)) => col.to_owned(),
        None => input.replace('.', "_"),
    };
    format!("reception.f.{base}")
}

/// The key of a choice of the reception form (`arrival_means`, `tier`, `fruit`, `gifts`);
/// none for a value that is not one of the choices.
pub fn form_option(input: &str, option: &str) -> Option<&'static str> {
    match input {
        "arrival_means" => ArrivalMeans::parse(option).map(means),
        "tier" => Tier::parse(option).map(tier),
        "fruit" | "gifts" => Grade::parse(option).map(grade),
        _ => None,
    }
}

/// Every input of the reception form as its JSON names it (`hotel.budget_fen`,
/// `companions[0].name`), and each list (`companions`), which has a label of its own.
fn form_inputs() -> Vec<String> {
    fn walk(name: &str, v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, v) in m {
                    walk(&if name.is_empty() { k.clone() } else { format!("{name}.{k}") }, v, out);
                }
            }
            serde_json::Value::Array(a) => {
                out.push(name.to_owned());
                for (i, v) in a.iter().enumerate() {
                    walk(&format!("{name}[{i}]"), v, out);
                }
            }
            _ => out.push(name.to_owned()),
        }
    }
    let form = ReceptionForm {
        companions: vec![Person::default()],
        support_staff: vec![Person::default()],
        ..Default::default()
    };
    let mut out = Vec::new();
    walk("", &serde_json::to_value(form).unwrap_or_default(), &mut out);
    out
}

/// The label of an expense's category (住宿, 午餐…).
pub fn expense_category(c: ExpenseCategory) -> &'static str {
    match c {
        ExpenseCategory::Hotel => "settlement.cat_hotel",
        ExpenseCategory::Lunch => "settlement.cat_lunch",
        ExpenseCategory::Dinner => "settlement.cat_dinner",
        ExpenseCategory::Entertainment => "settlement.cat_entertainment",
        ExpenseCategory::Gifts => "settlement.cat_gifts",
        ExpenseCategory::FruitTea => "settlement.cat_fruit_tea",
        ExpenseCategory::Transport => "settlement.cat_transport",
        ExpenseCategory::Tickets => "settlement.cat_tickets",
        ExpenseCategory::Rentals => "settlement.cat_rentals",
        ExpenseCategory::Purchases => "settlement.cat_purchases",
        ExpenseCategory::Other => "settlement.cat_other",
    }
}

/// The label of a settlement's state.
pub fn settlement_state(s: SettlementState) -> &'static str {
    match s {
        SettlementState::Open => "settlement.state_open",
        SettlementState::Submitted => "settlement.state_submitted",
        SettlementState::Approved => "settlement.state_approved",
        SettlementState::Returned => "settlement.state_returned",
    }
}

/// The label of where a guest link's mail stands.
pub fn invite_mail(m: InviteMail) -> &'static str {
    match m {
        InviteMail::Waiting => "satisfaction.mail_waiting",
        InviteMail::Sent => "satisfaction.mail_sent",
        InviteMail::Retrying => "satisfaction.mail_retrying",
        InviteMail::Failed => "satisfaction.mail_failed",
        InviteMail::NotSent => "satisfaction.mail_not_sent",
        InviteMail::NoMailServer => "satisfaction.mail_no_mail_server",
    }
}

/// Every key the functions above can make, family by family (with the family's name), for
/// the tests of the catalogues. Field errors are not here: their codes are listed by the
/// test that reads them out of the source.
pub fn every_key() -> Vec<(&'static str, String)> {
    fn family<T: Copy>(name: &'static str, all: &[T], key: impl Fn(T) -> &'static str) -> Vec<(&'static str, String)> {
        all.iter().map(|v| (name, key(*v).to_owned())).collect()
    }
    let mut out = Vec::new();
    out.extend(family("role", Role::all(), role));
    out.extend(family("state", State::all(), state));
    out.extend(family("tier", Tier::all(), tier));
    out.extend(family("means", ArrivalMeans::all(), means));
    out.extend(family("grade", Grade::all(), grade));
    out.extend(family("stage_status", StageStatus::all(), stage_status));
    out.extend(family("action", Action::all(), action));
    out.extend(family("confirm", Action::all(), confirm));
    out.extend(family("flash_did", Action::all(), flash_did));
    let history = HISTORY_CHANGES.iter().copied().chain(Action::all().iter().map(|a| a.as_str()));
    out.extend(history.map(|c| ("did", did(c).unwrap_or(c).to_owned())));
    out.extend(family("phase", Phase::all(), phase));
    out.extend(family("group", Group::all(), group));
    out.extend(CONDITION_FIELDS.iter().map(|f| ("condition", condition(f))));
    out.extend(family("weekday", &WEEKDAYS, weekday));
    out.extend(family("entry_kind", EntryKind::all(), entry_kind));
    out.extend(family("task_status", TaskStatus::all(), task_status));
    out.extend(family("task_step", TaskAction::all(), task_step));
    out.extend(family("task_did", TaskAction::all(), task_did));
    out.extend(family("bucket", Bucket::all(), bucket));
    out.extend(family("expense_category", ExpenseCategory::all(), expense_category));
    out.extend(family("settlement_state", SettlementState::all(), settlement_state));
    out.extend(family("invite_mail", InviteMail::all(), invite_mail));
    out.extend(AUDIT_ENTITIES.iter().map(|(_, k)| ("audit_entity", (*k).to_owned())));
    out.extend(AUDIT_ACTIONS.iter().map(|(_, k)| ("audit_action", (*k).to_owned())));
    out.extend(form_inputs().iter().map(|i| ("form_label", form_label(i))));
    for k in jiedai_domain::notify::EventKey::all() {
        let slug = k.slug();
        out.push(("notify_event", format!("notify.event_{slug}")));
        out.push(("notify_title", format!("notify.title_{slug}")));
        out.push(("notify_body", format!("notify.body_{slug}")));
    }
    out.push(("notify_title", "notify.title_task_taken_off".to_owned()));
    out.push(("notify_body", "notify.body_task_taken_off".to_owned()));
    for k in jiedai_domain::notify::ChannelKind::all() {
        out.push(("notify_kind", format!("notify.kind_{}", k.as_str())));
    }
    for st in jiedai_domain::notify::DeliveryStatus::all() {
        out.push(("notify_status", format!("notify.status_{}", st.as_str())));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_labels_are_shared_by_rows_and_joined_for_nested_inputs() {
        assert_eq!(form_label("companions[2].name"), "reception.f.name");
        assert_eq!(form_label("hotel.budget_fen"), "reception.f.hotel_budget_fen");
        assert_eq!(form_label("companions"), "reception.f.companions");
        let inputs = form_inputs();
        for name in ["guest_name", "hotel.budget_fen", "companions", "companions[0].name", "tea.black"] {
            assert!(inputs.iter().any(|i| i == name), "{name} not in {inputs:?}");
        }
    }

    #[test]
    fn history_entries_are_named_by_their_code() {
        assert_eq!(did("take-on"), Some("reception.did_take_on"));
        assert_eq!(did("create"), Some("reception.did_create"));
        assert_eq!(did("teleport"), None);
        assert_eq!(form_option("tier", "high_end"), Some("reception.tier_high_end"));
        assert_eq!(form_option("fruit", "golden"), None);
    }

    #[test]
    fn every_action_on_a_reception_is_in_the_audit_log_s_terms() {
        for a in Action::all() {
            assert!(audit_action(a.as_str()).is_some(), "{a:?}");
        }
        for c in HISTORY_CHANGES {
            assert!(audit_action(c).is_some(), "{c}");
        }
    }
}
