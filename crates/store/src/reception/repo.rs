//! Writing and reading one reception: creating drafts (with the year's next code),
//! changing one read at a version, and the bulk load of demo data and benchmarks.

use chrono::{Datelike, NaiveDate, Utc};
use jiedai_domain::reception::{ReceptionForm, State};
use jiedai_domain::{Actor, Code, DepartmentId, Fen, ReceptionId, UserId};
use sea_orm::sea_query::{Alias, Condition, Expr, ExprTrait, OnConflict, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, IdenStatic, QueryFilter, QuerySelect,
    QueryTrait, SelectA, SelectB, Set,
};
use serde_json::{Map, Value};

use super::{ReceptionChange, StoredReception, form_record};
use crate::audit::{HistoryRow, history_sql, parse_history, record};
use crate::entity::{department, reception, reception_form, user};
use crate::{Store, StoreError};

fn to_stored(m: reception::Model, form: &str) -> Result<StoredReception, StoreError> {
    let form = form_record::read(form).map_err(|e| StoreError::Setup(format!("reception {}: {e}", m.id)))?;
    let state =
        State::parse(&m.state).ok_or_else(|| StoreError::Setup(format!("reception {} state {}", m.id, m.state)))?;
    Ok(StoredReception {
        id: ReceptionId(m.id),
        code: m.code,
        state,
        department_id: DepartmentId(m.department_id),
        requester_id: UserId(m.requester_id),
        form,
        visit_start: m.visit_start,
        visit_end: m.visit_end,
        late: m.late,
        late_working_days: m.late_working_days,
        submitted_at: m.submitted_at,
        procedure_version: m.procedure_version,
        state_note: m.state_note,
        late_reason: m.late_reason,
        approver_id: m.approver_id.map(UserId),
        coordinator_id: m.coordinator_id.map(UserId),
        version: m.version,
        attachment_count: m.attachment_count,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
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
        department_id: Set(r.department_id.get()),
        requester_id: Set(r.requester_id.get()),
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
        late_reason: Set(r.late_reason.clone()),
        approver_id: Set(r.approver_id.map(UserId::get)),
        coordinator_id: Set(r.coordinator_id.map(UserId::get)),
        version: Set(r.version),
        attachment_count: Set(r.attachment_count),
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
        f.tier.map(|t| t.as_str().to_owned()),
        i32::try_from(f.headcount()).unwrap_or(i32::MAX),
        f.budget_fen.map(Fen::get),
    )
}

/// A reception's row and its form, in one query.
async fn load_where<C: ConnectionTrait>(c: &C, cond: Condition) -> Result<Option<StoredReception>, StoreError> {
    let found = reception::Entity::find().filter(cond).find_also_related(reception_form::Entity).one(c).await?;
    match found {
        Some((m, Some(form))) => Ok(Some(to_stored(m, &form.form)?)),
        Some((m, None)) => Err(StoreError::Setup(format!("reception {} has no form", m.id))),
        None => Ok(None),
    }
}

async fn load<C: ConnectionTrait>(c: &C, id: ReceptionId) -> Result<StoredReception, StoreError> {
    load_where(c, Condition::all().add(reception::Column::Id.eq(id.get()))).await?.ok_or(StoreError::NotFound)
}

/// The year and number of a code `JD-2026-0001`.
fn code_parts(code: &str) -> Option<(i32, i32)> {
    let (y, n) = code.strip_prefix("JD-")?.split_once('-')?;
    Some((y.parse().ok()?, n.parse().ok()?))
}

/// Takes the year's next code number, inside the creating transaction: the counter row's
/// update holds its lock until the transaction ends (PostgreSQL; SQLite writers are serial
/// already), so concurrent creates queue for it instead of picking the same number.
async fn next_code_seq<C: ConnectionTrait>(c: &C, year: i32) -> Result<i32, StoreError> {
    let (table, col_year, col_last) = (Alias::new("reception_code_counters"), Alias::new("year"), Alias::new("last"));
    let stmt = Query::insert()
        .into_table(table.clone())
        .columns([col_year.clone(), col_last.clone()])
        .values_panic([year.into(), 1.into()])
        .on_conflict(
            OnConflict::column(col_year)
                .value(col_last.clone(), Expr::col((table, col_last.clone())).add(1))
                .to_owned(),
        )
        .returning_col(col_last)
        .to_owned();
    let row = c.query_one(&stmt).await?.ok_or(StoreError::NotFound)?;
    Ok(row.try_get_by_index::<i32>(0)?)
}

/// Makes sure the year's counter is at least `seq` (after codes were given outside
/// [`next_code_seq`]).
async fn raise_code_seq<C: ConnectionTrait>(c: &C, year: i32, seq: i32) -> Result<(), StoreError> {
    let (table, col_year, col_last) = (Alias::new("reception_code_counters"), Alias::new("year"), Alias::new("last"));
    let select = Query::select()
        .column(col_last.clone())
        .from(table.clone())
        .and_where(Expr::col(col_year.clone()).eq(year))
        .to_owned();
    let current = c.query_one(&select).await?.map(|r| r.try_get_by_index::<i32>(0)).transpose()?;
    let stmt = Query::insert()
        .into_table(table)
        .columns([col_year.clone(), col_last.clone()])
        .values_panic([year.into(), Ord::max(current.unwrap_or(0), seq).into()])
        .on_conflict(OnConflict::column(col_year).update_column(col_last).to_owned())
        .to_owned();
    c.execute(&stmt).await?;
    Ok(())
}

impl Store {
    /// Creates a draft, giving it the next code of the year (`JD-2026-0001`…). A form
    /// without its dates (a copy whose new dates are not known yet) is listed under
    /// `placeholder` until they are written.
    #[allow(clippy::too_many_arguments)]
    pub async fn create_reception(
        &self,
        department_id: DepartmentId,
        requester_id: UserId,
        form: &ReceptionForm,
        placeholder: Option<(NaiveDate, NaiveDate)>,
        procedure_version: i32,
        today: NaiveDate,
        actor: &Actor,
    ) -> Result<StoredReception, StoreError> {
        let (start, end) = match (form.visit_start, placeholder) {
            (Some(s), _) => (s, form.visit_end.unwrap_or(s)),
            (None, Some(p)) => p,
            (None, None) => return Err(StoreError::InvalidReference("visit_start")),
        };
        let year = today.year();
        let mut w = self.write().await?;
        w.touch(crate::Topic::Receptions).await?;
        let c = &w.txn;
        if department::Entity::find_by_id(department_id.get()).one(c).await?.is_none() {
            return Err(StoreError::InvalidReference("department_id"));
        }
        if user::Entity::find_by_id(requester_id.get()).one(c).await?.is_none() {
            return Err(StoreError::InvalidReference("requester_id"));
        }
        let seq = next_code_seq(c, year).await?;
        {
            let now = Utc::now();
            let draft = StoredReception {
                id: ReceptionId(0),
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
                late_reason: String::new(),
                approver_id: None,
                coordinator_id: None,
                version: 1,
                attachment_count: 0,
                created_at: now,
                updated_at: now,
            };
            let m = new_row(&draft, year, seq).insert(c).await?;
            let text = form_record::write(form);
            reception_form::ActiveModel { reception_id: Set(m.id), form: Set(text.clone()) }.insert(c).await?;
            let stored = to_stored(m, &text)?;
            let after = serde_json::json!({ "code": stored.code, "state": "draft", "form": form });
            record(c, actor, "reception", Some(stored.id.to_string()), "create", None::<&()>, Some(&after)).await?;
            w.commit().await?;
            Ok(stored)
        }
    }

    /// Several receptions at once, for demo data and benchmarks: no audit records.
    pub async fn insert_receptions_bulk(&self, rows: Vec<StoredReception>) -> Result<(), StoreError> {
        let mut w = self.write().await?;
        w.touch(crate::Topic::Receptions).await?;
        for chunk in rows.chunks(200) {
            let models = chunk.iter().map(|r| {
                let (year, seq) = code_parts(&r.code).unwrap_or((r.created_at.year(), 0));
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
                    Ok(reception_form::ActiveModel { reception_id: Set(id), form: Set(form_record::write(&r.form)) })
                })
                .collect::<Result<Vec<_>, StoreError>>()?;
            reception_form::Entity::insert_many(forms).exec(&w.txn).await?;
        }
        // Later creates continue after the highest code loaded.
        let mut last: std::collections::BTreeMap<i32, i32> = Default::default();
        for r in &rows {
            if let Some((y, n)) = code_parts(&r.code) {
                let e = last.entry(y).or_default();
                *e = Ord::max(*e, n);
            }
        }
        for (year, seq) in last {
            raise_code_seq(&w.txn, year, seq).await?;
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
    pub async fn get_reception(&self, id: ReceptionId) -> Result<StoredReception, StoreError> {
        load(self.conn(), id).await
    }

    /// One reception and the newest `limit` entries of its history, in one round trip (its
    /// page shows both): the history comes as one JSON value built by the database (see
    /// `audit::history_sql`).
    pub async fn get_reception_with_history(
        &self,
        id: ReceptionId,
        limit: u64,
    ) -> Result<(StoredReception, Vec<HistoryRow>), StoreError> {
        let backend = self.conn().get_database_backend();
        let history = history_sql(backend, "reception", "\"receptions\".\"id\"", limit);
        let q = reception::Entity::find()
            .filter(reception::Column::Id.eq(id.get()))
            .find_also_related(reception_form::Entity)
            .expr_as(Expr::cust(history), "history");
        let row = self.conn().query_one_raw(q.build(backend)).await?.ok_or(StoreError::NotFound)?;
        let m = reception::Model::from_query_result(&row, SelectA.as_str())?;
        let form = reception_form::Model::from_query_result_optional(&row, SelectB.as_str())?
            .ok_or_else(|| StoreError::Setup(format!("reception {} has no form", m.id)))?;
        let history: String = row.try_get("", "history")?;
        Ok((to_stored(m, &form.form)?, parse_history(&history)?))
    }

    /// One reception by its code.
    pub async fn find_reception_by_code(&self, code: &str) -> Result<Option<StoredReception>, StoreError> {
        load_where(self.conn(), Condition::all().add(reception::Column::Code.eq(code.to_uppercase()))).await
    }

    /// Changes a reception read at `version`; a newer version answers
    /// [`StoreError::StaleVersion`]. `action` names the audit record (`update`,
    /// `submit`, `approve`…). With `from`, the reception must still be in that state.
    pub async fn change_reception(
        &self,
        id: ReceptionId,
        version: i32,
        from: Option<State>,
        change: ReceptionChange,
        action: &str,
        actor: &Actor,
    ) -> Result<StoredReception, StoreError> {
        let mut w = self.write().await?;
        w.touch(crate::Topic::Receptions).await?;
        if !change.items.is_empty() || !change.bookings.is_empty() {
            w.touch(crate::Topic::Resources).await?;
        }
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
            let start = f.visit_start.unwrap_or(before.visit_start);
            let end = match f.visit_start {
                Some(s) => f.visit_end.unwrap_or(s),
                None => before.visit_end,
            };
            let (org, name, purpose, tier, headcount, budget) = summary_columns(f);
            reception_form::Entity::update_many()
                .col_expr(reception_form::Column::Form, Expr::value(form_record::write(f)))
                .filter(reception_form::Column::ReceptionId.eq(id.get()))
                .exec(c)
                .await?;
            q = q
                .col_expr(reception::Column::VisitStart, Expr::value(start))
                .col_expr(reception::Column::VisitEnd, Expr::value(end))
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
            q = q.col_expr(reception::Column::StateNote, Expr::value(note));
        }
        if let Some(comment) = change.comment.clone().filter(|c| !c.is_empty()) {
            audit_after.insert("comment".into(), comment.into());
        }
        if let Some((late, days)) = change.late {
            q = q
                .col_expr(reception::Column::Late, Expr::value(late))
                .col_expr(reception::Column::LateWorkingDays, Expr::value(days));
            if late {
                audit_after.insert("late_working_days".into(), days.into());
            }
        }
        if let Some(reason) = change.late_reason.clone()
            && reason != before.late_reason
        {
            q = q.col_expr(reception::Column::LateReason, Expr::value(reason.clone()));
            audit_before.insert("late_reason".into(), before.late_reason.clone().into());
            audit_after.insert("late_reason".into(), reason.into());
        }
        if let Some(u) = change.on_behalf_of {
            audit_after.insert("on_behalf_of".into(), u.get().into());
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
            q = q.col_expr(reception::Column::ApproverId, Expr::value(a.get()));
        }
        if let Some(co) = change.coordinator_id {
            q = q.col_expr(reception::Column::CoordinatorId, Expr::value(co.get()));
        }
        let res =
            q.filter(reception::Column::Id.eq(id.get())).filter(reception::Column::Version.eq(version)).exec(c).await?;
        if res.rows_affected != 1 {
            return Err(StoreError::StaleVersion);
        }
        if !change.tasks.is_empty() {
            crate::tasks::insert_tasks(c, id, &change.tasks, now, actor, !change.quiet).await?;
            audit_after.insert("tasks".into(), change.tasks.len().into());
        }
        if !change.items.is_empty() || !change.bookings.is_empty() {
            crate::resources::write_proposals(c, id, &change.items, &change.bookings, actor).await?;
        }
        let after = load(c, id).await?;
        record(c, actor, "reception", Some(id.to_string()), action, Some(&audit_before), Some(&audit_after)).await?;
        for e in &change.events {
            crate::notify::emit(c, e).await?;
        }
        w.commit().await?;
        Ok(after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_changed_fields_reach_the_audit() {
        let a = ReceptionForm { guest_organization: "A".into(), purpose: "x".into(), ..Default::default() };
        let b = ReceptionForm { guest_organization: "B".into(), ..a.clone() };
        let (before, after) = changed_fields(&a, &b);
        assert_eq!(before.keys().collect::<Vec<_>>(), vec!["guest_organization"]);
        assert_eq!(after["guest_organization"], "B");
    }
}
