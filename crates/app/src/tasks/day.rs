//! The day itself: a reception's agenda (the starting set built from the form until General
//! Management saves one), and what a person's calendar feed holds.

use jiedai_domain::agenda::{AgendaItem, check, starting_agenda};
use jiedai_domain::reception::Viewer;
use jiedai_domain::{Actor, FieldError, Language, ReceptionId, UserId};

use super::{is_active, plans, under_way};
use crate::{App, Error, Result, receptions, secrets};

/// A reception's agenda as people see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agenda {
    /// Its items, in the order of the day.
    pub items: Vec<AgendaItem>,
    /// The version to send back with a change (0 while none was saved).
    pub version: i32,
    /// Nothing saved yet: the items are the starting set built from the form.
    pub suggested: bool,
}

/// A reception's agenda, for those who may see the reception: the saved one, or the
/// starting set from the form (in `lang`) while none is saved.
pub async fn agenda(app: &App, viewer: &Viewer, id: ReceptionId, lang: Language) -> Result<Agenda> {
    let v = receptions::get(app, viewer, id).await?;
    Ok(match app.store().agenda(id).await? {
        Some(a) => Agenda { items: a.items, version: a.version, suggested: false },
        None => Agenda { items: starting_agenda(&v.r.form, lang), version: 0, suggested: true },
    })
}

/// Saves a reception's agenda read at `version` (General Management and administrators,
/// while the reception is carried out): every item on one of the visit's days, with a
/// title, its responsible an active person; every problem at once.
pub async fn save_agenda(
    app: &App,
    viewer: &Viewer,
    id: ReceptionId,
    version: i32,
    mut items: Vec<AgendaItem>,
    actor: &Actor,
) -> Result<Agenda> {
    let v = receptions::get(app, viewer, id).await?;
    if !plans(viewer) {
        return Err(Error::Forbidden);
    }
    under_way(app, id).await?;
    let start = v.r.visit_start;
    let mut errs = check(&mut items, start, v.r.visit_end.max(start));
    let mut seen: Vec<(UserId, bool)> = Vec::new();
    for (i, it) in items.iter().enumerate() {
        let Some(p) = it.responsible_id else { continue };
        let active = match seen.iter().find(|(u, _)| *u == p) {
            Some((_, a)) => *a,
            None => {
                let a = is_active(app, p).await?;
                seen.push((p, a));
                a
            }
        };
        if !active {
            errs.push(FieldError { line: Some(i + 1), ..FieldError::new("responsible_id", "person_not_active") });
        }
    }
    if !errs.is_empty() {
        return Err(Error::Validation(errs));
    }
    // Each item keeps its key; a new item (or a repeated key) gets a fresh one.
    let mut keys: Vec<String> = Vec::new();
    for it in &mut items {
        if it.key.is_empty() || keys.contains(&it.key) {
            it.key = secrets::random_hex()[..16].to_owned();
        }
        keys.push(it.key.clone());
    }
    let saved = app.store().save_agenda(id, version, &items, actor).await?;
    Ok(Agenda { items: saved.items, version: saved.version, suggested: false })
}

/// Turns on (or renews) a person's private calendar feed: a new secret, whose hash is kept;
/// the URL before stops at once. The secret, to put in the URL.
pub async fn renew_calendar_feed(app: &App, user: UserId, actor: &Actor) -> Result<String> {
    let secret = secrets::random_hex();
    app.store().set_calendar_feed(user, &secrets::sha256_hex(&secret), actor).await?;
    Ok(secret)
}

/// Whose feed a secret opens, if it is a current one (a renewed or unknown secret: none).
pub async fn calendar_feed_owner(app: &App, secret: &str) -> Result<Option<UserId>> {
    if secret.len() != 64 || !secret.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    Ok(app.store().calendar_feed_owner(&secrets::sha256_hex(secret)).await?)
}

/// A visit a person takes part in, for their calendar: the reception, and its agenda items
/// that are theirs (all of them for its coordinator).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedVisit {
    /// The reception.
    pub id: ReceptionId,
    /// Its code.
    pub code: String,
    /// Its guest organisation.
    pub organization: String,
    /// Its first and last day.
    pub days: (chrono::NaiveDate, chrono::NaiveDate),
    /// Its agenda items for this person.
    pub items: Vec<(usize, AgendaItem)>,
}

/// What a person's calendar feed holds: their tasks on receptions under way, and the
/// visits they take part in (hold a task in, coordinate, or answer for an agenda item of)
/// with the agenda items that are theirs.
pub async fn calendar_feed(app: &App, user: UserId) -> Result<(Vec<super::HeldTask>, Vec<FeedVisit>)> {
    let held: Vec<super::HeldTask> = super::mine(app, user).await?.into_iter().filter(|h| !h.withdrawn).collect();
    let mut ids: Vec<ReceptionId> = held.iter().map(|h| h.view.task.reception_id).collect();
    ids.extend(app.store().receptions_coordinated_by(user).await?);
    ids.sort_unstable_by_key(|i| i.get());
    ids.dedup();
    let agendas = app.store().agendas_of(&ids).await?;
    let mut visits = Vec::new();
    for id in ids {
        let r = app.store().get_reception(id).await?;
        if !r.state.is_under_way() {
            continue;
        }
        let everything = r.coordinator_id == Some(user);
        let items = agendas
            .iter()
            .find(|(a, _)| *a == id)
            .map(|(_, a)| {
                a.items
                    .iter()
                    .cloned()
                    .enumerate()
                    .filter(|(_, it)| everything || it.responsible_id == Some(user))
                    .collect()
            })
            .unwrap_or_default();
        visits.push(FeedVisit {
            id,
            code: r.code.clone(),
            organization: r.form.guest_organization.clone(),
            days: (r.visit_start, r.visit_end.max(r.visit_start)),
            items,
        });
    }
    Ok((held, visits))
}
