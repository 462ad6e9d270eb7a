//! The figures of the reports, each counted by the database in one grouped query over the
//! receptions whose visit begins in the period (and of the department asked for), so that a
//! year of a large company is read as a few dozen rows, not as its receptions one by one.

use jiedai_domain::reports::Period;
use sea_orm::{ConnectionTrait, DatabaseBackend, QueryResult, Statement, Value};

use crate::{Store, StoreError};

mod bench;

/// Receptions counted by state, tier, department and lateness.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceptionCount {
    /// The state (`closed`, `planning`…).
    pub state: String,
    /// The tier, empty when the request has none yet.
    pub tier: String,
    /// The host department.
    pub department_id: i32,
    /// Submitted later than the procedure's deadline.
    pub late: bool,
    /// How many.
    pub receptions: i64,
    /// Their guests.
    pub guests: i64,
}

/// Tasks of a group finished, and finished on or before their due day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskCount {
    /// The group (`logistics`, `driver`…).
    pub group_key: String,
    /// Tasks finished (done, with the day they were done).
    pub done: i64,
    /// Of them, done on or before the due day.
    pub on_time: i64,
}

/// Reusable material that came back to stock, valued at its unit cost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saving {
    /// The stock item's name.
    pub name: String,
    /// Pieces that came back.
    pub quantity: i64,
    /// Their value at the item's unit cost, in fen.
    pub value_fen: i64,
}

/// Settled receptions of a tier: how many, their guests, what they cost and their budgets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TierSpendRow {
    /// The tier, empty when none.
    pub tier: String,
    /// The first visit day (each reception is held to the standard in force on it).
    pub visit_start: chrono::NaiveDate,
    /// Settled receptions.
    pub receptions: i64,
    /// Their guests.
    pub guests: i64,
    /// What they cost, in fen.
    pub actual_fen: i64,
    /// Their budgets, in fen (none counted as zero).
    pub budget_fen: i64,
}

/// A settled reception that cost more than its budget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverrunRowDb {
    /// The reception.
    pub reception_id: i32,
    /// Its code.
    pub code: String,
    /// The guests' organisation.
    pub guest_organization: String,
    /// Its budget.
    pub budget_fen: i64,
    /// What it cost.
    pub actual_fen: i64,
}

/// An improvement action still open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenActionRow {
    /// The action.
    pub id: i32,
    /// What is to be done.
    pub what: String,
    /// Its owner's name.
    pub owner: String,
    /// By when.
    pub due_on: chrono::NaiveDate,
    /// The code of the reception whose review asked for it.
    pub reception_code: String,
}

/// Survey scores of the period summed by item (`item_key` empty: whole responses) and visit
/// day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyDay {
    /// The visits' first day.
    pub visit_start: chrono::NaiveDate,
    /// The item, or empty for whole responses.
    pub item_key: String,
    /// Responses.
    pub responses: i64,
    /// Their scores summed.
    pub score_sum: i64,
    /// Their reference scores summed.
    pub reference_sum: i64,
}

/// Writes a settlement's total from its expense lines (in the transaction that changed them).
pub(crate) async fn refresh_settlement_total<C: ConnectionTrait>(c: &C, reception_id: i32) -> Result<(), StoreError> {
    let sql = "UPDATE settlements SET total_fen = COALESCE((SELECT SUM(e.amount_fen) FROM expenses e \
         WHERE e.reception_id = ?), 0) WHERE reception_id = ?";
    c.execute_raw(statement(c.get_database_backend(), sql, vec![reception_id.into(), reception_id.into()])).await?;
    Ok(())
}

