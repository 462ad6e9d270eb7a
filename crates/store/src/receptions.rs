//! Receptions: the columns lists filter and sort on, and each request's form (JSON) in a
//! table beside them. Every
//! change checks the version the caller read and writes its audit record in the same
//! transaction; the audit keeps only the fields that changed.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use jiedai_domain::Actor;
use jiedai_domain::procedure::TIER_KEYS;
use jiedai_domain::reception::{ReceptionForm, State};
use sea_orm::IdenStatic;
use sea_orm::sea_query::{Condition, Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    Set,
};
use serde_json::{Map, Value};

use crate::audit::record;
use crate::entity::{department, reception, reception_form, user};
use crate::error::is_unique_violation;
use crate::{Store, StoreError};

/// A stored reception.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredReception {
    /// Id.
    pub id: i32,
    /// Human code, `JD-2026-0042`.
    pub code: String,
    /// Where it stands.
    pub state: State,
    /// The requesting (host) department.
    pub department_id: i32,
    /// Who created the request.
    pub requester_id: i32,
    /// The request as written.
    pub form: ReceptionForm,
    /// First visit day (also inside `form`; kept here for lists).
    pub visit_start: NaiveDate,
    /// Last visit day.
    pub visit_end: NaiveDate,
    /// Submitted after the proposal deadline.
    pub late: bool,
    /// By how many working days.
    pub late_working_days: i32,
    /// When it was (last) submitted.
    pub submitted_at: Option<DateTime<Utc>>,
    /// The procedure version it is planned under.
    pub procedure_version: i32,
    /// The comment of the last return, rejection or cancellation.
    pub state_note: String,
    /// Who approved it.
    pub approver_id: Option<i32>,
    /// The coordinator who took it on.
    pub coordinator_id: Option<i32>,
    /// Optimistic-locking version.
    pub version: i32,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// A reception as lists show it: its columns, without the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceptionRow {
    /// Id.
    pub id: i32,
    /// Human code.
    pub code: String,
    /// State.
    pub state: State,
    /// Requesting department.
    pub department_id: i32,
    /// Requester.
    pub requester_id: i32,
    /// First visit day.
    pub visit_start: NaiveDate,
    /// Last visit day.
    pub visit_end: NaiveDate,
    /// 来宾单位.
    pub guest_organization: String,
    /// 来宾姓名.
    pub guest_name: String,
    /// 来访目的.
    pub purpose: String,
    /// Tier key.
    pub tier: Option<String>,
    /// Guests.
    pub headcount: i32,
    /// Budget in fen.
    pub budget_fen: Option<i64>,
    /// Late request.
    pub late: bool,
    /// Working days late.
    pub late_working_days: i32,
    /// Submitted.
    pub submitted_at: Option<DateTime<Utc>>,
    /// Procedure version.
    pub procedure_version: i32,
    /// Version.
    pub version: i32,
}

/// The columns of a list row, in the order [`parse_page`] reads them.
const LIST_COLUMNS: [reception::Column; 18] = [
    reception::Column::Id,
    reception::Column::Code,
    reception::Column::State,
    reception::Column::DepartmentId,
    reception::Column::RequesterId,
    reception::Column::VisitStart,
    reception::Column::VisitEnd,
    reception::Column::GuestOrganization,
    reception::Column::GuestName,
    reception::Column::Purpose,
    reception::Column::Tier,
    reception::Column::Headcount,
    reception::Column::BudgetFen,
    reception::Column::Late,
    reception::Column::LateWorkingDays,
    reception::Column::SubmittedAt,
    reception::Column::ProcedureVersion,
    reception::Column::Version,
];

/// A list row as SQLite writes it: an array in the order of [`LIST_COLUMNS`]. State, dates
/// and times are read in place (they never hold escapes); booleans come as 0/1.
#[derive(serde::Deserialize)]
struct PageRow<'a>(
    i32,
    String,
    &'a str,
    i32,
    i32,
    &'a str,
    &'a str,
    String,
    String,
    String,
    Option<String>,
    i32,
    Option<i64>,
    i64,
    i32,
    Option<&'a str>,
    i32,
    i32,
);

