//! `/settlements`: the settlements of a period (by first visit day) for finance, General
//! Management and administrators, filtered by state, with links to the period's exports.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use jiedai_app::receptions;
use jiedai_app::settlement::{self, PeriodRow};
use jiedai_domain::Code;
use jiedai_domain::settlement::SettlementState;
use serde::Deserialize;

use super::export::{PeriodQuery, period_of, state_filter};
use crate::auth::Cx;
use crate::error::AppResult;
use crate::extract::Query;
use crate::i18n::keys::settlement_state;
use crate::render::{Chrome, page};
use crate::state::AppState;

/// The list's filter.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    /// First visit day from.
    #[serde(deserialize_with = "crate::extract::empty_as_none")]
    pub from: Option<chrono::NaiveDate>,
    /// First visit day to.
    #[serde(deserialize_with = "crate::extract::empty_as_none")]
    pub to: Option<chrono::NaiveDate>,
    /// A state, or every state when empty.
    pub state: Option<String>,
}

#[derive(Template)]
#[template(path = "settlement/list.html")]
struct ListPage {
    c: Chrome,
    from: String,
    to: String,
    state: String,
    states: Vec<(&'static str, &'static str)>,
    rows: Vec<PeriodRow>,
    total: jiedai_domain::Fen,
    exports: bool,
    /// What is wrong with the period asked for.
    errors: Vec<String>,
}

impl ListPage {
    fn state_label(&self, s: impl std::borrow::Borrow<SettlementState>) -> &'static str {
        self.c.t(settlement_state(*s.borrow()))
    }

    fn visit(&self, r: &PeriodRow) -> String {
        self.c.dates(&r.row.visit.0, &r.row.visit.1)
    }
}

/// `GET /settlements`.
pub async fn list(State(s): State<AppState>, cx: Cx, Query(q): Query<ListQuery>) -> AppResult<Response> {
    let c = Chrome::new(&cx);
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let (from, to) = period_of(&PeriodQuery { from: q.from, to: q.to }, c.today);
    let state = state_filter(q.state.as_deref());
    // A reversed or too long period is told above the filter, with the days kept.
    let (rows, errors) = match settlement::period(&s.app, &viewer, from, to, state).await {
        Ok(rows) => (rows, Vec::new()),
        Err(jiedai_app::Error::Validation(errs)) => {
            (Vec::new(), errs.0.iter().map(|e| cx.tr().field_error(e)).collect())
        }
        Err(e) => return Err(e.into()),
    };
    let total = jiedai_domain::Fen::checked_sum(rows.iter().map(|r| r.total)).unwrap_or_default();
    let states = SettlementState::all().iter().map(|s| (s.as_str(), settlement_state(*s))).collect();
    let exports = settlement::decides(&viewer);
    Ok(page(&ListPage {
        c,
        from: from.to_string(),
        to: to.to_string(),
        state: state.map(|s| s.as_str().to_owned()).unwrap_or_default(),
        states,
        rows,
        total,
        exports,
        errors,
    }))
}
