//! The satisfaction survey (Attachment 4): guests answer through a link that needs no
//! account (`links`, `guest`), General Management and the host department answer signed in
//! (`respond`), everyone who may see the reception reads the results, and General Management
//! may waive it (`results`). A reception closes once its survey has a response or a waiver
//! ([`close_blocker`]).

mod guest;
mod links;
mod respond;
mod results;

use jiedai_domain::reception::{State, Viewer};
use jiedai_domain::{FieldError, ReceptionId};
pub use jiedai_store::{StoredSurveyLink, StoredSurveyResponse, StoredWaiver};

pub use guest::{GuestSurvey, answer_as_guest, open_guest};
pub use links::{LinkInput, LinkView, create_link, links, links_by_id, open_links, withdraw_link};
pub use respond::{MemberSurvey, answer_as_member, member_survey, record_response, respondent_kind};
pub use results::{SurveyResults, results, unwaive, waive};

use crate::{App, Result};

/// Guests' answers a minute, per client address and per link, before 429.
pub const GUEST_POSTS_PER_MINUTE: u32 = 10;

/// General Management (and administrators) manage surveys everywhere.
fn manages(viewer: &Viewer) -> bool {
    crate::tasks::plans(viewer)
}

/// A survey can be answered while the reception is under way and once it is closed.
fn answerable(state: State) -> bool {
    state.is_under_way() || state == State::Closed
}

/// What keeps a reception from closing on the survey's account: `survey_missing` unless it
/// has a response or was waived.
pub async fn close_blocker(app: &App, id: ReceptionId) -> Result<Option<FieldError>> {
    if app.store().survey_response_count(id).await? > 0 || app.store().survey_waiver(id).await?.is_some() {
        return Ok(None);
    }
    Ok(Some(FieldError::new("state", "survey_missing")))
}