/// `YYYY-MM-DD` (what follows, such as a time, is ignored).
fn ymd(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |n, c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
    };
    NaiveDate::from_ymd_opt(i32::try_from(num(0..4)?).ok()?, num(5..7)?, num(8..10)?)
}

/// A time as SQLite keeps it: RFC 3339 (`YYYY-MM-DDTHH:MM:SS+00:00`), or with a space for
/// the `T`.
fn stored_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .or_else(|_| DateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f%:z"))
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Reads a page of list rows from the JSON array of arrays SQLite built.
fn parse_page(page: &str) -> Result<Vec<ReceptionRow>, StoreError> {
    let bad = |what: &str| StoreError::Setup(format!("reception list: unreadable {what}"));
    let rows: Vec<PageRow> = serde_json::from_str(page).map_err(|_| bad("page"))?;
    rows.into_iter()
        .map(|r| {
            Ok(ReceptionRow {
                id: r.0,
                code: r.1,
                state: State::parse(r.2).ok_or_else(|| bad("state"))?,
                department_id: r.3,
                requester_id: r.4,
                visit_start: ymd(r.5).ok_or_else(|| bad("visit_start"))?,
                visit_end: ymd(r.6).ok_or_else(|| bad("visit_end"))?,
                guest_organization: r.7,
                guest_name: r.8,
                purpose: r.9,
                tier: r.10,
                headcount: r.11,
                budget_fen: r.12,
                late: r.13 != 0,
                late_working_days: r.14,
                submitted_at: match r.15 {
                    None => None,
                    Some(t) => Some(stored_time(t).ok_or_else(|| bad("submitted_at"))?),
                },
                procedure_version: r.16,
                version: r.17,
            })
        })
        .collect()
}

/// A list row read from a PostgreSQL row in the order of [`LIST_COLUMNS`]. The columns are
/// decoded without sqlx's per-value type check (the statement is ours and the row's types
/// are fixed by the schema): reading rows was a seventh of a list page's CPU.
fn row_of(r: &sea_orm::QueryResult) -> Result<ReceptionRow, StoreError> {
    use sea_orm::sqlx::Row;
    use sea_orm::sqlx::postgres::{PgRow, Postgres};
    fn col<'r, T: sea_orm::sqlx::Decode<'r, Postgres>>(row: &'r PgRow, i: usize) -> Result<T, StoreError> {
        row.try_get_unchecked(i).map_err(|e| StoreError::Setup(format!("reception list: column {i}: {e}")))
    }
    let row = r.try_as_pg_row().ok_or_else(|| StoreError::Setup("reception list: not a PostgreSQL row".into()))?;
    let state: &str = col(row, 2)?;
    Ok(ReceptionRow {
        id: col(row, 0)?,
        code: col(row, 1)?,
        state: State::parse(state)
            .ok_or_else(|| StoreError::Setup(format!("reception list: unknown state {state}")))?,
        department_id: col(row, 3)?,
        requester_id: col(row, 4)?,
        visit_start: col(row, 5)?,
        visit_end: col(row, 6)?,
        guest_organization: col(row, 7)?,
        guest_name: col(row, 8)?,
        purpose: col(row, 9)?,
        tier: col(row, 10)?,
        headcount: col(row, 11)?,
        budget_fen: col(row, 12)?,
        late: col(row, 13)?,
        late_working_days: col(row, 14)?,
        submitted_at: col(row, 15)?,
        procedure_version: col(row, 16)?,
        version: col(row, 17)?,
    })
}

fn to_stored(m: reception::Model, form: &str) -> Result<StoredReception, StoreError> {
    let form: ReceptionForm = serde_json::from_str(form)
        .map_err(|e| StoreError::Setup(format!("reception {} form unreadable: {e}", m.id)))?;
    let state =
        State::parse(&m.state).ok_or_else(|| StoreError::Setup(format!("reception {} state {}", m.id, m.state)))?;
    Ok(StoredReception {
        id: m.id,
        code: m.code,
        state,
        department_id: m.department_id,
        requester_id: m.requester_id,
        form,
        visit_start: m.visit_start,
        visit_end: m.visit_end,
        late: m.late,
        late_working_days: m.late_working_days,
        submitted_at: m.submitted_at,
        procedure_version: m.procedure_version,
        state_note: m.state_note,
        approver_id: m.approver_id,
        coordinator_id: m.coordinator_id,
        version: m.version,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

/// Which receptions a reader may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every reception (coordinators, finance, administrators).
    All,
    /// Those of these departments, and those the reader requested.
    Limited {
        /// Departments the reader belongs to or heads.
        departments: Vec<i32>,
        /// The reader.
        requester: i32,
    },
}

/// Sort orders of the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Earliest visit first.
    #[default]
    VisitAsc,
    /// Latest visit first.
    VisitDesc,
    /// Newest request first.
    Newest,
}

/// Where the previous page ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    /// The last row's first visit day.
    pub visit: NaiveDate,
    /// The last row's id.
    pub id: i32,
}

/// Filters of the reception list; all optional.
#[derive(Debug, Clone, Default)]
pub struct ReceptionFilter {
    /// Any of these states (all when empty).
    pub states: Vec<State>,
    /// Visits ending on or after this day.
    pub from: Option<NaiveDate>,
    /// Visits starting on or before this day.
    pub until: Option<NaiveDate>,
    /// The requesting department.
    pub department_id: Option<i32>,
    /// The tier key.
    pub tier: Option<String>,
    /// Late requests only (true) or on-time only (false).
    pub late: Option<bool>,
    /// Code, guest organisation or principal guest's name contains this.
    pub q: Option<String>,
    /// Requested by this user.
    pub requester_id: Option<i32>,
    /// Of any of these departments.
    pub departments: Option<Vec<i32>>,
}

/// Columns a change sets besides the form.
#[derive(Debug, Clone, Default)]
pub struct ReceptionChange {
    /// New form.
    pub form: Option<ReceptionForm>,
    /// New state.
    pub state: Option<State>,
    /// New late flag and working days.
    pub late: Option<(bool, i32)>,
    /// Submission time.
    pub submitted_at: Option<DateTime<Utc>>,
    /// Procedure version.
    pub procedure_version: Option<i32>,
    /// Comment of the transition (return, reject, cancel); cleared by others.
    pub state_note: Option<String>,
    /// Approver.
    pub approver_id: Option<i32>,
    /// Coordinator.
    pub coordinator_id: Option<i32>,
}

fn form_json(f: &ReceptionForm) -> Result<String, StoreError> {
    serde_json::to_string(f).map_err(|e| StoreError::Setup(e.to_string()))
}

/// The top-level fields that differ between two forms: (before, after).
fn changed_fields(a: &ReceptionForm, b: &ReceptionForm) -> (Map<String, Value>, Map<String, Value>) {
    let (Ok(Value::Object(a)), Ok(Value::Object(b))) = (serde_json::to_value(a), serde_json::to_value(b)) else {
        return (Map::new(), Map::new());
    };
    let mut before = Map::new();
    let mut after = Map::new();
    for (k, v) in &b {
        if a.get(k) != Some(v) {
            before.insert(k.clone(), a.get(k).cloned().unwrap_or(Value::Null));
            after.insert(k.clone(), v.clone());
        }
    }
    (before, after)
}

/// The row of a new reception (the database gives its id), with its list columns taken
/// from its form.
fn new_row(r: &StoredReception, code_year: i32, code_seq: i32) -> reception::ActiveModel {
    let (org, name, purpose, tier, headcount, budget) = summary_columns(&r.form);
    reception::ActiveModel {
        code: Set(r.code.clone()),
        code_year: Set(code_year),
        code_seq: Set(code_seq),
        state: Set(r.state.as_str().to_owned()),
        department_id: Set(r.department_id),
        requester_id: Set(r.requester_id),
        visit_start: Set(r.visit_start),
        visit_end: Set(r.visit_end),
        guest_organization: Set(org),
        guest_name: Set(name),
        purpose: Set(purpose),
        tier: Set(tier),
        headcount: Set(headcount),
        budget_fen: Set(budget),
        late: Set(r.late),
        late_working_days: Set(r.late_working_days),
        submitted_at: Set(r.submitted_at),
        procedure_version: Set(r.procedure_version),
        state_note: Set(r.state_note.clone()),
        approver_id: Set(r.approver_id),
        coordinator_id: Set(r.coordinator_id),
        version: Set(r.version),
        created_at: Set(r.created_at),
        updated_at: Set(r.updated_at),
        ..Default::default()
    }
}

fn summary_columns(f: &ReceptionForm) -> (String, String, String, Option<String>, i32, Option<i64>) {
    (
        f.guest_organization.chars().take(100).collect(),
        f.guest_name.chars().take(64).collect(),
        f.purpose.clone(),
        f.tier.clone(),
        f.headcount() as i32,
        f.budget_fen,
    )
}

async fn load<C: ConnectionTrait>(c: &C, id: i32) -> Result<StoredReception, StoreError> {
    with_form(c, reception::Entity::find_by_id(id).one(c).await?.ok_or(StoreError::NotFound)?).await
}

/// A reception's row joined by its form.
async fn with_form<C: ConnectionTrait>(c: &C, m: reception::Model) -> Result<StoredReception, StoreError> {
    let form = reception_form::Entity::find_by_id(m.id).one(c).await?.ok_or(StoreError::NotFound)?;
    to_stored(m, &form.form)
}

// Filters write their values into the statement (as constants the query builder quotes)
// rather than binding them, except for free text: the statement then names, say, the state
// it lists, so PostgreSQL plans it once for those values and reuses the plan, instead of
// planning it again on every call as it does with parameters whose values could change the
// plan. Only values from closed sets are written in: numbers, dates, states, tier keys.

/// A list column.
fn col(c: reception::Column) -> Expr {
    Expr::col((reception::Entity, c))
}

/// A value written into the statement.
fn lit(v: impl Into<sea_orm::Value>) -> Expr {
    Expr::Constant(v.into())
}

fn scope_condition(scope: &Scope) -> Condition {
    match scope {
        Scope::All => Condition::all(),
        Scope::Limited { departments, requester } => Condition::any()
            .add(col(reception::Column::DepartmentId).is_in(departments.iter().map(|d| lit(*d))))
            .add(col(reception::Column::RequesterId).eq(lit(*requester))),
    }
}

fn filter_condition(f: &ReceptionFilter) -> Condition {
    use reception::Column as C;
    let mut c = Condition::all();
    if !f.states.is_empty() {
        c = c.add(col(C::State).is_in(f.states.iter().map(|s| lit(s.as_str()))));
    }
    if let Some(d) = f.from {
        c = c.add(col(C::VisitEnd).gte(lit(d)));
    }
    if let Some(d) = f.until {
        c = c.add(col(C::VisitStart).lte(lit(d)));
    }
    if let Some(d) = f.department_id {
        c = c.add(col(C::DepartmentId).eq(lit(d)));
    }
    if let Some(t) = &f.tier {
        c = c.add(match TIER_KEYS.iter().find(|k| **k == t.as_str()) {
            Some(key) => col(C::Tier).eq(lit(*key)),
            None => C::Tier.eq(t.clone()),
        });
    }
    if let Some(l) = f.late {
        c = c.add(col(C::Late).eq(lit(l)));
    }
    if let Some(d) = &f.departments {
        c = c.add(col(C::DepartmentId).is_in(d.iter().map(|d| lit(*d))));
    }
    if let Some(r) = f.requester_id {
        c = c.add(col(C::RequesterId).eq(lit(r)));
    }
    if let Some(q) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let upper = q.to_uppercase();
        c = c.add(
            Condition::any()
                .add(C::Code.starts_with(upper.clone()))
                .add(C::Code.ends_with(upper))
                .add(C::GuestOrganization.contains(q))
                .add(C::GuestName.contains(q)),
        );
    }
    c
}

