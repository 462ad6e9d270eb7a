//! Lists of receptions: the views people come for (all they may see, their own, waiting
//! for their approval, waiting to be taken on), filtered, sorted and keyset-paged.

use jiedai_domain::reception::{State, Viewer};
use jiedai_domain::{ReceptionId, Role};
use jiedai_store::{Cursor, ReceptionFilter, ReceptionRow, Scope, Sort};

use crate::{App, Error, Result};

/// The list views of the dashboard and the list page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, strum::IntoStaticStr, strum::VariantArray)]
pub enum ListView {
    /// Everything the viewer may see.
    #[default]
    #[strum(serialize = "all")]
    All,
    /// Requested by the viewer.
    #[strum(serialize = "mine")]
    Mine,
    /// Submitted to the viewer for approval.
    #[strum(serialize = "approve")]
    ToApprove,
    /// Approved, waiting for General Management.
    #[strum(serialize = "take-on")]
    ToTakeOn,
}

/// A list as asked for: the view, the filter, the order, where the previous page ended
/// and the page size.
#[derive(Debug, Clone, Default)]
pub struct ListRequest {
    /// The view.
    pub view: ListView,
    /// The filter.
    pub filter: ReceptionFilter,
    /// The order.
    pub sort: Sort,
    /// After this.
    pub cursor: Option<Cursor>,
    /// Page size (1–200).
    pub limit: u64,
}

/// The receptions a viewer may list.
fn scope(viewer: &Viewer) -> Scope {
    match viewer.listed_departments() {
        None => Scope::All,
        Some(departments) => Scope::Limited { departments, requester: viewer.user_id },
    }
}

/// Narrows a filter to a list view. `None` when the view is empty for this viewer.
pub fn apply_view(viewer: &Viewer, view: ListView, mut f: ReceptionFilter) -> Option<ReceptionFilter> {
    match view {
        ListView::All => {}
        ListView::Mine => f.requester_id = Some(viewer.user_id),
        ListView::ToApprove => {
            let deps = viewer.approves_for();
            if deps.is_empty() && !viewer.is_admin() {
                return None;
            }
            f.states = vec![State::Submitted];
            if !viewer.roles.contains(Role::Admin) {
                f.departments = Some(deps);
            }
        }
        ListView::ToTakeOn => {
            if !viewer.takes_on() {
                return None;
            }
            f.states = vec![State::Approved];
        }
    }
    Some(f)
}

/// A page of the list as shown: its rows, where the pages beside it start, and how many
/// receptions match in all.
#[derive(Debug, Clone, Default)]
pub struct ListPage {
    /// The rows, in the list's order.
    pub rows: Vec<ReceptionRow>,
    /// Where the next page starts, when there is one.
    pub next: Option<Cursor>,
    /// Where the previous page ends, when there is one.
    pub prev: Option<Cursor>,
    /// Receptions matching the view and filter, on every page.
    pub total: u64,
}

/// A page of the list with the cursors of the pages beside it and the total, counted under
/// the same scope and filter (read side by side with the page).
pub async fn page(app: &App, viewer: &Viewer, req: &ListRequest) -> Result<ListPage> {
    let Some(filter) = apply_view(viewer, req.view, req.filter.clone()) else {
        return Ok(ListPage::default());
    };
    let scope = scope(viewer);
    let (read, total) = tokio::try_join!(read(app, &scope, &filter, req), counted(app, &scope, &filter))?;
    let (rows, next, prev) = read;
    Ok(ListPage { rows, next, prev, total })
}

/// How many receptions a scope and filter hold: counted once, then kept until a reception
/// is written (counting a large table is most of a page's cost).
async fn counted(app: &App, scope: &Scope, filter: &ReceptionFilter) -> Result<u64> {
    let generation = app.store().generation(jiedai_store::Topic::Receptions);
    let key = format!("{scope:?}\u{1f}{filter:?}");
    if let Some(n) = app.counts().get(generation, &key) {
        return Ok(n);
    }
    // The same total asked for at the same moment (a list opened by many): counted once.
    let turn = app.counts().turn(&key);
    let _turn = turn.lock().await;
    if let Some(n) = app.counts().get(generation, &key) {
        return Ok(n);
    }
    let n = app.store().count_receptions(scope, filter).await?;
    app.counts().put(generation, key, n);
    Ok(n)
}

/// A page of the list and the cursor of the next page.
pub async fn list(app: &App, viewer: &Viewer, req: &ListRequest) -> Result<(Vec<ReceptionRow>, Option<Cursor>)> {
    let Some(filter) = apply_view(viewer, req.view, req.filter.clone()) else {
        return Ok((Vec::new(), None));
    };
    let (rows, next, _) = read(app, &scope(viewer), &filter, req).await?;
    Ok((rows, next))
}

