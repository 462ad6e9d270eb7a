//! What the review pages share: the people to choose from and everyone's name, the groups
//! that report, an action as a row.

use std::collections::HashMap;

use jiedai_app::review::ActionView;
use jiedai_domain::review::ActionState;
use jiedai_domain::{Code, UserId};

use crate::i18n::{Tr, keys};
use crate::render::Chrome;
use crate::state::AppState;

/// The groups of the procedure that report at the meeting: `(key, name)`.
pub(super) fn groups(tr: Tr) -> Vec<(&'static str, String)> {
    jiedai_domain::procedure::Group::all().iter().map(|g| (g.as_str(), tr.t(keys::group(*g)).to_owned())).collect()
}

/// An action as a row of a list.
pub struct ActionRow {
    pub(crate) id: i32,
    pub(crate) reception_id: i32,
    pub(crate) reception_code: String,
    pub(crate) organization: String,
    pub(crate) what: String,
    pub(crate) owner_id: String,
    pub(crate) owner: String,
    pub(crate) due: String,
    pub(crate) due_iso: String,
    pub(crate) done: bool,
    pub(crate) overdue: bool,
    pub(crate) done_note: String,
    pub(crate) done_at: String,
    pub(crate) version: i32,
    pub(crate) may_edit: bool,
    pub(crate) may_finish: bool,
}

pub(super) fn action_row(s: &AppState, c: &Chrome, names: &HashMap<UserId, String>, v: ActionView) -> ActionRow {
    let a = v.action;
    ActionRow {
        id: a.id.get(),
        reception_id: a.reception_id.get(),
        reception_code: a.reception_code,
        organization: a.organization,
        what: a.action.what,
        owner_id: a.action.owner_id.to_string(),
        owner: names.get(&a.action.owner_id).cloned().unwrap_or_default(),
        due: c.date(&a.action.due_on),
        due_iso: a.action.due_on.to_string(),
        done: a.state == ActionState::Done,
        overdue: v.overdue,
        done_note: a.done_note,
        done_at: a.done_at.map(|t| c.tr.datetime_on(t, s.tz(), c.today)).unwrap_or_default(),
        version: a.version,
        may_edit: v.may_edit,
        may_finish: v.may_finish,
    }
}