impl Store {
    /// Creates a draft, giving it the next code of the year (`JD-2026-0001`…).
    pub async fn create_reception(
        &self,
        department_id: i32,
        requester_id: i32,
        form: &ReceptionForm,
        procedure_version: i32,
        today: NaiveDate,
        actor: &Actor,
    ) -> Result<StoredReception, StoreError> {
        let start = form.visit_start.ok_or(StoreError::InvalidReference("visit_start"))?;
        let end = form.visit_end.unwrap_or(start);
        let year = today.year();
        // Two writers on PostgreSQL can pick the same number; the unique index refuses
        // the second, which tries the next.
        for _ in 0..8 {
            let w = self.write().await?;
            let c = &w.txn;
            if department::Entity::find_by_id(department_id).one(c).await?.is_none() {
                return Err(StoreError::InvalidReference("department_id"));
            }
            if user::Entity::find_by_id(requester_id).one(c).await?.is_none() {
                return Err(StoreError::InvalidReference("requester_id"));
            }
            let last: Option<i32> = reception::Entity::find()
                .select_only()
                .column_as(reception::Column::CodeSeq.max(), "m")
                .filter(reception::Column::CodeYear.eq(year))
                .into_tuple::<Option<i32>>()
                .one(c)
                .await?
                .flatten();
            let seq = last.unwrap_or(0) + 1;
            let now = Utc::now();
            let draft = StoredReception {
                id: 0,
                code: format!("JD-{year}-{seq:04}"),
                state: State::Draft,
                department_id,
                requester_id,
                form: form.clone(),
                visit_start: start,
                visit_end: end,
                late: false,
                late_working_days: 0,
                submitted_at: None,
                procedure_version,
                state_note: String::new(),
                approver_id: None,
                coordinator_id: None,
                version: 1,
                created_at: now,
                updated_at: now,
            };
            let inserted = new_row(&draft, year, seq).insert(c).await;
            let m = match inserted {
                Ok(m) => m,
                Err(e) if is_unique_violation(&e) => continue,
                Err(e) => return Err(e.into()),
            };
            let text = form_json(form)?;
            reception_form::ActiveModel { reception_id: Set(m.id), form: Set(text.clone()) }.insert(c).await?;
            let stored = to_stored(m, &text)?;
            let after = serde_json::json!({ "code": stored.code, "state": "draft", "form": form });
            record(c, actor, "reception", Some(stored.id.to_string()), "create", None::<&()>, Some(&after)).await?;
            w.commit().await?;
            return Ok(stored);
        }
        Err(StoreError::Conflict("code"))
    }

