//! The approve and return links of an approver's mail: signed by a random secret (only its
//! SHA-256 is kept), for the one person it was mailed to, for the reception as it was then
//! (a change since makes the link say so and do nothing), used once, for seven days. Opening
//! one shows a confirmation page; the person still signs in if their session is gone.

use chrono::{Duration, Utc};
use jiedai_domain::reception::{Action, State, Viewer};
use jiedai_domain::{Actor, Code, ReceptionId, UserId};
use jiedai_store::{StoredLink, StoredReception};

use crate::receptions::Step;
use crate::secrets::{random_hex, sha256_hex};
use crate::{App, Error, Result};

/// How long a link works.
pub const LINK_DAYS: i64 = 7;

/// Where a link stands for the person opening it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkState {
    /// It can be used now.
    Ready,
    /// It was used already.
    Used,
    /// Its seven days are over.
    Expired,
    /// The request changed since the mail (decided, withdrawn, edited): nothing is done.
    Changed,
    /// It was mailed to someone else.
    NotYours,
}

/// A link opened: the reception, the action, and whether it can be used.
#[derive(Debug, Clone)]
pub struct OpenedLink {
    /// The reception as it is now.
    pub reception: StoredReception,
    /// Approve or return.
    pub action: Action,
    /// Where the link stands.
    pub state: LinkState,
}

/// Makes the approve and return links of a submitted reception for one person: their secrets
/// (`None` when the reception is no longer waiting for a decision).
pub async fn make_decision_links(app: &App, user: UserId, reception: ReceptionId) -> Result<Option<(String, String)>> {
    let r = app.store().get_reception(reception).await?;
    if r.state != State::Submitted {
        return Ok(None);
    }
    let mut secrets = Vec::new();
    for action in [Action::Approve, Action::Return] {
        let secret = random_hex();
        let link = StoredLink {
            user_id: user,
            reception_id: reception,
            action: action.as_str().to_owned(),
            version: r.version,
            expires_at: Utc::now() + Duration::days(LINK_DAYS),
            used_at: None,
        };
        app.store().add_action_link(&sha256_hex(&secret), &link).await?;
        secrets.push(secret);
    }
    Ok(Some((secrets[0].clone(), secrets[1].clone())))
}

/// Opens a link for the signed-in person (404 for a secret that names none).
pub async fn open_link(app: &App, user: UserId, secret: &str) -> Result<OpenedLink> {
    let secret = secret.trim();
    if secret.len() != 64 || !secret.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Error::NotFound);
    }
    let link = app.store().action_link(&sha256_hex(secret)).await?.ok_or(Error::NotFound)?;
    let action = Action::parse(&link.action).ok_or(Error::NotFound)?;
    let reception = app.store().get_reception(link.reception_id).await?;
    let state = if link.user_id != user {
        LinkState::NotYours
    } else if link.used_at.is_some() {
        LinkState::Used
    } else if link.expires_at < Utc::now() {
        LinkState::Expired
    } else if reception.version != link.version || reception.state != State::Submitted {
        LinkState::Changed
    } else {
        LinkState::Ready
    };
    Ok(OpenedLink { reception, action, state })
}

/// Uses a link: the action with the comment, at the version the mail was about. A problem
/// with the comment leaves the link usable; any other answer but success says why nothing
/// was done.
pub async fn use_link(
    app: &App,
    viewer: &Viewer,
    secret: &str,
    comment: &str,
    actor: &Actor,
) -> Result<(OpenedLink, Option<StoredReception>)> {
    let opened = open_link(app, viewer.user_id, secret).await?;
    if opened.state != LinkState::Ready {
        return Ok((opened, None));
    }
    let step = Step::new(opened.action, Some(opened.reception.version), comment);
    match crate::receptions::act(app, viewer, opened.reception.id, step, actor).await {
        Ok(r) => {
            app.store().use_action_link(&sha256_hex(secret.trim())).await?;
            Ok((opened, Some(r)))
        }
        Err(Error::StaleVersion | Error::Conflict { .. }) => {
            Ok((OpenedLink { state: LinkState::Changed, ..opened }, None))
        }
        Err(e) => Err(e),
    }
}
