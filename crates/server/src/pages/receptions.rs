//! Reception pages: the list, the application form (new and edit), the reception at a
//! glance with its timeline and history, and the confirmation of each action.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Redirect, Response};
use chrono::NaiveDate;
use jiedai_domain::Language;
use jiedai_domain::procedure::TIER_KEYS;
use jiedai_domain::reception::{Action, Check, Findings, StageStatus, State as RState};
use jiedai_domain::{FieldErrors, Permission};
use jiedai_store::{AuditFilter, StoredReception};
use serde::Deserialize;

use super::FormErrors;
use super::reception_form::FormState;
use crate::app::{App, AppState, FormClaim};
use crate::auth::Cx;
use crate::auth::csrf::CsrfForm;
use crate::error::{AppError, AppResult};
use crate::extract::Query;
use crate::i18n::Tr;
use crate::render::{Chrome, page, redirect_with_flash};
use crate::service::procedure;
use crate::service::receptions::{self, ListView, ReceptionQuery, ReceptionView, Viewer};

/// The CSS class of a state's badge.
pub fn state_badge(s: RState) -> &'static str {
    match s {
        RState::Draft | RState::Cancelled => "badge",
        RState::Submitted => "badge badge-blue",
        RState::Returned => "badge badge-amber",
        RState::Approved | RState::Planning => "badge badge-green",
        RState::Rejected => "badge badge-red",
    }
}

/// The label key of a state.
pub fn state_key(s: RState) -> String {
    format!("reception.state_{}", s.as_str())
}

fn tier_label(tr: Tr, tier: Option<&str>) -> String {
    tier.map(|t| tr.t_with(&format!("reception.tier_{t}"), &[])).unwrap_or_else(|| "—".into())
}

async fn viewer(app: &App, cx: &Cx) -> AppResult<Viewer> {
    Viewer::of(app, cx.user()?).await
}

/// The visit's days as written in lists: `2026-10-09` or `2026-10-09 – 10-11`.
pub fn visit_dates(start: NaiveDate, end: NaiveDate) -> String {
    use chrono::Datelike;
    if start == end { start.to_string() } else { format!("{start} – {:02}-{:02}", end.month(), end.day()) }
}

// ---------------------------------------------------------------- list

/// A row of the list.
pub struct ListRow {
    id: i32,
    code: String,
    organization: String,
    guest: String,
    dates: String,
    department: String,
    state: String,
    badge: &'static str,
    tier: String,
    headcount: i32,
    late: String,
}

/// "Late by N working days", or nothing.
pub fn late_label(tr: Tr, late: bool, days: i32) -> String {
    if late { tr.t_with("reception.late_by", &[("n", &days.to_string())]) } else { String::new() }
}