/// Adds a response's scores to the day sums of its reception (in the response's
/// transaction): a row per item and one for the whole response.
pub(crate) async fn add_survey_day<C: ConnectionTrait>(
    c: &C,
    reception_id: i32,
    scores: &[(&str, i64, i64)],
) -> Result<(), StoreError> {
    let backend = c.get_database_backend();
    let (total, reference) = scores.iter().fold((0i64, 0i64), |(s, r), (_, sc, re)| (s + sc, r + re));
    let whole = ("", total, reference);
    for (key, score, refer) in scores.iter().copied().chain([whole]) {
        let sql = "INSERT INTO survey_days (visit_start, department_id, item_key, responses, score_sum, reference_sum)              SELECT r.visit_start, r.department_id, ?, 1, ?, ? FROM receptions r WHERE r.id = ?              ON CONFLICT (visit_start, department_id, item_key) DO UPDATE SET              responses = survey_days.responses + excluded.responses,              score_sum = survey_days.score_sum + excluded.score_sum,              reference_sum = survey_days.reference_sum + excluded.reference_sum";
        c.execute_raw(statement(backend, sql, vec![key.into(), score.into(), refer.into(), reception_id.into()]))
            .await?;
    }
    Ok(())
}

/// The filter on receptions every query shares, written for the table alias `r`, with its
/// values.
pub(crate) fn period_filter(p: &Period) -> (String, Vec<Value>) {
    let mut sql = String::from("r.visit_start >= ? AND r.visit_start <= ?");
    let mut values: Vec<Value> = vec![p.from.into(), p.to.into()];
    if let Some(d) = p.department {
        sql.push_str(" AND r.department_id = ?");
        values.push(d.get().into());
    }
    (sql, values)
}

/// A statement for the engine: `?` placeholders become `$1, $2…` on PostgreSQL.
pub(crate) fn statement(backend: DatabaseBackend, sql: &str, values: Vec<Value>) -> Statement {
    let sql = if backend == DatabaseBackend::Postgres {
        let mut out = String::with_capacity(sql.len() + 8);
        let mut n = 0;
        for c in sql.chars() {
            if c == '?' {
                n += 1;
                out.push_str(&format!("${n}"));
            } else {
                out.push(c);
            }
        }
        out
    } else {
        sql.to_owned()
    };
    Statement::from_sql_and_values(backend, sql, values)
}

pub(crate) fn int(row: &QueryResult, col: &str) -> Result<i64, StoreError> {
    Ok(row.try_get::<Option<i64>>("", col)?.unwrap_or(0))
}