    /// Several receptions at once, for demo data and benchmarks: no audit records.
    pub async fn insert_receptions_bulk(&self, rows: Vec<StoredReception>) -> Result<(), StoreError> {
        let w = self.write().await?;
        for chunk in rows.chunks(200) {
            let models = chunk.iter().map(|r| {
                let (year, seq) = r
                    .code
                    .strip_prefix("JD-")
                    .and_then(|s| s.split_once('-'))
                    .and_then(|(y, n)| Some((y.parse().ok()?, n.parse().ok()?)))
                    .unwrap_or((r.created_at.year(), 0));
                new_row(r, year, seq)
            });
            // Their forms, by the ids the database gave (matched by their unique codes).
            let ids: std::collections::HashMap<String, i32> = reception::Entity::insert_many(models)
                .exec_with_returning(&w.txn)
                .await?
                .into_iter()
                .map(|m| (m.code, m.id))
                .collect();
            let forms = chunk
                .iter()
                .map(|r| {
                    let id = *ids.get(&r.code).ok_or(StoreError::NotFound)?;
                    Ok(reception_form::ActiveModel { reception_id: Set(id), form: Set(form_json(&r.form)?) })
                })
                .collect::<Result<Vec<_>, StoreError>>()?;
            reception_form::Entity::insert_many(forms).exec(&w.txn).await?;
        }
        w.commit().await
    }

