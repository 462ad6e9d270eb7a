//! Lists of receptions: a page of their list columns (never the forms, so a page costs the
//! same at any table size), filtered, sorted and keyset-paged, and counts.

use chrono::NaiveDate;
use jiedai_domain::reception::State;
use jiedai_domain::{Code, DepartmentId, Fen, ReceptionId, Tier, UserId};
use sea_orm::sea_query::{Condition, Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, IdenStatic, QueryFilter, QueryOrder, QuerySelect,
};

use super::{Cursor, ReceptionFilter, ReceptionRow, Scope, Sort};
use crate::engine::{Match, like_text, stored_time};
use crate::entity::reception;
use crate::{Store, StoreError};

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
    Option<&'a str>,
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

/// What a row holds where a stored value cannot be read (written before the checks at the
/// edge, or by hand): a placeholder, and the row is marked damaged so every reader shows it
/// as such instead of failing the whole page.
struct Damage(bool);

impl Damage {
    fn or<T>(&mut self, v: Option<T>, placeholder: T) -> T {
        v.unwrap_or_else(|| {
            self.0 = true;
            placeholder
        })
    }
}

/// The first accepted date: stands for a date that cannot be read.
fn no_date() -> NaiveDate {
    jiedai_domain::bounds::first_date()
}

/// Reads a page of list rows from the JSON array of arrays SQLite built. A row whose state,
/// dates, tier or times cannot be read comes back marked damaged.
fn parse_page(page: &str) -> Result<Vec<ReceptionRow>, StoreError> {
    let rows: Vec<PageRow> =
        serde_json::from_str(page).map_err(|_| StoreError::Setup("reception list: unreadable page".into()))?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let mut d = Damage(false);
            let row = ReceptionRow {
                id: ReceptionId(r.0),
                code: r.1,
                state: d.or(State::parse(r.2), State::Draft),
                department_id: DepartmentId(r.3),
                requester_id: UserId(r.4),
                visit_start: d.or(ymd(r.5), no_date()),
                visit_end: d.or(ymd(r.6), no_date()),
                guest_organization: r.7,
                guest_name: r.8,
                purpose: r.9,
                tier: d.or(tier_of(r.10).ok(), None),
                headcount: r.11,
                budget: r.12.map(Fen::new),
                late: r.13 != 0,
                late_working_days: r.14,
                submitted_at: match r.15 {
                    None => None,
                    Some(t) => d.or(stored_time(t).map(Some), None),
                },
                procedure_version: r.16,
                version: r.17,
                damaged: false,
            };
            ReceptionRow { damaged: d.0, ..row }
        })
        .collect())
}

/// A list row read from a PostgreSQL row in the order of [`LIST_COLUMNS`]. The columns are
/// decoded without sqlx's per-value type check (the statement is ours and the row's types
/// are fixed by the schema): reading rows was a seventh of a list page's CPU. A row whose
/// state, dates, tier or time cannot be read comes back marked damaged.
fn row_of(r: &sea_orm::QueryResult) -> Result<ReceptionRow, StoreError> {
    use sea_orm::sqlx::Row;
    use sea_orm::sqlx::postgres::{PgRow, Postgres};
    fn col<'r, T: sea_orm::sqlx::Decode<'r, Postgres>>(row: &'r PgRow, i: usize) -> Result<T, StoreError> {
        row.try_get_unchecked(i).map_err(|e| StoreError::Setup(format!("reception list: column {i}: {e}")))
    }
    let row = r.try_as_pg_row().ok_or_else(|| StoreError::Setup("reception list: not a PostgreSQL row".into()))?;
    let mut d = Damage(false);
    let state: &str = col(row, 2)?;
    let tier: Option<&str> = col(row, 10)?;
    let out = ReceptionRow {
        id: ReceptionId(col(row, 0)?),
        code: col(row, 1)?,
        state: d.or(State::parse(state), State::Draft),
        department_id: DepartmentId(col(row, 3)?),
        requester_id: UserId(col(row, 4)?),
        visit_start: d.or(pg_date(col(row, 5)?), no_date()),
        visit_end: d.or(pg_date(col(row, 6)?), no_date()),
        guest_organization: col(row, 7)?,
        guest_name: col(row, 8)?,
        purpose: col(row, 9)?,
        tier: d.or(tier_of(tier).ok(), None),
        headcount: col(row, 11)?,
        budget: col::<Option<i64>>(row, 12)?.map(Fen::new),
        late: col(row, 13)?,
        late_working_days: col(row, 14)?,
        submitted_at: d.or(col(row, 15).ok(), None),
        procedure_version: col(row, 16)?,
        version: col(row, 17)?,
        damaged: false,
    };
    Ok(ReceptionRow { damaged: d.0, ..out })
}

/// A PostgreSQL `date` as sent in binary: days since 2000-01-01. Read as the integer it is
/// and converted with checked arithmetic (sqlx's own decoding panics on a date beyond what
/// chrono holds, such as the year 300000, which PostgreSQL accepts).
fn pg_date(days: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(2000, 1, 1)?.checked_add_signed(chrono::Duration::days(i64::from(days)))
}

