//! Close-out history for benchmarks of the reports, written by the database itself (one
//! `INSERT … SELECT` a table over the receptions already loaded): receptions in planning
//! whose visit has ended become closed, each with its five groups' tasks done (one in six a
//! day late) and material back in stock. Nothing here is used by the product.

use chrono::{NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DatabaseBackend, Value};

use super::statement;
use crate::{Store, StoreError};

/// Receptions the bench has not written history for yet (the demo's closed ones have tasks).
const FRESH: &str = "NOT EXISTS (SELECT 1 FROM tasks t WHERE t.reception_id = r.id)";

impl Store {
    /// Closes the generated receptions whose visit ended before `today` and writes their
    /// close-out history; answers how many were closed.
    pub async fn load_bench_history(&self, today: NaiveDate, survey_items: &[String]) -> Result<u64, StoreError> {
        let mut w = self.write().await?;
        w.touch(crate::Topic::Receptions).await?;
        w.touch(crate::Topic::Tasks).await?;
        let c = &w.txn;
        let backend = c.get_database_backend();
        let next_day =
            if backend == DatabaseBackend::Postgres { "r.visit_start + 1" } else { "date(r.visit_start, '+1 day')" };
        let now: Value = Utc::now().into();
        let closed = c
            .execute_raw(statement(
                backend,
                "UPDATE receptions SET state = 'closed' WHERE state = 'planning' AND visit_end < ?",
                vec![today.into()],
            ))
            .await?
            .rows_affected();
        let sql = "INSERT INTO stock_movements (stock_item_id, reception_id, kind, quantity, delta, on_hand_after, \
             note, actor_label, at) \
             SELECT s.id, r.id, 'returned', 1 + r.id % 6, 1 + r.id % 6, s.on_hand, '', 'bench', ? \
             FROM receptions r CROSS JOIN (SELECT id, on_hand FROM stock_items WHERE reusable = ? ORDER BY id LIMIT 3) s \
             WHERE r.state = 'closed' AND {FRESH}";
        let sql = sql.replace("{FRESH}", FRESH);
        c.execute_raw(statement(backend, &sql, vec![now.clone(), true.into()])).await?;
        // Two responses a reception (its guests' and General Management's), scored 6…10 an
        // item, summed by day as each response would add them.
        if !survey_items.is_empty() {
            let items: Vec<String> =
                (0..survey_items.len()).map(|i| format!("SELECT {} AS p, ? AS k", i + 1)).collect();
            // Added to the sums already there (the demo's own responses), item by item and
            // as each day's totals (item key empty).
            let add = "ON CONFLICT (visit_start, department_id, item_key) DO UPDATE SET \
                 responses = survey_days.responses + excluded.responses, \
                 score_sum = survey_days.score_sum + excluded.score_sum, \
                 reference_sum = survey_days.reference_sum + excluded.reference_sum";
            let score = "12 + 2 * ((r.id + i.p) % 3) + 2 * ((r.id / 7 + i.p) % 2)";
            let n = survey_items.len();
            let sql = format!(
                "INSERT INTO survey_days (visit_start, department_id, item_key, responses, score_sum, reference_sum) \
                 SELECT r.visit_start, r.department_id, i.k, 2 * COUNT(*), SUM({score}), 20 * COUNT(*) \
                 FROM receptions r CROSS JOIN ({items}) i WHERE r.state = 'closed' AND {FRESH} \
                 GROUP BY r.visit_start, r.department_id, i.k {add}",
                items = items.join(" UNION ALL ")
            );
            let keys: Vec<Value> = survey_items.iter().map(|k| k.clone().into()).collect();
            c.execute_raw(statement(backend, &sql, keys.clone())).await?;
            let sql = format!(
                "INSERT INTO survey_days (visit_start, department_id, item_key, responses, score_sum, reference_sum) \
                 SELECT r.visit_start, r.department_id, '', 2 * COUNT(*) / {n}, SUM({score}), 20 * COUNT(*) \
                 FROM receptions r CROSS JOIN ({items}) i WHERE r.state = 'closed' AND {FRESH} \
                 GROUP BY r.visit_start, r.department_id {add}",
                items = items.join(" UNION ALL ")
            );
            c.execute_raw(statement(backend, &sql, keys)).await?;
        }
        // The tasks last: a reception with tasks is not the bench's (the demo's closed ones).
        let groups = "SELECT 1 AS pos, 'before' AS phase, 'driver' AS grp UNION ALL \
            SELECT 2, 'before', 'guest' UNION ALL SELECT 3, 'before', 'logistics' UNION ALL \
            SELECT 4, 'before', 'process' UNION ALL SELECT 5, 'on_site', 'service'";
        let sql = format!(
            "INSERT INTO tasks (reception_id, position, phase, group_key, title_zh, title_en, duties_zh, duties_en, \
             due, status, note, waive_reason, version, done_on, created_at, updated_at) \
             SELECT r.id, g.pos, g.phase, g.grp, '任务', 'Task', '', '', r.visit_start, 'done', '', '', 1, \
             CASE WHEN (r.id + g.pos) % 6 = 0 THEN {next_day} ELSE r.visit_start END, ?, ? \
             FROM receptions r CROSS JOIN ({groups}) g WHERE r.state = 'closed' AND {FRESH}"
        );
        c.execute_raw(statement(backend, &sql, vec![now.clone(), now.clone()])).await?;
        w.commit().await?;
        Ok(closed)
    }
}