impl Store {
    /// Improvement actions still open (of one host department's receptions, or all): how many,
    /// how many are past `today`, and the `limit` due first.
    pub async fn report_open_actions(
        &self,
        department: Option<jiedai_domain::DepartmentId>,
        today: chrono::NaiveDate,
        limit: u64,
    ) -> Result<(i64, i64, Vec<OpenActionRow>), StoreError> {
        let (dept, values): (&str, Vec<Value>) = match department {
            Some(d) => (" AND r.department_id = ?", vec![d.get().into()]),
            None => ("", Vec::new()),
        };
        // The owner joins the list only; both read the open actions of the department's
        // receptions.
        let open = format!(
            "FROM improvement_actions a JOIN receptions r ON r.id = a.reception_id WHERE a.state = 'open'{dept}"
        );
        let sql = format!(
            "SELECT CAST(COUNT(*) AS BIGINT) AS n, CAST(SUM(CASE WHEN a.due_on < ? THEN 1 ELSE 0 END) AS BIGINT) AS late {open}"
        );
        let counted: Vec<Value> = std::iter::once(today.into()).chain(values.iter().cloned()).collect();
        let rows = self.report_rows(&sql, counted).await?;
        let (open_count, overdue) = match rows.first() {
            Some(row) => (int(row, "n")?, int(row, "late")?),
            None => (0, 0),
        };
        let sql = format!(
            "SELECT a.id AS id, a.what AS what, u.display_name AS owner, a.due_on AS due_on, r.code AS code \
             FROM improvement_actions a JOIN receptions r ON r.id = a.reception_id JOIN users u ON u.id = a.owner_id \
             WHERE a.state = 'open'{dept} ORDER BY a.due_on, a.id LIMIT {limit}"
        );
        let rows = self.report_rows(&sql, values).await?;
        let list = rows
            .iter()
            .map(|row| {
                Ok(OpenActionRow {
                    id: row.try_get("", "id")?,
                    what: row.try_get("", "what")?,
                    owner: row.try_get("", "owner")?,
                    due_on: row.try_get("", "due_on")?,
                    reception_code: row.try_get("", "code")?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok((open_count, overdue, list))
    }

    /// The period's settled receptions (settlement approved by finance) by tier and first visit day.
    pub async fn report_spend(&self, p: &Period) -> Result<Vec<TierSpendRow>, StoreError> {
        let (filter, values) = period_filter(p);
        let sql = format!(
            "SELECT COALESCE(r.tier, '') AS tier, r.visit_start AS visit_start, CAST(COUNT(*) AS BIGINT) AS n, \
             CAST(SUM(r.headcount) AS BIGINT) AS guests, CAST(SUM(s.total_fen) AS BIGINT) AS actual_fen, \
             CAST(SUM(COALESCE(r.budget_fen, 0)) AS BIGINT) AS budget_fen \
             FROM settlements s JOIN receptions r ON r.id = s.reception_id \
             WHERE {filter} AND s.state = 'approved' GROUP BY r.tier, r.visit_start"
        );
        let rows = self.report_rows(&sql, values).await?;
        rows.iter()
            .map(|row| {
                Ok(TierSpendRow {
                    tier: row.try_get("", "tier")?,
                    visit_start: row.try_get("", "visit_start")?,
                    receptions: int(row, "n")?,
                    guests: int(row, "guests")?,
                    actual_fen: int(row, "actual_fen")?,
                    budget_fen: int(row, "budget_fen")?,
                })
            })
            .collect()
    }

    /// The period's settled receptions that cost the most over their budget, at most `limit`.
    pub async fn report_overruns(&self, p: &Period, limit: u64) -> Result<Vec<OverrunRowDb>, StoreError> {
        let (filter, values) = period_filter(p);
        let sql = format!(
            "SELECT r.id AS id, r.code AS code, r.guest_organization AS org, r.budget_fen AS budget_fen, \
             s.total_fen AS actual_fen FROM settlements s JOIN receptions r ON r.id = s.reception_id \
             WHERE {filter} AND s.state = 'approved' AND r.budget_fen IS NOT NULL AND s.total_fen > r.budget_fen \
             ORDER BY s.total_fen - r.budget_fen DESC, r.id LIMIT {limit}"
        );
        let rows = self.report_rows(&sql, values).await?;
        rows.iter()
            .map(|row| {
                Ok(OverrunRowDb {
                    reception_id: row.try_get("", "id")?,
                    code: row.try_get("", "code")?,
                    guest_organization: row.try_get("", "org")?,
                    budget_fen: int(row, "budget_fen")?,
                    actual_fen: int(row, "actual_fen")?,
                })
            })
            .collect()
    }

    /// The period's survey sums by item and visit day.
    pub async fn report_survey_days(&self, p: &Period) -> Result<Vec<SurveyDay>, StoreError> {
        let (filter, values) = period_filter(p);
        let sql = format!(
            "SELECT r.visit_start AS visit_start, r.item_key AS item_key, CAST(SUM(r.responses) AS BIGINT) AS responses, \
             CAST(SUM(r.score_sum) AS BIGINT) AS score_sum, CAST(SUM(r.reference_sum) AS BIGINT) AS reference_sum \
             FROM survey_days r WHERE {filter} GROUP BY r.visit_start, r.item_key"
        );
        let rows = self.report_rows(&sql, values).await?;
        rows.iter()
            .map(|row| {
                Ok(SurveyDay {
                    visit_start: row.try_get("", "visit_start")?,
                    item_key: row.try_get("", "item_key")?,
                    responses: int(row, "responses")?,
                    score_sum: int(row, "score_sum")?,
                    reference_sum: int(row, "reference_sum")?,
                })
            })
            .collect()
    }

    /// Rows of a grouped query over the period's receptions.
    pub(crate) async fn report_rows(&self, sql: &str, values: Vec<Value>) -> Result<Vec<QueryResult>, StoreError> {
        let stmt = statement(self.conn().get_database_backend(), sql, values);
        Ok(self.conn().query_all_raw(stmt).await?)
    }

    /// The period's receptions counted by state, tier, department and lateness.
    pub async fn report_receptions(&self, p: &Period) -> Result<Vec<ReceptionCount>, StoreError> {
        let (filter, values) = period_filter(p);
        // SQLite's planner prefers a skip-scan of the state index, reading every row of the
        // period from the table (about three times slower over a year of 50,000 receptions):
        // it is told to read the covering index, which holds every column asked for.
        let receptions = if self.backend() == DatabaseBackend::Sqlite {
            "receptions r INDEXED BY idx_receptions_report"
        } else {
            "receptions r"
        };
        let sql = format!(
            "SELECT r.state AS state, COALESCE(r.tier, '') AS tier, r.department_id AS department_id, \
             CASE WHEN r.late THEN 1 ELSE 0 END AS late, CAST(COUNT(*) AS BIGINT) AS n, \
             CAST(SUM(r.headcount) AS BIGINT) AS guests \
             FROM {receptions} WHERE {filter} GROUP BY r.state, r.tier, r.department_id, r.late"
        );
        let rows = self.report_rows(&sql, values).await?;
        rows.iter()
            .map(|row| {
                Ok(ReceptionCount {
                    state: row.try_get("", "state")?,
                    tier: row.try_get("", "tier")?,
                    department_id: row.try_get("", "department_id")?,
                    late: row.try_get::<i32>("", "late")? != 0,
                    receptions: int(row, "n")?,
                    guests: int(row, "guests")?,
                })
            })
            .collect()
    }

    /// The period's finished tasks by group, and how many were done by their due day.
    pub async fn report_tasks(&self, p: &Period) -> Result<Vec<TaskCount>, StoreError> {
        let (filter, values) = period_filter(p);
        let sql = format!(
            "SELECT t.group_key AS group_key, CAST(COUNT(*) AS BIGINT) AS done, \
             CAST(SUM(CASE WHEN t.done_on <= t.due THEN 1 ELSE 0 END) AS BIGINT) AS on_time \
             FROM tasks t JOIN receptions r ON r.id = t.reception_id \
             WHERE {filter} AND t.status = 'done' AND t.done_on IS NOT NULL \
             GROUP BY t.group_key ORDER BY t.group_key"
        );
        let rows = self.report_rows(&sql, values).await?;
        rows.iter()
            .map(|row| {
                Ok(TaskCount {
                    group_key: row.try_get("", "group_key")?,
                    done: int(row, "done")?,
                    on_time: int(row, "on_time")?,
                })
            })
            .collect()
    }

    /// Reusable material of the period's receptions that came back to stock, by item, at
    /// each item's unit cost.
    pub async fn report_savings(&self, p: &Period) -> Result<Vec<Saving>, StoreError> {
        let (filter, values) = period_filter(p);
        let sql = format!(
            "SELECT s.name AS name, CAST(SUM(m.quantity) AS BIGINT) AS quantity, \
             CAST(SUM(m.quantity * s.unit_cost_fen) AS BIGINT) AS value_fen \
             FROM stock_movements m JOIN stock_items s ON s.id = m.stock_item_id \
             JOIN receptions r ON r.id = m.reception_id \
             WHERE {filter} AND m.kind = 'returned' GROUP BY s.id, s.name ORDER BY value_fen DESC, s.name"
        );
        let rows = self.report_rows(&sql, values).await?;
        rows.iter()
            .map(|row| {
                Ok(Saving {
                    name: row.try_get("", "name")?,
                    quantity: int(row, "quantity")?,
                    value_fen: int(row, "value_fen")?,
                })
            })
            .collect()
    }
}