/// A tier column read back.
fn tier_of(v: Option<&str>) -> Result<Option<Tier>, StoreError> {
    v.map(|t| Tier::parse(t).ok_or_else(|| StoreError::Setup(format!("reception list: unknown tier {t}")))).transpose()
}

// Values from small closed sets — states, tiers, the late flag — are written into the
// statement (as constants the query builder quotes) rather than bound: the statement then
// names, say, the state it lists, so PostgreSQL plans it once for those values and reuses
// the plan, instead of planning it again on every call as it does with parameters whose
// values could change the plan. Everything that varies per person or per day (department
// and user ids, dates), free text and the cursor are bound, so the number of distinct
// statements stays small and each engine's statement cache is not churned.

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
            .add(reception::Column::DepartmentId.is_in(departments.iter().map(|d| d.get())))
            .add(reception::Column::RequesterId.eq(requester.get())),
    }
}

fn filter_condition(f: &ReceptionFilter) -> Condition {
    use reception::Column as C;
    let mut c = Condition::all();
    if !f.states.is_empty() {
        c = c.add(col(C::State).is_in(f.states.iter().map(|s| lit(s.as_str()))));
    }
    if let Some(d) = f.from {
        c = c.add(C::VisitEnd.gte(d));
        // A visit lasts at most MAX_VISIT_DAYS, so one still going on `from` began at most that
        // long before: the bound lets the visit_start index read a range, where it read every
        // earlier reception (the home page's week read half the table).
        let max = jiedai_domain::reception::MAX_VISIT_DAYS;
        if let Some(earliest) = d.checked_sub_signed(chrono::Duration::days(max)) {
            c = c.add(C::VisitStart.gte(earliest));
        }
    }
    if let Some(d) = f.until {
        c = c.add(C::VisitStart.lte(d));
    }
    if let Some(d) = f.department_id {
        c = c.add(C::DepartmentId.eq(d.get()));
    }
    if let Some(t) = f.tier {
        c = c.add(col(C::Tier).eq(lit(t.as_str())));
    }
    if let Some(l) = f.late {
        c = c.add(col(C::Late).eq(lit(l)));
    }
    if let Some(d) = &f.departments {
        c = c.add(C::DepartmentId.is_in(d.iter().map(|d| d.get())));
    }
    if let Some(r) = f.requester_id {
        c = c.add(C::RequesterId.eq(r.get()));
    }
    for word in search_words(f.q.as_deref().unwrap_or("")) {
        let upper = word.to_uppercase();
        c = c.add(
            Condition::any()
                .add(like_text(C::Code, &upper, Match::Prefix))
                .add(like_text(C::Code, &upper, Match::Suffix))
                .add(like_text(C::GuestOrganization, word, Match::Anywhere))
                .add(like_text(C::GuestName, word, Match::Anywhere)),
        );
    }
    c
}

/// Most words of a search that are matched; more are ignored, so a pasted paragraph cannot
/// make a statement of hundreds of conditions.
pub const MAX_SEARCH_WORDS: usize = 8;

/// The words of a search: separated by white space (an ideographic space too), each once,
/// at most [`MAX_SEARCH_WORDS`].
fn search_words(q: &str) -> Vec<&str> {
    let mut words: Vec<&str> = Vec::new();
    for w in q.split_whitespace() {
        if !words.contains(&w) && words.len() < MAX_SEARCH_WORDS {
            words.push(w);
        }
    }
    words
}

