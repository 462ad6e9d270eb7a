//! Reminders computed from the calendar, made by the worker of every instance and written
//! once each (their `dedupe` key is the event, its subject and its day): tasks due on the
//! next working day and visits starting on it (told on the working day before, at the
//! reminder hour), tasks overdue (once), drafts whose proposal deadline is two working days
//! away.

use chrono::{NaiveDate, Timelike};
use jiedai_domain::notify::{EventKey, days_told_on, deadline_warning_day};
use jiedai_domain::reception::proposal_deadline;
use jiedai_domain::{Code, ReceptionId, TaskId};
use jiedai_store::NewEvent;

use crate::{App, Result};

fn reminder(
    key: EventKey,
    reception: ReceptionId,
    task: Option<TaskId>,
    day: NaiveDate,
    data: serde_json::Value,
) -> NewEvent {
    let subject = task.map_or_else(|| format!("r{reception}"), |t| format!("t{t}"));
    NewEvent {
        key,
        reception_id: Some(reception),
        task_id: task,
        actor: None,
        data,
        dedupe: Some(format!("{}:{subject}:{day}", key.as_str())),
    }
}

/// Makes the reminders due now; how many were new.
pub async fn make_reminders(app: &App, reminder_hour: u32) -> Result<usize> {
    let store = app.store();
    let now = chrono::Utc::now().with_timezone(&app.config().timezone);
    let today = now.date_naive();
    let cal = app.calendar().await?;
    let mut events = Vec::new();
    if let Some((from, to)) = days_told_on(&cal, today, now.hour(), reminder_hour) {
        for (task, reception, due) in store.open_tasks_due(Some(from), to).await? {
            events.push(reminder(EventKey::TaskDue, reception, Some(task), due, serde_json::json!({})));
        }
        for (reception, start) in store.receptions_starting(&["planning"], from, to).await? {
            events.push(reminder(EventKey::VisitTomorrow, reception, None, start, serde_json::json!({})));
        }
    }
    if let Some(yesterday) = today.pred_opt() {
        for (task, reception, due) in store.open_tasks_due(None, yesterday).await? {
            events.push(reminder(EventKey::TaskOverdue, reception, Some(task), due, serde_json::json!({})));
        }
    }
    // Improvement actions past their due day (calendar days), told to their owner once each.
    let overdue = jiedai_store::ActionQuery {
        state: Some(jiedai_domain::review::ActionFilter::Overdue),
        owner: None,
        reception: None,
        today,
    };
    for a in store.actions(&overdue).await? {
        let (id, due) = (a.id.get(), a.action.due_on);
        events.push(NewEvent {
            key: EventKey::ActionOverdue,
            reception_id: Some(a.reception_id),
            task_id: None,
            actor: None,
            data: serde_json::json!({
                "action_id": id, "owner_id": a.action.owner_id.get(), "what": a.action.what, "deadline": due,
            }),
            dedupe: Some(format!("{}:a{id}:{due}", EventKey::ActionOverdue.as_str())),
        });
    }
    // Drafts whose deadline is two working days from today: their first visit day is a little
    // more than a week on; each is read to be sure of its own dates.
    let procedure = app.current_procedure().await?;
    let horizon = today + chrono::Duration::days(60);
    for (id, start) in store.receptions_starting(&["draft", "returned"], today, horizon).await? {
        let deadline = proposal_deadline(&cal, &procedure.procedure, start);
        if deadline_warning_day(&cal, deadline) != today {
            continue;
        }
        let r = store.get_reception(id).await?;
        if r.form.visit_start == Some(start) {
            let data = serde_json::json!({ "deadline": deadline });
            events.push(reminder(EventKey::DraftDeadline, id, None, deadline, data));
        }
    }
    let keys: Vec<String> = events.iter().filter_map(|e| e.dedupe.clone()).collect();
    let made_before = store.existing_dedupes(&keys).await?;
    events.retain(|e| e.dedupe.as_ref().is_some_and(|k| !made_before.contains(k)));
    let mut made = 0;
    for e in &events {
        if store.emit_once(e).await? {
            made += 1;
        }
    }
    Ok(made)
}
