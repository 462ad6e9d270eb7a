//! How a notification reads, in its reader's language: a title naming the reception (code,
//! guest organisation, dates) and what happened, a line on what to do, the comment if there
//! was one, and the link to the page. The same words serve the bell, e-mail (plain text and
//! HTML) and the robots (markdown).

use chrono::NaiveDate;
use jiedai_app::notify::{Subject, TaskSubject};
use jiedai_domain::UserId;
use jiedai_domain::notify::EventKey;

use crate::i18n::Tr;

/// What one notification says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// One line: what happened, to which reception.
    pub title: String,
    /// What happened and what to do, and the comment.
    pub lines: Vec<String>,
    /// The page to open (a path; [`Message::link_at`] makes it whole).
    pub path: String,
    /// Links that act at once for their reader (an approver's mail: approve, return), each
    /// (label, path); never in a group's message.
    pub actions: Vec<(String, String)>,
    /// The locale key of the link's label ("open in Jiedai"; a guest's "take the survey").
    pub open: &'static str,
}

/// What a message is made of.
pub struct Parts<'a> {
    /// What happened.
    pub key: EventKey,
    /// The reception's id.
    pub reception_id: Option<jiedai_domain::ReceptionId>,
    /// The reception.
    pub subject: Option<&'a Subject>,
    /// The task.
    pub task: Option<&'a TaskSubject>,
    /// What the event carried (`comment`, `taken_off`).
    pub data: &'a serde_json::Value,
    /// Who caused it.
    pub actor: Option<&'a str>,
    /// Who reads it (a person taken off a task reads that they were).
    pub reader: Option<UserId>,
    /// Today, for writing dates.
    pub today: NaiveDate,
}

/// The message of an event for one reader.
pub fn compose(tr: &Tr, p: &Parts<'_>) -> Message {
    let slug = p.key.slug();
    let taken_off = p.key == EventKey::TaskAssigned
        && p.reader.is_some_and(|r| p.task.is_some_and(|t| t.responsible_id != Some(r) && t.assistant_id != Some(r)));
    let slug = if taken_off { "task_taken_off".to_owned() } else { slug };
    let (code, org, dates) = match p.subject {
        Some(s) => (s.code.clone(), s.organization.clone(), tr.date_range(s.visit_start, s.visit_end, p.today)),
        None => (String::new(), String::new(), String::new()),
    };
    let task =
        p.task.map(|t| if tr.lang == jiedai_domain::Language::En { t.title_en.clone() } else { t.title_zh.clone() });
    let due = p.task.map(|t| {
        let day = tr.date(t.due, p.today);
        match t.due_time {
            Some(time) => format!("{day} {}", time.format("%H:%M")),
            None => day,
        }
    });
    let deadline = p.data.get("deadline").and_then(|d| d.as_str()).and_then(|d| d.parse::<NaiveDate>().ok());
    let due = due.or_else(|| deadline.map(|d| tr.date(d, p.today))).unwrap_or_default();
    let actor = p.actor.unwrap_or_else(|| tr.t("notify.someone")).to_owned();
    // An improvement action names itself (it is no task).
    let task = task.or_else(|| p.data.get("what").and_then(|w| w.as_str()).map(str::to_owned));
    let task = task.unwrap_or_default();
    let args = [
        ("code", code.as_str()),
        ("org", org.as_str()),
        ("dates", dates.as_str()),
        ("task", task.as_str()),
        ("due", due.as_str()),
        ("actor", actor.as_str()),
    ];
    let title = tr.t_with(&format!("notify.title_{slug}"), &args);
    let mut lines = vec![tr.t_with(&format!("notify.body_{slug}"), &args)];
    if let Some(comment) = p.data.get("comment").and_then(|c| c.as_str()).filter(|c| !c.trim().is_empty()) {
        lines.push(tr.t_with("notify.comment", &[("comment", comment.trim())]));
    }
    let path = match (p.key, p.reception_id) {
        (EventKey::TaskAssigned | EventKey::TaskDue | EventKey::TaskOverdue, _) => "/tasks".to_owned(),
        (EventKey::VisitTomorrow, Some(r)) => format!("/receptions/{r}/run-sheet"),
        (EventKey::SettlementSubmitted | EventKey::SettlementReturned | EventKey::SettlementApproved, Some(r)) => {
            format!("/receptions/{r}/settlement")
        }
        (EventKey::ActionAssigned | EventKey::ActionOverdue, _) => "/actions".to_owned(),
        (_, Some(r)) => format!("/receptions/{r}"),
        (_, None) => "/notifications".to_owned(),
    };
    let open = if p.key.is_for_guests() { "notify.invite_open" } else { "notify.open" };
    Message { title, lines, path, actions: Vec::new(), open }
}

impl Message {
    /// The link, whole: `base` is where people reach the site.
    pub fn link_at(&self, base: &str) -> String {
        format!("{}{}", base.trim_end_matches('/'), self.path)
    }

    /// Plain text: the title, the lines, the links.
    pub fn text(&self, base: &str, tr: &Tr) -> String {
        let mut out =
            format!("{}\n\n{}\n\n{}: {}\n", self.title, self.lines.join("\n"), tr.t(self.open), self.link_at(base));
        for (label, path) in &self.actions {
            out.push_str(&format!("{label}: {}{path}\n", base.trim_end_matches('/')));
        }
        out
    }

    /// Markdown for the robots (WeCom, DingTalk).
    pub fn markdown(&self, base: &str, tr: &Tr) -> String {
        let lines: Vec<String> = self.lines.iter().map(|l| markdown_escape(l)).collect();
        format!(
            "### {}\n\n{}\n\n[{}]({})",
            markdown_escape(&self.title),
            lines.join("\n\n"),
            tr.t(self.open),
            self.link_at(base)
        )
    }

    /// HTML for e-mail.
    pub fn html(&self, base: &str, tr: &Tr) -> String {
        let lines: String = self.lines.iter().map(|l| format!("<p>{}</p>", html_escape(l))).collect();
        let link = html_escape(&self.link_at(base));
        let actions: String = self
            .actions
            .iter()
            .map(|(label, path)| {
                let href = html_escape(&format!("{}{path}", base.trim_end_matches('/')));
                format!(
                    "<a href=\"{href}\" style=\"display:inline-block;margin-right:12px;padding:8px 16px;\
                     border:1px solid #1d4ed8;border-radius:6px;color:#1d4ed8;text-decoration:none\">{}</a>",
                    html_escape(label)
                )
            })
            .collect();
        format!(
            "<!doctype html><html><body style=\"font-family:sans-serif\"><h2 style=\"font-size:18px\">{}</h2>{lines}\
             <p>{actions}</p><p><a href=\"{link}\">{}</a></p></body></html>",
            html_escape(&self.title),
            html_escape(tr.t(self.open))
        )
    }
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Keeps a text from being read as markdown structure (links, emphasis, headings).
fn markdown_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '[' | ']' | '(' | ')' | '*' | '_' | '`' | '#' | '<' | '>' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