    /// Refreshes the planner's statistics (after a bulk load, so the planner knows the
    /// table's new size at once instead of at the next automatic analysis).
    pub async fn analyze(&self) -> Result<(), StoreError> {
        self.db.execute_unprepared("ANALYZE").await?;
        Ok(())
    }

    /// The last code number given in a year (for demo data that continues the series).
    pub async fn last_reception_seq(&self, year: i32) -> Result<i32, StoreError> {
        Ok(reception::Entity::find()
            .select_only()
            .column_as(reception::Column::CodeSeq.max(), "m")
            .filter(reception::Column::CodeYear.eq(year))
            .into_tuple::<Option<i32>>()
            .one(self.conn())
            .await?
            .flatten()
            .unwrap_or(0))
    }

    /// One reception.
    pub async fn get_reception(&self, id: i32) -> Result<StoredReception, StoreError> {
        load(self.conn(), id).await
    }

    /// One reception by its code.
    pub async fn find_reception_by_code(&self, code: &str) -> Result<Option<StoredReception>, StoreError> {
        let m =
            reception::Entity::find().filter(reception::Column::Code.eq(code.to_uppercase())).one(self.conn()).await?;
        match m {
            Some(m) => Ok(Some(with_form(self.conn(), m).await?)),
            None => Ok(None),
        }
    }

