//! Receptions: creating and editing requests, moving them through their states, and
//! reading them as the viewer may see them — one at a time, in lists, in the history and on
//! the home page. Pages and the API both come here, so the rules (who may, what is
//! checked, the late flag, the timeline) hold for both.

pub mod attachments;
mod commands;
mod delegation;
mod history;
mod home;
mod list;
mod view;

use jiedai_domain::User;
pub use jiedai_domain::reception::Viewer;
pub use jiedai_store::{AttachmentMeta, Cursor, ReceptionFilter, ReceptionRow, Sort, StoredReception};

pub use commands::{
    MAX_COMMENT, MAX_LATE_REASON, Step, act, blockers, copy, create, departments_for, submission_problems, update,
};
pub use delegation::{delegation_of, deputy_for, set_delegation};
pub use history::{Approval, FieldChange, HistoryEntry, changes_between, entries, get_with_approval, get_with_history};
pub use home::{Dashboard, Waiting, WaitingKind, WeekDay, dashboard};
pub use list::{ListPage, ListRequest, ListView, apply_view, cursor_to_string, list, list_all, page, parse_cursor};
pub(crate) use view::visible;
pub use view::{ReceptionView, get, view_of};

use crate::{App, Result, accounts};

/// The viewer for a signed-in person: their roles, department and the departments they head.
pub async fn viewer_of(app: &App, user: &User) -> Result<Viewer> {
    Ok(Viewer {
        user_id: user.id,
        roles: user.roles,
        department_id: user.department_id,
        heads: accounts::departments_headed_by(app, user.id).await?,
        deputy_for: deputy_for(app, user.id).await?,
    })
}