impl Store {
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
        // The previous page is read backwards from where the page began (in the reverse order,
        // nearest first), then put back in the list's order below.
        let backwards = cursor.is_some_and(|c| c.before);
        // Ascending by (visit, id) when true, descending otherwise.
        let (by_visit, ascending) = match sort {
            Sort::VisitAsc => (true, !backwards),
            Sort::VisitDesc => (true, backwards),
            Sort::Newest => (false, backwards),
        };
        if let Some(cur) = cursor {
            let (visit, id) = (cur.visit, cur.id.get());
            let beyond = match (by_visit, ascending) {
                (true, true) => Condition::any()
                    .add(C::VisitStart.gt(visit))
                    .add(Condition::all().add(C::VisitStart.eq(visit)).add(C::Id.gt(id))),
                (true, false) => Condition::any()
                    .add(C::VisitStart.lt(visit))
                    .add(Condition::all().add(C::VisitStart.eq(visit)).add(C::Id.lt(id))),
                (false, true) => Condition::all().add(C::Id.gt(id)),
                (false, false) => Condition::all().add(C::Id.lt(id)),
            };
            q = q.filter(beyond);
        }
        q = match (by_visit, ascending) {
            (true, true) => q.order_by_asc(C::VisitStart).order_by_asc(C::Id),
            (true, false) => q.order_by_desc(C::VisitStart).order_by_desc(C::Id),
            (false, true) => q.order_by_asc(C::Id),
            (false, false) => q.order_by_desc(C::Id),
        };
        let inner = q.select_only().columns(LIST_COLUMNS);
        let backend = self.conn().get_database_backend();
        let mut stmt = sea_orm::QueryTrait::build(&inner, backend);
        // The limit is written into the statement, not bound, like the filters' values: with a
        // bound LIMIT PostgreSQL cannot tell the page is small and would plan every call afresh.
        stmt.sql.push_str(&format!(" LIMIT {limit}"));
        let mut rows = if backend == DatabaseBackend::Postgres {
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

    /// How many receptions the scope allows under a filter (the list's total, counters on
    /// the dashboard): one `COUNT(*)` under the list's own conditions, without its order or
    /// columns, so each engine counts from the same indexes the list reads.
    pub async fn count_receptions(&self, scope: &Scope, f: &ReceptionFilter) -> Result<u64, StoreError> {
        let n: Option<i64> = reception::Entity::find()
            .select_only()
            .column_as(Expr::cust("COUNT(*)"), "n")
            .filter(scope_condition(scope))
            .filter(filter_condition(f))
            .into_tuple()
            .one(self.conn())
            .await?;
        Ok(u64::try_from(n.unwrap_or(0)).unwrap_or(0))
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
        assert_eq!((rows[0].tier, rows[1].tier), (Some(Tier::Business), None));
        assert_eq!((rows[1].budget, rows[1].submitted_at), (None, None));
        assert_eq!(stored_time("2026-09-28 02:00:00.25+00:00").unwrap().to_rfc3339(), "2026-09-28T02:00:00.250+00:00");
        assert_eq!(stored_time("2026-09-28T02:00:00+08:00").unwrap().to_rfc3339(), "2026-09-27T18:00:00+00:00");
        assert_eq!(ymd("2026-02-29"), None);
        assert_eq!(ymd("2026-1-01"), None);
        assert!(parse_page("[[1]]").is_err());
        let bad =
            r#"[[7,"JD-2026-0007","zzz",1,2,"+262143-01-01","not a date","o","g","p","nope",1,null,0,0,"x",1,1]]"#;
        let rows = parse_page(bad).unwrap();
        assert!(rows[0].damaged && rows[0].code == "JD-2026-0007", "a bad row is kept, marked damaged");
        assert!(parse_page("[]").unwrap().is_empty());
    }

    #[test]
    fn closed_sets_are_written_in_and_values_per_person_or_day_are_bound() {
        use sea_orm::{DatabaseBackend, QueryTrait};
        let f = ReceptionFilter {
            states: vec![State::Planning, State::Approved],
            from: NaiveDate::from_ymd_opt(2026, 10, 1),
            tier: Some(Tier::Business),
            late: Some(true),
            departments: Some(vec![DepartmentId(3), DepartmentId(4)]),
            q: Some("华东';DROP/**/TABLE/**/receptions;--".into()),
            ..Default::default()
        };
        let scope = Scope::Limited { departments: vec![DepartmentId(3)], requester: UserId(9) };
        for backend in [DatabaseBackend::Postgres, DatabaseBackend::Sqlite] {
            let q = reception::Entity::find().filter(scope_condition(&scope)).filter(filter_condition(&f));
            let stmt = q.build(backend);
            for written in ["'planning'", "'approved'", "'business'"] {
                assert!(stmt.sql.contains(written), "{written} in {}", stmt.sql);
            }
            for never in ["2026-10-01", "IN (3", "= 9", "DROP"] {
                assert!(!stmt.sql.contains(never), "{never} written into {}", stmt.sql);
            }
            let bound: Vec<String> = stmt.values.iter().flat_map(|v| v.0.iter()).map(|v| format!("{v:?}")).collect();
            // Scope: department 3 and requester 9; filter: the day and the earliest first day of
            // a visit still going on it, departments 3 and 4, and the search text four times
            // (code prefix and suffix, organisation, guest).
            assert_eq!(bound.len(), 10, "{bound:?}");
            assert!(bound.iter().any(|v| v.contains("2026-08-02")), "60 days before: {bound:?}");
            assert_eq!(bound.iter().filter(|v| v.contains("DROP/**/TABLE")).count(), 4, "{bound:?}");
        }
    }

    #[test]
    fn a_search_of_several_words_needs_each_of_them() {
        assert_eq!(search_words("  华东\u{3000}李明 华东 "), vec!["华东", "李明"], "ideographic space, each once");
        assert_eq!(search_words("a b c d e f g h i j").len(), MAX_SEARCH_WORDS);
        assert!(search_words(" \t ").is_empty());
        use sea_orm::{DatabaseBackend, QueryTrait};
        let f = ReceptionFilter { q: Some("华东 李明".into()), ..Default::default() };
        let stmt = reception::Entity::find().filter(filter_condition(&f)).build(DatabaseBackend::Sqlite);
        // Four places for each word, the words joined by AND.
        assert_eq!(stmt.values.iter().flat_map(|v| v.0.iter()).count(), 8, "{}", stmt.sql);
        assert!(stmt.sql.contains(") AND ("), "{}", stmt.sql);
    }
}