#[derive(Template)]
#[template(path = "receptions/list.html")]
struct ListPage {
    c: Chrome,
    q: ReceptionQuery,
    view: &'static str,
    views: Vec<(&'static str, &'static str)>,
    rows: Vec<ListRow>,
    next: Option<String>,
    export: String,
    departments: Vec<(i32, String)>,
    states: Vec<(&'static str, String)>,
    tiers: Vec<(&'static str, String)>,
    can_create: bool,
    error: Option<String>,
}

impl ListPage {
    fn department_selected(&self, id: &i32) -> bool {
        self.q.department.as_deref() == Some(id.to_string().as_str())
    }
}

fn query_string(q: &ReceptionQuery) -> String {
    serde_urlencoded::to_string(q).unwrap_or_default()
}

/// Department names by id.
pub async fn department_names(app: &App) -> AppResult<HashMap<i32, String>> {
    Ok(app.store.department_names().await?.into_iter().collect())
}

/// `GET /receptions`.
pub async fn list(State(app): State<AppState>, cx: Cx, Query(mut q): Query<ReceptionQuery>) -> AppResult<Response> {
    let tr = cx.tr();
    // The page opens on the newest requests; the API's default order is by visit.
    if q.sort.as_deref().is_none_or(str::is_empty) {
        q.sort = Some("newest".into());
    }
    let viewer = viewer(&app, &cx).await?;
    let names = department_names(&app).await?;
    let (rows, next, error) = match q.parse() {
        Ok(req) => {
            let (rows, next) =
                receptions::list(&app, &viewer, req.view, req.filter, req.sort, req.cursor, req.limit).await?;
            let next = next.map(|c| {
                let mut q2 = q.clone();
                q2.cursor = Some(receptions::cursor_to_string(c));
                format!("/receptions?{}", query_string(&q2))
            });
            (rows, next, None)
        }
        Err(AppError::Validation(errs)) => {
            (Vec::new(), None, Some(errs.0.iter().map(|e| tr.field_error(e)).collect::<Vec<_>>().join(" ")))
        }
        Err(e) => return Err(e),
    };
    let rows = rows
        .into_iter()
        .map(|r| ListRow {
            id: r.id,
            dates: visit_dates(r.visit_start, r.visit_end),
            department: names.get(&r.department_id).cloned().unwrap_or_default(),
            state: tr.t_with(&state_key(r.state), &[]),
            badge: state_badge(r.state),
            tier: tier_label(tr, r.tier.as_deref()),
            headcount: r.headcount,
            late: late_label(tr, r.late, r.late_working_days),
            organization: r.guest_organization,
            guest: r.guest_name,
            code: r.code,
        })
        .collect();
    let mut export_q = q.clone();
    export_q.cursor = None;
    let mut departments: Vec<(i32, String)> = names.into_iter().collect();
    departments.sort_by(|a, b| a.1.cmp(&b.1));
    let view = ListView::parse(q.view.as_deref().unwrap_or("")).unwrap_or_default().as_str();
    Ok(page(&ListPage {
        c: Chrome::new(&cx),
        view,
        views: vec![
            ("all", "reception.view_all"),
            ("mine", "reception.view_mine"),
            ("approve", "reception.view_approve"),
            ("take-on", "reception.view_take_on"),
        ],
        rows,
        next,
        export: format!("/receptions.xlsx?{}", query_string(&export_q)),
        departments,
        states: RState::ALL.iter().map(|s| (s.as_str(), tr.t_with(&state_key(*s), &[]))).collect(),
        tiers: TIER_KEYS.iter().map(|t| (*t, tier_label(tr, Some(t)))).collect(),
        can_create: cx.allows(Permission::RequestReception),
        error,
        q,
    }))
}

// ---------------------------------------------------------------- form

/// A tier choice with its standard.
pub struct TierChoice {
    key: &'static str,
    label: String,
    standard: String,
    fen: i64,
}

#[derive(Template)]
#[template(path = "receptions/form.html")]
struct FormPage {
    c: Chrome,
    title: String,
    action: String,
    f: FormState,
    version: Option<i32>,
    /// A one-time token, so a double-clicked "create" makes one request.
    nonce: String,
    applicant: String,
    department: String,
    departments: Vec<(i32, String)>,
    department_id: String,
    tiers: Vec<TierChoice>,
    recommended: Option<String>,
    conflict: Option<String>,
    cancel_href: String,
    has_errors: bool,
}

struct FormContext {
    title: String,
    action: String,
    version: Option<i32>,
    applicant: String,
    department_id: Option<i32>,
    cancel_href: String,
}

async fn form_page(
    app: &App,
    cx: &Cx,
    ctx: FormContext,
    f: FormState,
    conflict: Option<String>,
    status: StatusCode,
) -> AppResult<Response> {
    let tr = cx.tr();
    let cur = procedure::current(&app.store).await?;
    let day = chrono::NaiveDate::parse_from_str(f.v("visit_start"), "%Y-%m-%d").unwrap_or_else(|_| app.today());
    let tiers: Vec<TierChoice> = TIER_KEYS
        .iter()
        .filter_map(|k| cur.procedure.tier_on(k, day).map(|t| (k, t.standard_per_person_fen)))
        .map(|(k, fen)| TierChoice { key: k, label: tier_label(tr, Some(k)), standard: tr.money(fen), fen })
        .collect();
    let names = department_names(app).await?;
    let viewer = viewer(app, cx).await?;
    let sees_all = jiedai_domain::reception::Standing { roles: viewer.roles, ..Default::default() }.sees_all();
    let mut departments: Vec<(i32, String)> = if sees_all {
        names.iter().map(|(k, v)| (*k, v.clone())).collect()
    } else {
        let mut own: Vec<i32> = viewer.heads.clone();
        own.extend(viewer.department_id);
        own.dedup();
        own.into_iter().filter_map(|d| names.get(&d).map(|n| (d, n.clone()))).collect()
    };
    departments.sort_by(|a, b| a.1.cmp(&b.1));
    let department_id = ctx.department_id.or(viewer.department_id);
    let department = department_id.and_then(|d| names.get(&d).cloned()).unwrap_or_default();
    let recommended = {
        let mut form = f.to_form();
        form.normalize();
        let n = form.headcount();
        tiers.iter().find(|t| form.tier.as_deref() == Some(t.key)).map(|t| {
            tr.t_with("reception.recommended_is", &[("amount", &tr.money(t.fen * i64::from(n))), ("n", &n.to_string())])
        })
    };
    let has_errors = !f.errs.is_empty();
    let f = f.in_language(tr);
    let mut r = page(&FormPage {
        c: Chrome::new(cx),
        title: ctx.title,
        action: ctx.action,
        version: ctx.version,
        nonce: crate::auth::token::random_hex(),
        applicant: ctx.applicant,
        department,
        departments: if departments.len() > 1 { departments } else { Vec::new() },
        department_id: department_id.map(|d| d.to_string()).unwrap_or_default(),
        tiers,
        recommended,
        conflict,
        cancel_href: ctx.cancel_href,
        has_errors,
        f,
    });
    *r.status_mut() = status;
    Ok(r)
}

/// `GET /receptions/new`.
pub async fn new_form(State(app): State<AppState>, cx: Cx) -> AppResult<Response> {
    let user = cx.user()?;
    let mut form = jiedai_domain::reception::ReceptionForm {
        contact_person: user.display_name.clone(),
        contact_phone: user.phone.clone().unwrap_or_default(),
        ..Default::default()
    };
    form.companion_count = 0;
    let ctx = FormContext {
        title: cx.tr().t("reception.new").to_owned(),
        action: "/receptions".into(),
        version: None,
        applicant: user.display_name.clone(),
        department_id: None,
        cancel_href: "/receptions".into(),
    };
    form_page(&app, &cx, ctx, FormState::of(&form), None, StatusCode::OK).await
}

fn one<'a>(pairs: &'a [(String, String)], k: &str) -> &'a str {
    pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str()).unwrap_or("")
}

