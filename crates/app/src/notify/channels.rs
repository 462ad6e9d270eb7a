//! Channels kept by administrators (every problem told at once, the secret never answered
//! back), and each person's choice of e-mail per event.

use jiedai_domain::notify::{ChannelInput, ChannelKind, EventKey, check_channel};
use jiedai_domain::{Actor, ChannelId, Code, DepartmentId, FieldError, FieldErrors, UserId};
use jiedai_store::{ChannelWrite, StoredChannel};

use crate::{App, Error, Result};

/// A channel's settings as typed (a form or a JSON body).
#[derive(Debug, Clone, Default)]
pub struct ChannelDraft {
    /// `wecom`, `dingtalk`, `feishu` or `webhook`.
    pub kind: String,
    /// Name, address, secret and events.
    pub input: ChannelInput,
    /// `None` keeps the stored secret (a change that leaves it blank).
    pub keep_secret: bool,
    /// Department, or every one.
    pub department_id: Option<DepartmentId>,
    /// Used or not.
    pub active: bool,
}

async fn checked(app: &App, d: &ChannelDraft) -> Result<ChannelWrite> {
    let mut errs = FieldErrors::new();
    let kind = ChannelKind::parse(d.kind.trim());
    if kind.is_none() {
        errs.push(FieldError::new("kind", "unknown_channel_kind"));
    }
    let settings = match check_channel(&d.input) {
        Ok(s) => Some(s),
        Err(e) => {
            errs.0.extend(e.0);
            None
        }
    };
    if let Some(dep) = d.department_id
        && app.store().get_department(dep).await.is_err()
    {
        errs.push(FieldError::new("department_id", "unknown_department"));
    }
    let (Some(kind), Some(s), true) = (kind, settings, errs.is_empty()) else {
        return Err(Error::Validation(errs));
    };
    Ok(ChannelWrite {
        kind,
        name: s.name,
        url: s.url,
        secret: (!(d.keep_secret && s.secret.is_empty())).then_some(s.secret),
        events: s.events,
        department_id: d.department_id,
        active: d.active,
    })
}

/// Every channel.
pub async fn channels(app: &App) -> Result<Vec<StoredChannel>> {
    Ok(app.store().channels().await?)
}

/// One channel.
pub async fn channel(app: &App, id: ChannelId) -> Result<StoredChannel> {
    Ok(app.store().channel(id).await?)
}

/// Adds a channel.
pub async fn create_channel(app: &App, d: &ChannelDraft, actor: &Actor) -> Result<StoredChannel> {
    let w = checked(app, d).await?;
    Ok(app.store().add_channel(&w, actor).await?)
}

/// Changes a channel read at `version` (409 when stale).
pub async fn update_channel(
    app: &App,
    id: ChannelId,
    version: i32,
    d: &ChannelDraft,
    actor: &Actor,
) -> Result<StoredChannel> {
    app.store().channel(id).await?;
    let w = checked(app, d).await?;
    Ok(app.store().update_channel(id, version, &w, actor).await?)
}

/// Removes a channel read at `version` (409 when stale).
pub async fn delete_channel(app: &App, id: ChannelId, version: i32, actor: &Actor) -> Result<()> {
    Ok(app.store().remove_channel(id, version, actor).await?)
}

/// Whether a person wants e-mail, for every event (in the order of the keys).
pub async fn email_preferences(app: &App, user: UserId) -> Result<Vec<(EventKey, bool)>> {
    let off = app.store().email_opt_outs(user).await?;
    Ok(EventKey::for_staff().map(|k| (k, !off.contains(&k))).collect())
}

/// Sets whether a person wants e-mail for the events given (the others keep their choice).
pub async fn set_email_preferences(
    app: &App,
    user: UserId,
    choices: &[(EventKey, bool)],
    actor: &Actor,
) -> Result<Vec<(EventKey, bool)>> {
    app.store().set_email_preferences(user, choices, actor).await?;
    email_preferences(app, user).await
}