    /// Changes a reception read at `version`; a newer version answers
    /// [`StoreError::StaleVersion`]. `action` names the audit record (`update`,
    /// `submit`, `approve`…). With `from`, the reception must still be in that state.
    pub async fn change_reception(
        &self,
        id: i32,
        version: i32,
        from: Option<State>,
        change: ReceptionChange,
        action: &str,
        actor: &Actor,
    ) -> Result<StoredReception, StoreError> {
        let w = self.write().await?;
        let c = &w.txn;
        let before = load(c, id).await?;
        if before.version != version || from.is_some_and(|s| s != before.state) {
            return Err(StoreError::StaleVersion);
        }
        let now = Utc::now();
        let mut q = reception::Entity::update_many()
            .col_expr(reception::Column::Version, Expr::value(version + 1))
            .col_expr(reception::Column::UpdatedAt, Expr::value(now));
        let mut audit_before = Map::new();
        let mut audit_after = Map::new();
        if let Some(f) = &change.form {
            let start = f.visit_start.ok_or(StoreError::InvalidReference("visit_start"))?;
            let (org, name, purpose, tier, headcount, budget) = summary_columns(f);
            reception_form::Entity::update_many()
                .col_expr(reception_form::Column::Form, Expr::value(form_json(f)?))
                .filter(reception_form::Column::ReceptionId.eq(id))
                .exec(c)
                .await?;
            q = q
                .col_expr(reception::Column::VisitStart, Expr::value(start))
                .col_expr(reception::Column::VisitEnd, Expr::value(f.visit_end.unwrap_or(start)))
                .col_expr(reception::Column::GuestOrganization, Expr::value(org))
                .col_expr(reception::Column::GuestName, Expr::value(name))
                .col_expr(reception::Column::Purpose, Expr::value(purpose))
                .col_expr(reception::Column::Tier, Expr::value(tier))
                .col_expr(reception::Column::Headcount, Expr::value(headcount))
                .col_expr(reception::Column::BudgetFen, Expr::value(budget));
            let (b, a) = changed_fields(&before.form, f);
            audit_before.extend(b);
            audit_after.extend(a);
        }
        if let Some(s) = change.state {
            q = q.col_expr(reception::Column::State, Expr::value(s.as_str()));
            audit_before.insert("state".into(), before.state.as_str().into());
            audit_after.insert("state".into(), s.as_str().into());
            let note = change.state_note.clone().unwrap_or_default();
            q = q.col_expr(reception::Column::StateNote, Expr::value(note.clone()));
            if !note.is_empty() {
                audit_after.insert("comment".into(), note.into());
            }
        }
        if let Some((late, days)) = change.late {
            q = q
                .col_expr(reception::Column::Late, Expr::value(late))
                .col_expr(reception::Column::LateWorkingDays, Expr::value(days));
            if late {
                audit_after.insert("late_working_days".into(), days.into());
            }
        }
        if let Some(t) = change.submitted_at {
            q = q.col_expr(reception::Column::SubmittedAt, Expr::value(t));
        }
        if let Some(v) = change.procedure_version {
            q = q.col_expr(reception::Column::ProcedureVersion, Expr::value(v));
            if v != before.procedure_version {
                audit_before.insert("procedure_version".into(), before.procedure_version.into());
                audit_after.insert("procedure_version".into(), v.into());
            }
        }
        if let Some(a) = change.approver_id {
            q = q.col_expr(reception::Column::ApproverId, Expr::value(a));
        }
        if let Some(co) = change.coordinator_id {
            q = q.col_expr(reception::Column::CoordinatorId, Expr::value(co));
        }
        let res = q.filter(reception::Column::Id.eq(id)).filter(reception::Column::Version.eq(version)).exec(c).await?;
        if res.rows_affected != 1 {
            return Err(StoreError::StaleVersion);
        }
        let after = load(c, id).await?;
        record(c, actor, "reception", Some(id.to_string()), action, Some(&audit_before), Some(&audit_after)).await?;
        w.commit().await?;
        Ok(after)
    }