/// `POST /receptions`: saves a new draft, and submits it when asked.
pub async fn create(
    State(app): State<AppState>,
    cx: Cx,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let user = cx.user()?.clone();
    let intent = one(&pairs, "intent").to_owned();
    let nonce = one(&pairs, "nonce").to_owned();
    let (state, form, parse_errs) = FormState::parse(&pairs, intent == "more");
    let department_id = one(&pairs, "department_id").parse::<i32>().ok();
    let ctx = |cx: &Cx| FormContext {
        title: cx.tr().t("reception.new").to_owned(),
        action: "/receptions".into(),
        version: None,
        applicant: user.display_name.clone(),
        department_id,
        cancel_href: "/receptions".into(),
    };
    if intent == "more" {
        return form_page(&app, &cx, ctx(&cx), state, None, StatusCode::OK).await;
    }
    // A double click sends the form twice: the second waits for the first and shows
    // what it made.
    for _ in 0..100 {
        match app.form_claim(&nonce) {
            FormClaim::First => break,
            FormClaim::Done(id) => {
                return Ok(axum::response::IntoResponse::into_response(Redirect::to(&format!("/receptions/{id}"))));
            }
            FormClaim::Busy => tokio::time::sleep(std::time::Duration::from_millis(50)).await,
        }
    }
    let viewer = viewer(&app, &cx).await?;
    let tr = cx.tr();
    let result = if parse_errs.is_empty() {
        receptions::create(&app, &viewer, form.clone(), department_id, &cx.actor()).await
    } else {
        Err(with_domain_errors(&app, &form, parse_errs).await?)
    };
    app.form_finished(&nonce, result.as_ref().ok().map(|r| r.id));
    let r = match result {
        Ok(r) => r,
        Err(AppError::Validation(errs)) => {
            let warns = warnings_of(&app, &form).await?;
            let state = state.with_messages(tr, &errs, &warns);
            return form_page(&app, &cx, ctx(&cx), state, None, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
        Err(e) => return Err(e),
    };
    after_save(&app, &cx, &viewer, r, &intent).await
}

/// What the draft check finds in a form as typed (normalised as it would be stored).
async fn draft_findings(app: &App, form: &jiedai_domain::reception::ReceptionForm) -> AppResult<Findings> {
    let cur = procedure::current(&app.store).await?;
    let mut f = form.clone();
    f.normalize();
    Ok(f.check(Check::Draft, app.today(), &cur.procedure))
}

/// Values that did not parse, and what the draft check finds in the rest, together.
async fn with_domain_errors(
    app: &App,
    form: &jiedai_domain::reception::ReceptionForm,
    mut errs: FieldErrors,
) -> AppResult<AppError> {
    for e in draft_findings(app, form).await?.errors.0 {
        if errs.get(&e.field).is_none() {
            errs.push(e);
        }
    }
    Ok(AppError::Validation(errs))
}

async fn warnings_of(app: &App, form: &jiedai_domain::reception::ReceptionForm) -> AppResult<FieldErrors> {
    Ok(draft_findings(app, form).await?.warnings)
}

/// After a save: submit when asked (errors come back on the edit form), else show it.
async fn after_save(app: &App, cx: &Cx, viewer: &Viewer, r: StoredReception, intent: &str) -> AppResult<Response> {
    let secure = app.settings.secure_cookies;
    if intent != "submit" {
        return Ok(redirect_with_flash(&format!("/receptions/{}", r.id), "flash.draft_saved", secure));
    }
    match receptions::act(app, viewer, r.id, r.version, Action::Submit, "", &cx.actor()).await {
        Ok(r) => Ok(redirect_with_flash(&format!("/receptions/{}", r.id), "flash.submitted", secure)),
        Err(AppError::Validation(errs)) => {
            let warns = warnings_of(app, &r.form).await?;
            let state = FormState::of(&r.form).with_messages(cx.tr(), &errs, &warns);
            let ctx = edit_context(app, cx, &r).await?;
            form_page(app, cx, ctx, state, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e),
    }
}

async fn edit_context(app: &App, cx: &Cx, r: &StoredReception) -> AppResult<FormContext> {
    let applicant = app.store.get_user(r.requester_id).await?.display_name;
    Ok(FormContext {
        title: cx.tr().t_with("reception.edit_title", &[("code", &r.code)]),
        action: format!("/receptions/{}/edit", r.id),
        version: Some(r.version),
        applicant,
        department_id: Some(r.department_id),
        cancel_href: format!("/receptions/{}", r.id),
    })
}

/// `GET /receptions/{id}/edit`.
pub async fn edit_form(State(app): State<AppState>, cx: Cx, Path(id): Path<String>) -> AppResult<Response> {
    let id: i32 = id.parse().map_err(|_| AppError::NotFound)?;
    let viewer = viewer(&app, &cx).await?;
    let v = receptions::get(&app, &viewer, id).await?;
    if !v.editable() {
        return Ok(redirect_with_flash(
            &format!("/receptions/{id}"),
            "flash.error_not_editable",
            app.settings.secure_cookies,
        ));
    }
    let state = FormState::of(&v.r.form).with_messages(cx.tr(), &FieldErrors::new(), &v.warnings);
    let ctx = edit_context(&app, &cx, &v.r).await?;
    form_page(&app, &cx, ctx, state, None, StatusCode::OK).await
}

/// `POST /receptions/{id}/edit`: saves the draft (and submits it when asked).
pub async fn save(
    State(app): State<AppState>,
    cx: Cx,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let id: i32 = id.parse().map_err(|_| AppError::NotFound)?;
    let viewer = viewer(&app, &cx).await?;
    let current = receptions::get(&app, &viewer, id).await?;
    let intent = one(&pairs, "intent").to_owned();
    let version: i32 = one(&pairs, "version").parse().unwrap_or(0);
    let (state, form, parse_errs) = FormState::parse(&pairs, intent == "more");
    let mut ctx = edit_context(&app, &cx, &current.r).await?;
    ctx.version = Some(version);
    if intent == "more" {
        return form_page(&app, &cx, ctx, state, None, StatusCode::OK).await;
    }
    let tr = cx.tr();
    let result = if parse_errs.is_empty() {
        receptions::update(&app, &viewer, id, version, form.clone(), &cx.actor()).await
    } else {
        Err(with_domain_errors(&app, &form, parse_errs).await?)
    };
    match result {
        Ok(r) => after_save(&app, &cx, &viewer, r, &intent).await,
        Err(AppError::Validation(errs)) => {
            let warns = warnings_of(&app, &form).await?;
            form_page(&app, &cx, ctx, state.with_messages(tr, &errs, &warns), None, StatusCode::UNPROCESSABLE_ENTITY)
                .await
        }
        Err(AppError::StaleVersion) => {
            // Keep what was typed; say what changed; the next save goes on top of the latest.
            ctx.version = Some(current.r.version);
            let msg = tr.t_with(
                "reception.stale_form",
                &[
                    ("state", &tr.t_with(&state_key(current.r.state), &[])),
                    ("at", &tr.datetime(current.r.updated_at, app.settings.timezone)),
                ],
            );
            let (errs, warns) = (FieldErrors::new(), warnings_of(&app, &form).await?);
            form_page(&app, &cx, ctx, state.with_messages(tr, &errs, &warns), Some(msg), StatusCode::CONFLICT).await
        }
        Err(AppError::Forbidden) => Ok(redirect_with_flash(
            &format!("/receptions/{id}"),
            "flash.error_not_editable",
            app.settings.secure_cookies,
        )),
        Err(e) => Err(e),
    }
}

// ---------------------------------------------------------------- show

/// A stage on the page's timeline.
pub struct StageRow {
    name: String,
    offset: String,
    due: String,
    status: &'static str,
    status_label: String,
    record: String,
}

/// An entry of the history.
pub struct HistoryRow {
    at: String,
    actor: String,
    action: String,
    comment: String,
}

/// A labelled value of the form.
pub struct Prop {
    /// Label.
    pub label: String,
    /// Value as shown.
    pub value: String,
}

/// A section of the form at a glance.
pub struct Section {
    /// Title.
    pub title: String,
    /// Its fields.
    pub props: Vec<Prop>,
}

#[derive(Template)]
#[template(path = "receptions/show.html")]
struct ShowPage {
    c: Chrome,
    id: i32,
    code: String,
    organization: String,
    state: String,
    badge: &'static str,
    late: String,
    state_note: String,
    state_note_label: String,
    actions: Vec<(String, String, &'static str)>,
    editable: bool,
    warnings: Vec<String>,
    uncovered: Option<String>,
    is_admin: bool,
    stages: Vec<StageRow>,
    sections: Vec<Section>,
    people: Vec<(&'static str, Vec<Vec<String>>)>,
    personal: bool,
    history: Vec<HistoryRow>,
    recommended: Option<String>,
    procedure_version: i32,
}

fn yes(tr: Tr, b: bool) -> String {
    tr.t(if b { "common.yes" } else { "common.no" }).to_owned()
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(|x| x.to_string()).unwrap_or_default()
}

fn money(tr: Tr, v: Option<i64>) -> String {
    v.map(|f| tr.money(f)).unwrap_or_default()
}

fn dt(v: &Option<chrono::NaiveDateTime>) -> String {
    v.map(|t| t.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default()
}

/// The form's content in the sections of the paper form, labelled in the reader's language.
pub fn sections(tr: Tr, v: &ReceptionView) -> Vec<Section> {
    let f = &v.r.form;
    let personal = v.standing.sees_personal_data();
    let hidden = tr.t("reception.hidden").to_owned();
    let p = |label: &str, value: String| Prop { label: tr.t_with(&format!("reception.f.{label}"), &[]), value };
    let private = |s: &str| if personal { s.to_owned() } else { hidden.clone() };
    let means =
        f.arrival_means.map(|m| tr.t_with(&format!("reception.means_{}", serde_plain(&m)), &[])).unwrap_or_default();
    let grade = |g: &Option<jiedai_domain::reception::Grade>| {
        g.map(|g| tr.t_with(&format!("reception.grade_{}", serde_plain(&g)), &[])).unwrap_or_else(|| yes(tr, false))
    };
    let booking = |b: &jiedai_domain::reception::Booking| {
        if !b.wanted {
            return yes(tr, false);
        }
        let mut parts = vec![b.place.clone()];
        if let Some(n) = b.headcount {
            parts.push(tr.t_with("reception.persons", &[("n", &n.to_string())]));
        }
        if let Some(m) = b.budget_fen {
            parts.push(tr.money(m));
        }
        if !b.contact.is_empty() {
            parts.push(format!("{}: {}", tr.t("reception.f.contact"), b.contact));
        }
        parts.retain(|s| !s.is_empty());
        parts.join(" · ")
    };
    let tea: Vec<String> =
        [("black", f.tea.black), ("green", f.tea.green), ("coffee", f.tea.coffee), ("water", f.tea.water)]
            .iter()
            .filter(|(_, on)| *on)
            .map(|(k, _)| tr.t_with(&format!("reception.tea_{k}"), &[]))
            .collect();
    let m = &f.meeting_room;
    let equipment: Vec<String> = [
        ("computer", m.computer),
        ("paper", m.paper),
        ("pencils", m.pencils),
        ("pens", m.pens),
        ("projector", m.projector),
        ("clicker", m.clicker),
    ]
    .iter()
    .filter(|(_, on)| *on)
    .map(|(k, _)| tr.t_with(&format!("arrangement.{k}"), &[]))
    .collect();
    let pickup = if f.pickup_car.wanted {
        [f.pickup_car.vehicle.clone(), f.pickup_car.place.clone(), dt(&f.pickup_car.at)]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · ")
    } else {
        yes(tr, false)
    };
    let tickets = if f.train_tickets.wanted {
        let n = opt(&f.train_tickets.count);
        format!("{} × {}", f.train_tickets.train_number, n)
    } else {
        yes(tr, false)
    };
    let h = &f.hotel;
    let hotel = if h.wanted {
        let mut parts = vec![h.hotel.clone(), h.rooms.clone()];
        if let Some(n) = h.nights {
            parts.push(tr.t_with("reception.nights", &[("n", &n.to_string())]));
        }
        parts.push(money(tr, h.budget_fen));
        if !h.contact.is_empty() {
            parts.push(format!("{}: {}", tr.t("reception.f.contact"), h.contact));
        }
        parts.retain(|s| !s.is_empty());
        parts.join(" · ")
    } else {
        yes(tr, false)
    };
    let transport = match f.arrival_means {
        Some(jiedai_domain::reception::ArrivalMeans::Car) => private(&f.licence_plate),
        _ => private(&f.transport_number),
    };
    vec![
        Section {
            title: tr.t("reception.part_one").to_owned(),
            props: vec![
                p("applicant", v.requester.clone()),
                p("department", v.department.clone()),
                p(
                    "contact_person",
                    format!("{} {}", f.contact_person, if personal { &f.contact_phone } else { "" }).trim().to_owned(),
                ),
                p("guest_organization", f.guest_organization.clone()),
                p("purpose", f.purpose.clone()),
                p("visit_dates", visit_dates(v.r.visit_start, v.r.visit_end)),
                p("budget", money(tr, f.budget_fen)),
                p("arrival_at", dt(&f.arrival_at)),
                p("departure_at", dt(&f.departure_at)),
                p("arrival_means", means),
                p("transport", transport),
                p("guest_name", f.guest_name.clone()),
                p("guest_title", f.guest_title.clone()),
                p("guest_phone", private(&f.guest_phone)),
                p("guest_needs", private(&f.guest_needs)),
                p("companion_count", f.companion_count.to_string()),
            ],
        },
        Section {
            title: tr.t("reception.arrangements").to_owned(),
            props: vec![
                p("pickup_car", pickup),
                p("train_tickets", tickets),
                p("hotel", hotel),
                p("lunch", booking(&f.lunch)),
                p("dinner", booking(&f.dinner)),
                p("entertainment", booking(&f.entertainment)),
            ],
        },
        Section {
            title: tr.t("reception.part_two").to_owned(),
            props: vec![
                p("gm_contact", f.gm_contact.clone()),
                p("tier", tier_label(tr, f.tier.as_deref())),
                p("parking", yes(tr, f.parking)),
                p("red_carpet", yes(tr, f.red_carpet)),
                p("welcome_message", if f.welcome_message { f.welcome_text.clone() } else { yes(tr, false) }),
                p("fruit", grade(&f.fruit)),
                p("tea", if tea.is_empty() { yes(tr, false) } else { tea.join("、") }),
                p(
                    "meeting_room",
                    if m.wanted {
                        format!("{} {}", m.room, equipment.join("、")).trim().to_owned()
                    } else {
                        yes(tr, false)
                    },
                ),
                p("meals", yes(tr, f.meals)),
                p("gifts", grade(&f.gifts)),
                p("leader_appointment", if f.leader_appointment { f.leader_name.clone() } else { yes(tr, false) }),
                p("head_approved", yes(tr, v.r.state.is_approved())),
                p("other_material", f.other_material.clone()),
            ],
        },
    ]
}

/// A unit enum as its serde name (`fine`, `car`).
fn serde_plain<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

const WEEKDAYS: [&str; 7] =
    ["calendar.mon", "calendar.tue", "calendar.wed", "calendar.thu", "calendar.fri", "calendar.sat", "calendar.sun"];

fn offset_label(n: i32) -> String {
    match n {
        0 => "T".into(),
        n if n > 0 => format!("T+{n}"),
        n => format!("T{n}"),
    }
}

/// `GET /receptions/{id}`.
pub async fn show(State(app): State<AppState>, cx: Cx, Path(id): Path<String>) -> AppResult<Response> {
    let id: i32 = id.parse().map_err(|_| AppError::NotFound)?;
    let tr = cx.tr();
    let zh = cx.lang == Language::ZhCn;
    let viewer = viewer(&app, &cx).await?;
    let v = receptions::get(&app, &viewer, id).await?;
    let stages = v
        .timeline
        .iter()
        .zip(v.procedure.stages.iter())
        .map(|(t, s)| StageRow {
            name: if zh { s.name_zh.clone() } else { s.name_en.clone() },
            offset: offset_label(s.offset_working_days),
            due: format!(
                "{} {}",
                t.due,
                tr.t(WEEKDAYS[chrono::Datelike::weekday(&t.due).num_days_from_monday() as usize])
            ),
            status: match t.status {
                StageStatus::Done => "done",
                StageStatus::Overdue => "overdue",
                StageStatus::Next => "next",
                StageStatus::Upcoming => "upcoming",
                StageStatus::Stopped => "stopped",
            },
            status_label: tr.t_with(&format!("reception.stage_{}", serde_plain(&t.status)), &[]),
            record: if zh { s.record_zh.clone() } else { s.record_en.clone() },
        })
        .collect();
    let history = app
        .store
        .list_audit(
            &AuditFilter { entity: Some("reception".into()), entity_id: Some(id.to_string()), ..Default::default() },
            100,
        )
        .await?
        .into_iter()
        .map(|a| {
            let after: serde_json::Value =
                a.after.as_deref().and_then(|s| serde_json::from_str(s).ok()).unwrap_or_default();
            HistoryRow {
                at: tr.datetime(a.at, app.settings.timezone),
                actor: a.actor_label,
                action: tr.t_with(&format!("reception.did_{}", a.action.replace('-', "_")), &[]),
                comment: after.get("comment").and_then(|c| c.as_str()).unwrap_or("").to_owned(),
            }
        })
        .collect();
    let uncovered = (!v.uncovered_years.is_empty()).then(|| {
        let years: Vec<String> = v.uncovered_years.iter().map(|y| y.to_string()).collect();
        tr.t_with("reception.uncovered_years", &[("years", &years.join(", "))])
    });
    let warnings = v.warnings.0.iter().map(|w| tr.field_error(w)).collect();
    let person = |p: &jiedai_domain::reception::Person, personal: bool| {
        let mut row = vec![p.name.clone(), p.title.clone()];
        if personal {
            row.push(p.phone.clone());
            row.push(p.needs.clone());
        }
        row
    };
    let personal = v.standing.sees_personal_data();
    let actions = v
        .actions
        .iter()
        .map(|a| {
            let class = match a {
                Action::Submit | Action::Approve | Action::TakeOn => "btn btn-primary",
                Action::Reject | Action::Cancel => "btn btn-danger",
                Action::Return => "btn",
            };
            (
                format!("/receptions/{id}/{}", a.as_str()),
                tr.t_with(&format!("reception.action_{}", a.as_str().replace('-', "_")), &[]),
                class,
            )
        })
        .collect();
    let state_note_label = match v.r.state {
        RState::Returned => "reception.returned_because",
        RState::Rejected => "reception.rejected_because",
        _ => "reception.cancelled_because",
    };
    Ok(page(&ShowPage {
        c: Chrome::new(&cx),
        id,
        code: v.r.code.clone(),
        organization: v.r.form.guest_organization.clone(),
        state: tr.t_with(&state_key(v.r.state), &[]),
        badge: state_badge(v.r.state),
        late: late_label(tr, v.r.late, v.r.late_working_days),
        state_note: v.r.state_note.clone(),
        state_note_label: tr.t(state_note_label).to_owned(),
        actions,
        editable: v.editable(),
        warnings,
        uncovered,
        is_admin: cx.allows(Permission::ManageCalendar),
        stages,
        sections: sections(tr, &v),
        people: vec![
            ("reception.f.companions", v.r.form.companions.iter().map(|p| person(p, personal)).collect()),
            ("reception.f.support_staff", v.r.form.support_staff.iter().map(|p| person(p, personal)).collect()),
        ],
        personal,
        history,
        recommended: v.recommended_budget_fen.map(|f| tr.money(f)),
        procedure_version: v.r.procedure_version,
    }))
}

// ---------------------------------------------------------------- actions

#[derive(Template)]
#[template(path = "receptions/confirm.html")]
struct ConfirmPage {
    c: Chrome,
    id: i32,
    code: String,
    organization: String,
    dates: String,
    action: &'static str,
    title: String,
    question: String,
    needs_comment: bool,
    comment: String,
    version: i32,
    errs: FormErrors,
    conflict: Option<String>,
    danger: bool,
    available: bool,
}

async fn confirm_page(
    cx: &Cx,
    v: &ReceptionView,
    action: Action,
    comment: String,
    errs: FormErrors,
    conflict: Option<String>,
    status: StatusCode,
) -> AppResult<Response> {
    let tr = cx.tr();
    let key = action.as_str().replace('-', "_");
    let mut r = page(&ConfirmPage {
        c: Chrome::new(cx),
        id: v.r.id,
        code: v.r.code.clone(),
        organization: v.r.form.guest_organization.clone(),
        dates: visit_dates(v.r.visit_start, v.r.visit_end),
        action: action.as_str(),
        title: tr.t_with(&format!("reception.action_{key}"), &[]),
        question: tr.t_with(&format!("reception.confirm_{key}"), &[]),
        needs_comment: action.needs_comment(),
        comment,
        version: v.r.version,
        errs,
        conflict,
        danger: matches!(action, Action::Reject | Action::Cancel),
        available: v.actions.contains(&action),
    });
    *r.status_mut() = status;
    Ok(r)
}

fn parse_action(s: &str) -> AppResult<Action> {
    Action::parse(s).ok_or(AppError::NotFound)
}

/// `GET /receptions/{id}/{action}`: asks to confirm, with the comment the action needs.
pub async fn confirm(
    State(app): State<AppState>,
    cx: Cx,
    Path((id, action)): Path<(String, String)>,
) -> AppResult<Response> {
    let id: i32 = id.parse().map_err(|_| AppError::NotFound)?;
    let action = parse_action(&action)?;
    let viewer = viewer(&app, &cx).await?;
    let v = receptions::get(&app, &viewer, id).await?;
    if !v.actions.contains(&action) {
        return Ok(redirect_with_flash(
            &format!("/receptions/{id}"),
            "flash.error_not_allowed_now",
            app.settings.secure_cookies,
        ));
    }
    confirm_page(&cx, &v, action, String::new(), FormErrors::none(), None, StatusCode::OK).await
}

/// What the confirmation form sends.
#[derive(Deserialize)]
pub struct ActForm {
    #[serde(default)]
    version: i32,
    #[serde(default)]
    comment: String,
}

/// `POST /receptions/{id}/{action}`.
pub async fn act(
    State(app): State<AppState>,
    cx: Cx,
    Path((id, action)): Path<(String, String)>,
    CsrfForm(form): CsrfForm<ActForm>,
) -> AppResult<Response> {
    let id: i32 = id.parse().map_err(|_| AppError::NotFound)?;
    let action = parse_action(&action)?;
    let viewer = viewer(&app, &cx).await?;
    let secure = app.settings.secure_cookies;
    match receptions::act(&app, &viewer, id, form.version, action, &form.comment, &cx.actor()).await {
        Ok(_) => Ok(redirect_with_flash(
            &format!("/receptions/{id}"),
            &format!("flash.did_{}", action.as_str().replace('-', "_")),
            secure,
        )),
        Err(AppError::StaleVersion | AppError::Conflict { .. }) => {
            let v = receptions::get(&app, &viewer, id).await?;
            // A double click: the first click did it already.
            if v.r.state == target_of(action) {
                return Ok(redirect_with_flash(&format!("/receptions/{id}"), "flash.already_done", secure));
            }
            let tr = cx.tr();
            let msg = tr.t_with(
                "reception.stale_action",
                &[
                    ("state", &tr.t_with(&state_key(v.r.state), &[])),
                    ("at", &tr.datetime(v.r.updated_at, app.settings.timezone)),
                ],
            );
            // The form again when the action still applies; else only what happened.
            confirm_page(&cx, &v, action, form.comment, FormErrors::none(), Some(msg), StatusCode::CONFLICT).await
        }
        Err(AppError::Validation(errs)) => {
            let v = receptions::get(&app, &viewer, id).await?;
            if action == Action::Submit {
                // The form is incomplete: show it with every problem marked.
                let warns = warnings_of(&app, &v.r.form).await?;
                let state = FormState::of(&v.r.form).with_messages(cx.tr(), &errs, &warns);
                let ctx = edit_context(&app, &cx, &v.r).await?;
                return form_page(&app, &cx, ctx, state, None, StatusCode::UNPROCESSABLE_ENTITY).await;
            }
            let errs = FormErrors::from_error(cx.tr(), &AppError::Validation(errs)).unwrap_or_default();
            confirm_page(&cx, &v, action, form.comment, errs, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e),
    }
}

/// The state an action leads to (from the state it applies to).
fn target_of(a: Action) -> RState {
    RState::ALL.into_iter().find_map(|s| a.next(s)).unwrap_or(RState::Draft)
}