/// A page's rows, the cursor of the next page and of the previous one. One row more than
/// the page is read, in the direction of reading, to know whether there are more that way;
/// the other way there are more when the page was reached through a cursor.
async fn read(
    app: &App,
    scope: &Scope,
    filter: &ReceptionFilter,
    req: &ListRequest,
) -> Result<(Vec<ReceptionRow>, Option<Cursor>, Option<Cursor>)> {
    let limit = req.limit.clamp(1, 200);
    let mut rows = app.store().list_receptions(scope, filter, req.sort, req.cursor, limit + 1).await?;
    let more = rows.len() as u64 > limit;
    let backwards = req.cursor.is_some_and(|c| c.before);
    if more {
        // The extra row is the one farthest from the cursor: the last in the list's order
        // when reading forwards, the first when reading backwards.
        if backwards {
            rows.remove(0);
        } else {
            rows.truncate(limit as usize);
        }
    }
    let at = |r: &ReceptionRow, before: bool| Cursor { visit: r.visit_start, id: r.id, before };
    let (more_after, more_before) = if backwards { (true, more) } else { (more, req.cursor.is_some()) };
    let next = rows.last().filter(|_| more_after).map(|r| at(r, false));
    let prev = rows.first().filter(|_| more_before).map(|r| at(r, true));
    Ok((rows, next, prev))
}

/// Every row of a list, up to `max` (for exports), read a page of 200 at a time.
pub async fn list_all(app: &App, viewer: &Viewer, req: &ListRequest, max: usize) -> Result<Vec<ReceptionRow>> {
    let mut req = ListRequest { limit: 200, cursor: None, ..req.clone() };
    let mut all = Vec::new();
    loop {
        let (rows, next) = list(app, viewer, &req).await?;
        all.extend(rows);
        match next {
            Some(c) if all.len() < max => req.cursor = Some(c),
            _ => break,
        }
    }
    all.truncate(max);
    Ok(all)
}

/// How many receptions a viewer may see under a filter (counters).
pub(super) async fn count(app: &App, viewer: &Viewer, f: &ReceptionFilter) -> Result<u64> {
    counted(app, &scope(viewer), f).await
}

/// A page of rows under a filter as it stands (no view), for short lists.
pub(super) async fn first(app: &App, viewer: &Viewer, f: &ReceptionFilter, n: u64) -> Result<Vec<ReceptionRow>> {
    Ok(app.store().list_receptions(&scope(viewer), f, Sort::VisitAsc, None, n).await?)
}

/// A cursor as written in URLs: `2026-10-09.42` for the rows after that one (the next page),
/// `-2026-10-09.42` for those before it (the previous page).
pub fn cursor_to_string(c: Cursor) -> String {
    format!("{}{}.{}", if c.before { "-" } else { "" }, c.visit, c.id)
}

/// Reads a cursor from a URL.
pub fn parse_cursor(s: &str) -> Result<Cursor> {
    let bad = || Error::field("cursor", "bad_cursor");
    let (before, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (d, id) = s.rsplit_once('.').ok_or_else(bad)?;
    Ok(Cursor {
        visit: jiedai_domain::bounds::parse_date("cursor", d).map_err(|_| bad())?,
        id: id.parse::<ReceptionId>().map_err(|_| bad())?,
        before,
    })
}

#[cfg(test)]
mod tests {
    use jiedai_domain::{Code, DepartmentId, UserId};

    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        let c =
            Cursor { visit: chrono::NaiveDate::from_ymd_opt(2026, 10, 9).unwrap(), id: ReceptionId(42), before: false };
        assert_eq!(parse_cursor(&cursor_to_string(c)).unwrap(), c);
        assert_eq!(cursor_to_string(c), "2026-10-09.42");
        let back = Cursor { before: true, ..c };
        assert_eq!(cursor_to_string(back), "-2026-10-09.42");
        assert_eq!(parse_cursor("-2026-10-09.42").unwrap(), back);
        assert!(parse_cursor("yesterday").is_err());
        assert!(parse_cursor("--2026-10-09.42").is_err());
    }

    #[test]
    fn list_views_have_their_url_identifiers() {
        let ids: Vec<&str> = ListView::all().iter().map(|v| v.as_str()).collect();
        assert_eq!(ids, vec!["all", "mine", "approve", "take-on"]);
    }

    #[test]
    fn a_requester_lists_their_department_and_an_approver_the_ones_they_head() {
        let v = Viewer {
            user_id: UserId(7),
            roles: [Role::Requester].into_iter().collect(),
            department_id: Some(DepartmentId(3)),
            heads: vec![],
            deputy_for: vec![],
        };
        assert_eq!(scope(&v), Scope::Limited { departments: vec![DepartmentId(3)], requester: UserId(7) });
        assert!(apply_view(&v, ListView::ToApprove, ReceptionFilter::default()).is_none());
        let gm = Viewer { roles: [Role::Coordinator].into_iter().collect(), ..v };
        assert_eq!(scope(&gm), Scope::All);
    }
}