    /// A page of receptions the scope allows, filtered and sorted, after `cursor`: their
    /// list columns only (the forms stay unread, so a page costs the same at any size).
    /// On SQLite the page comes back as one JSON value built by the database: one row to
    /// hand over instead of one per reception, which is most of a list's cost there. On
    /// PostgreSQL plain rows cost less.
    pub async fn list_receptions(
        &self,
        scope: &Scope,
        f: &ReceptionFilter,
        sort: Sort,
        cursor: Option<Cursor>,
        limit: u64,
    ) -> Result<Vec<ReceptionRow>, StoreError> {
        use reception::Column as C;
        let mut q = reception::Entity::find().filter(scope_condition(scope)).filter(filter_condition(f));
        if let Some(cur) = cursor {
            q = match sort {
                Sort::VisitAsc => q.filter(
                    Condition::any()
                        .add(C::VisitStart.gt(cur.visit))
                        .add(Condition::all().add(C::VisitStart.eq(cur.visit)).add(C::Id.gt(cur.id))),
                ),
                Sort::VisitDesc => q.filter(
                    Condition::any()
                        .add(C::VisitStart.lt(cur.visit))
                        .add(Condition::all().add(C::VisitStart.eq(cur.visit)).add(C::Id.lt(cur.id))),
                ),
                Sort::Newest => q.filter(C::Id.lt(cur.id)),
            };
        }
        q = match sort {
            Sort::VisitAsc => q.order_by_asc(C::VisitStart).order_by_asc(C::Id),
            Sort::VisitDesc => q.order_by_desc(C::VisitStart).order_by_desc(C::Id),
            Sort::Newest => q.order_by_desc(C::Id),
        };
        let inner = q.select_only().columns(LIST_COLUMNS);
        let backend = self.db.get_database_backend();
        let mut stmt = sea_orm::QueryTrait::build(&inner, backend);
        // The limit is written into the statement, not bound, like the filters' values: with a
        // bound LIMIT PostgreSQL cannot tell the page is small and would plan every call afresh.
        stmt.sql.push_str(&format!(" LIMIT {limit}"));
        let mut rows = if backend == sea_orm::DatabaseBackend::Postgres {
            // Rows come in PostgreSQL's binary format, which costs less to send and read than
            // JSON built there (building it took a third of the database's time).
            self.conn().query_all_raw(stmt).await?.iter().map(row_of).collect::<Result<Vec<_>, _>>()?
        } else {
            // SQLite answers through a worker thread, row by row; one JSON value for the page
            // makes that one hand-over instead of fifty.
            let names: Vec<String> = LIST_COLUMNS.iter().map(|c| format!("\"{}\"", c.as_str())).collect();
            stmt.sql =
                format!("SELECT json_group_array(json_array({})) AS page FROM ({}) AS t", names.join(", "), stmt.sql);
            let page: String = match self.conn().query_one_raw(stmt).await? {
                Some(row) => row.try_get("", "page")?,
                None => "[]".into(),
            };
            parse_page(&page)?
        };
        // The aggregate keeps the subquery's order in practice; the order is ours to promise.
        match sort {
            Sort::VisitAsc => rows.sort_by_key(|r| (r.visit_start, r.id)),
            Sort::VisitDesc => rows.sort_by_key(|r| std::cmp::Reverse((r.visit_start, r.id))),
            Sort::Newest => rows.sort_by_key(|r| std::cmp::Reverse(r.id)),
        }
        Ok(rows)
    }

