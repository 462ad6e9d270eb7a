//! The reception list's filters as URLs and the API write them, parsed into a list request.

use jiedai_app::receptions::{ListRequest, ListView, ReceptionFilter, Sort, parse_cursor};
use jiedai_domain::reception::State;
use jiedai_domain::{Code, DepartmentId, FieldError, FieldErrors, Tier};

use crate::error::{AppError, AppResult};

/// A list view by its identifier in URLs (empty: all).
pub fn parse_view(s: &str) -> Option<ListView> {
    if s.is_empty() { Some(ListView::All) } else { ListView::parse(s) }
}

/// The list's filters as URLs and the API write them; all optional, each trimmed (blank: as if
/// not given).
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReceptionQuery {
    /// `all` (default), `mine`, `approve` (waiting for my approval), `take-on`.
    #[param(value_type = Option<String>, pattern = "^[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*(?:all|mine|approve|take-on)[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*$")]
    pub view: Option<String>,
    /// States, comma-separated: draft, submitted, returned, rejected, approved, planning, cancelled.
    #[param(value_type = Option<String>, pattern = "^[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000,]*(?:draft|submitted|returned|rejected|approved|planning|cancelled)(?:[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*,[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000,]*(?:draft|submitted|returned|rejected|approved|planning|cancelled))*[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000,]*$")]
    pub state: Option<String>,
    /// Visits ending on or after this day (YYYY-MM-DD).
    #[param(value_type = Option<chrono::NaiveDate>)]
    pub from: Option<String>,
    /// Visits starting on or before this day (YYYY-MM-DD).
    #[param(value_type = Option<chrono::NaiveDate>)]
    pub to: Option<String>,
    /// Requesting department id.
    #[param(value_type = Option<i32>)]
    pub department: Option<String>,
    /// Tier: high_end, business, simple.
    #[param(value_type = Option<String>, pattern = "^[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*(?:high_end|business|simple)[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*$")]
    pub tier: Option<String>,
    /// `true`: late requests only; `false`: on time only (`1`, `yes`, `on`, `0`, `no` too).
    #[param(value_type = Option<String>, pattern = "^[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*(?:true|1|yes|on|false|0|no)[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*$")]
    pub late: Option<String>,
    /// Words separated by spaces (the first 100 characters, the first 8 words), each of which
    /// the code, the guest organisation or the principal guest's name must contain.
    #[param(pattern = "^[^\\x00]*$")]
    pub q: Option<String>,
    /// `visit` (earliest first, default), `-visit` (latest first), `newest`.
    #[param(value_type = Option<String>, pattern = "^[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*(?:visit|-visit|newest)[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*$")]
    pub sort: Option<String>,
    /// Where the page starts: a page's `next` (the rows after it) or `prev` (the rows before
    /// it, written with a leading `-`); one that does not parse answers 400.
    #[param(value_type = Option<String>, pattern = "^-?(?:(?:20[0-9]{2}|2100)-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))|20(?:[02468][048]|[13579][26])-02-29)\\.[0-9]{1,9}$")]
    pub cursor: Option<String>,
    /// Page size, 1–200 (default 50).
    #[serde(default, deserialize_with = "crate::extract::empty_as_none")]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

impl ReceptionQuery {
    /// Parses the query; every bad value names its parameter.
    pub fn parse(&self) -> AppResult<ListRequest> {
        let mut errs = FieldErrors::new();
        let text = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
        let mut day = |field: &str, s: &Option<String>| match text(s) {
            None => None,
            Some(v) => errs.check(jiedai_domain::bounds::parse_date(field, &v)),
        };
        let from = day("from", &self.from);
        let until = day("to", &self.to);
        // A span that ends before it starts matches nothing: said, not answered with an
        // empty list.
        if let (Some(from), Some(until)) = (from, until)
            && until < from
        {
            errs.push(FieldError::new("to", "end_before_start"));
        }
        let view = parse_view(text(&self.view).as_deref().unwrap_or("")).unwrap_or_else(|| {
            errs.push(FieldError::new("view", "unknown_reference"));
            ListView::All
        });
        let mut states = Vec::new();
        for s in text(&self.state).unwrap_or_default().split(',').map(str::trim).filter(|s| !s.is_empty()) {
            match State::parse(s) {
                Some(st) => states.push(st),
                None => errs.push(FieldError::on_line("state", "unknown_state", None, s.to_owned())),
            }
        }
        let department_id = match text(&self.department) {
            None => None,
            Some(d) => match d.parse::<DepartmentId>() {
                Ok(n) => Some(n),
                Err(_) => {
                    errs.push(FieldError::new("department", "unknown_reference"));
                    None
                }
            },
        };
        let tier = match text(&self.tier) {
            None => None,
            Some(t) => match Tier::parse(&t) {
                Some(tier) => Some(tier),
                None => {
                    errs.push(FieldError::on_line("tier", "unknown_tier", None, t));
                    None
                }
            },
        };
        let late = match text(&self.late).as_deref() {
            None => None,
            Some("true" | "1" | "yes" | "on") => Some(true),
            Some("false" | "0" | "no") => Some(false),
            Some(_) => {
                errs.push(FieldError::new("late", "invalid_boolean"));
                None
            }
        };
        let sort = match text(&self.sort).as_deref() {
            None | Some("visit") => Sort::VisitAsc,
            Some("-visit") => Sort::VisitDesc,
            Some("newest") => Sort::Newest,
            Some(_) => {
                errs.push(FieldError::new("sort", "unknown_reference"));
                Sort::VisitAsc
            }
        };
        let limit = page_limit(&mut errs, self.limit);
        if !errs.is_empty() {
            return Err(AppError::Validation(errs));
        }
        let cursor = text(&self.cursor)
            .map(|c| parse_cursor(&c))
            .transpose()
            .map_err(|_| AppError::BadRequest { code: "bad_cursor", detail: None })?;
        Ok(ListRequest {
            view,
            filter: ReceptionFilter {
                states,
                from,
                until,
                department_id,
                tier,
                late,
                q: text(&self.q).map(|q| q.chars().take(100).collect()),
                requester_id: None,
                departments: None,
            },
            sort,
            cursor,
            limit,
        })
    }
}

/// Most entries one page of a list holds.
pub const MAX_PAGE: i64 = 200;

/// A list's page size: 1–[`MAX_PAGE`], 50 when not given; anything else names `limit`.
pub fn page_limit(errs: &mut FieldErrors, limit: Option<i64>) -> u64 {
    match limit {
        None => 50,
        Some(n) if n > MAX_PAGE => {
            errs.push(FieldError::with_limit("limit", "too_large", MAX_PAGE as usize));
            50
        }
        Some(n) if n < 1 => {
            errs.push(FieldError::new("limit", "invalid_number"));
            50
        }
        Some(n) => n as u64,
    }
}