    /// How many receptions the scope allows under a filter (for counters on the dashboard).
    pub async fn count_receptions(&self, scope: &Scope, f: &ReceptionFilter) -> Result<u64, StoreError> {
        Ok(reception::Entity::find()
            .filter(scope_condition(scope))
            .filter(filter_condition(f))
            .count(self.conn())
            .await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_reads_back_with_sqlite_booleans_and_times() {
        let page = r#"[[7,"JD-2026-0007","planning",2,3,"2026-10-09","2026-10-10","华东院","李明","交流","business",3,24000,1,2,"2026-09-28 02:00:00+00:00",1,4],
            [8,"JD-2026-0008","draft",2,3,"2026-10-09","2026-10-09","华东院","","",null,0,null,0,0,null,1,1]]"#;
        let rows = parse_page(page).unwrap();
        assert_eq!((rows[0].late, rows[1].late), (true, false));
        assert_eq!(rows[0].submitted_at.unwrap().to_rfc3339(), "2026-09-28T02:00:00+00:00");
        assert_eq!((rows[0].tier.as_deref(), rows[1].tier.as_deref()), (Some("business"), None));
        assert_eq!((rows[1].budget_fen, rows[1].submitted_at), (None, None));
        assert_eq!(stored_time("2026-09-28 02:00:00.25+00:00").unwrap().to_rfc3339(), "2026-09-28T02:00:00.250+00:00");
        assert_eq!(stored_time("2026-09-28T02:00:00+08:00").unwrap().to_rfc3339(), "2026-09-27T18:00:00+00:00");
        assert_eq!(ymd("2026-02-29"), None);
        assert_eq!(ymd("2026-1-01"), None);
        assert!(parse_page("[[1]]").is_err());
        assert!(parse_page("[]").unwrap().is_empty());
    }

    #[test]
    fn closed_filter_values_are_written_in_and_free_text_is_bound() {
        use sea_orm::{DatabaseBackend, QueryTrait};
        let f = ReceptionFilter {
            states: vec![State::Planning, State::Approved],
            from: NaiveDate::from_ymd_opt(2026, 10, 1),
            tier: Some("business".into()),
            late: Some(true),
            departments: Some(vec![3, 4]),
            q: Some("华东'; DROP TABLE receptions; --".into()),
            ..Default::default()
        };
        let scope = Scope::Limited { departments: vec![3], requester: 9 };
        for backend in [DatabaseBackend::Postgres, DatabaseBackend::Sqlite] {
            let q = reception::Entity::find().filter(scope_condition(&scope)).filter(filter_condition(&f));
            let stmt = q.build(backend);
            for written in ["'planning'", "'approved'", "'2026-10-01'", "'business'", "IN (3, 4)", "= 9"] {
                assert!(stmt.sql.contains(written), "{written} in {}", stmt.sql);
            }
            let bound: Vec<String> = stmt.values.iter().flat_map(|v| v.0.iter()).map(|v| format!("{v:?}")).collect();
            assert_eq!(bound.len(), 4, "only the search text is bound: {bound:?}");
            assert!(bound.iter().all(|v| v.contains("DROP TABLE")), "{bound:?}");
            // A tier that is not a known key is bound, never written in.
            let odd = ReceptionFilter { tier: Some("x' OR '1'='1".into()), ..Default::default() };
            let stmt = reception::Entity::find().filter(filter_condition(&odd)).build(backend);
            assert!(!stmt.sql.contains("OR '1'"), "{}", stmt.sql);
        }
    }

    #[test]
    fn only_changed_fields_reach_the_audit() {
        let a = ReceptionForm { guest_organization: "A".into(), purpose: "x".into(), ..Default::default() };
        let b = ReceptionForm { guest_organization: "B".into(), ..a.clone() };
        let (before, after) = changed_fields(&a, &b);
        assert_eq!(before.keys().collect::<Vec<_>>(), vec!["guest_organization"]);
        assert_eq!(after["guest_organization"], "B");
    }
}
