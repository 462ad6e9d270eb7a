//! The application form (new and edit): one long page in the paper form's sections that
//! works on a phone and without JavaScript. What was typed comes back with every message
//! next to its field; a double-clicked "create" makes one request (its idempotency key).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use jiedai_app::receptions::{self, StoredReception, Viewer};
use jiedai_app::{accounts, secrets};
use jiedai_domain::reception::{Action, Check, Findings, ReceptionForm, State as RState};
use jiedai_domain::{Code, DepartmentId, FieldErrors, ReceptionId, Tier};

use super::form_state::FormState;
use super::late::LateLive;
use crate::auth::Cx;
use crate::auth::csrf::CsrfForm;
use crate::error::{AppError, AppResult};
use crate::extract::Id;
use crate::forms::one;
use crate::receptions::view::{state_label, tier_label};
use crate::render::{Chrome, page, redirect_with_flash};
use crate::state::AppState;

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
    /// The idempotency key: a double-clicked "create" makes one request.
    idempotency_key: String,
    applicant: String,
    department: String,
    departments: Vec<(DepartmentId, String)>,
    department_id: String,
    tiers: Vec<TierChoice>,
    recommended: Option<String>,
    conflict: Option<String>,
    cancel_href: String,
    has_errors: bool,
    /// Submitted today, the request would be late: the warning with the deadline it misses
    /// (the page also says it in the browser as the dates change).
    late_warning: Option<String>,
    /// What the page needs to warn while the first visit day is typed.
    late_live: LateLive,
    late_reason: String,
    /// The comment it was returned with, while it is fixed.
    return_note: Option<String>,
    /// What a failed "save and submit" did (nothing saved), said above the form.
    not_saved: bool,
}

struct FormContext {
    title: String,
    action: String,
    version: Option<i32>,
    applicant: String,
    department_id: Option<DepartmentId>,
    cancel_href: String,
    late_reason: String,
    return_note: Option<String>,
    not_saved: bool,
}

async fn form_page(
    s: &AppState,
    cx: &Cx,
    viewer: &Viewer,
    ctx: FormContext,
    f: FormState,
    conflict: Option<String>,
    status: StatusCode,
) -> AppResult<Response> {
    let tr = cx.tr();
    let cur = s.app.current_procedure().await?;
    let mut form = f.to_form();
    form.normalize();
    let day = form.visit_start.unwrap_or_else(|| s.app.today());
    let tiers: Vec<TierChoice> = Tier::all()
        .iter()
        .filter_map(|k| cur.procedure.tier_on(*k, day).map(|t| (*k, t.standard_per_person)))
        .map(|(k, std)| TierChoice {
            key: k.as_str(),
            label: tier_label(tr, Some(k)),
            standard: tr.money(std),
            fen: std.get(),
        })
        .collect();
    let departments = receptions::departments_for(&s.app, viewer).await?;
    let department_id = ctx.department_id.or(viewer.department_id);
    let department = match department_id {
        Some(d) => accounts::department_name(&s.app, d).await?,
        None => String::new(),
    };
    let recommended = form.recommended_budget(&cur.procedure).map(|amount| {
        tr.plural_with("reception.recommended_is", i64::from(form.headcount()), &[("amount", &tr.money(amount))])
    });
    let has_errors = !f.errs.is_empty();
    let cal = s.app.calendar().await?;
    let today = s.app.today();
    let late_warning = form
        .visit_start
        .map(|start| jiedai_domain::reception::proposal_deadline(&cal, &cur.procedure, start))
        .filter(|deadline| today > *deadline)
        .map(|deadline| tr.t_with("reception.late_warning", &[("deadline", &tr.date(deadline, today))]));
    let late_live = LateLive::new(tr, &cal, &cur.procedure, today);
    let f = f.in_language(tr);
    let mut r = page(&FormPage {
        c: Chrome::new(cx),
        title: ctx.title,
        action: ctx.action,
        version: ctx.version,
        idempotency_key: secrets::random_hex(),
        applicant: ctx.applicant,
        department,
        departments: if departments.len() > 1 { departments } else { Vec::new() },
        department_id: department_id.map(|d| d.to_string()).unwrap_or_default(),
        tiers,
        recommended,
        conflict,
        cancel_href: ctx.cancel_href,
        has_errors,
        late_warning,
        late_live,
        late_reason: ctx.late_reason,
        return_note: ctx.return_note,
        not_saved: ctx.not_saved,
        f,
    });
    *r.status_mut() = status;
    Ok(r)
}

fn new_context(cx: &Cx, applicant: String, department_id: Option<DepartmentId>) -> FormContext {
    FormContext {
        title: cx.tr().t("reception.new").to_owned(),
        action: "/receptions".into(),
        version: None,
        applicant,
        department_id,
        cancel_href: "/receptions".into(),
        late_reason: String::new(),
        return_note: None,
        not_saved: false,
    }
}

/// `GET /receptions/new`.
pub async fn new_form(State(s): State<AppState>, cx: Cx) -> AppResult<Response> {
    let user = cx.user()?;
    let viewer = receptions::viewer_of(&s.app, user).await?;
    let form = ReceptionForm {
        contact_person: user.display_name.clone(),
        contact_phone: user.phone.clone().unwrap_or_default(),
        ..Default::default()
    };
    let ctx = new_context(&cx, user.display_name.clone(), None);
    form_page(&s, &cx, &viewer, ctx, FormState::of(&form), None, StatusCode::OK).await
}

/// `POST /receptions`: saves a new draft, and submits it when asked.
pub async fn create(
    State(s): State<AppState>,
    cx: Cx,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let user = cx.user()?;
    let viewer = receptions::viewer_of(&s.app, user).await?;
    let intent = one(&pairs, "intent").to_owned();
    let (state, form, parse_errs) = FormState::parse(&pairs, intent.strip_prefix("more_"));
    let department_id = one(&pairs, "department_id").parse::<DepartmentId>().ok();
    let mut ctx = new_context(&cx, user.display_name.clone(), department_id);
    ctx.late_reason = one(&pairs, "late_reason").to_owned();
    if intent.starts_with("more") {
        return form_page(&s, &cx, &viewer, ctx, state, None, StatusCode::OK).await;
    }
    let late_reason = (!ctx.late_reason.trim().is_empty()).then(|| ctx.late_reason.clone());
    if intent == "submit" {
        // Save and submit: every problem of the submission at once, and nothing saved
        // while there is one (no nameless draft left behind).
        let errs = submission_errors(&s, &form, parse_errs.clone(), late_reason.as_deref()).await?;
        if !errs.is_empty() {
            let warns = warnings_of(&s, &form).await?;
            let state = state.with_messages(cx.tr(), &errs, &warns);
            ctx.not_saved = true;
            return form_page(&s, &cx, &viewer, ctx, state, None, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    }
    let result = if parse_errs.is_empty() {
        receptions::create(&s.app, &viewer, form.clone(), department_id, &cx.actor()).await.map_err(AppError::from)
    } else {
        Err(with_domain_errors(&s, &form, parse_errs).await?)
    };
    match result {
        Ok(r) => after_save(&s, &cx, &viewer, r, &intent, late_reason.as_deref()).await,
        Err(AppError::Validation(errs)) => {
            let warns = warnings_of(&s, &form).await?;
            let state = state.with_messages(cx.tr(), &errs, &warns);
            form_page(&s, &cx, &viewer, ctx, state, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e),
    }
}

/// Every problem a "save and submit" of a form as typed meets: values that did not parse,
/// the draft check, the submission check and a late request's missing reason, each field
/// told once (its first problem).
async fn submission_errors(
    s: &AppState,
    form: &ReceptionForm,
    parse_errs: FieldErrors,
    late_reason: Option<&str>,
) -> AppResult<FieldErrors> {
    let mut errs = parse_errs;
    let mut normalized = form.clone();
    normalized.normalize();
    let (problems, _) = receptions::submission_problems(&s.app, &normalized, late_reason, "").await?;
    let draft = draft_findings(s, form).await?.errors.0;
    for e in draft.into_iter().chain(problems.0) {
        if errs.get(&e.field).is_none() {
            errs.push(e);
        }
    }
    Ok(errs)
}

/// `POST /receptions/{id}/copy`: a new draft from this request, its dates left to be
/// written; opens it for editing.
pub async fn copy(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<ReceptionId>,
    CsrfForm(_): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let r = receptions::copy(&s.app, &viewer, id, None, &cx.actor()).await?;
    Ok(redirect_with_flash(&format!("/receptions/{}/edit", r.id), "flash.copied", s.secure_cookies()))
}

/// What the draft check finds in a form as typed (normalised as it would be stored).
async fn draft_findings(s: &AppState, form: &ReceptionForm) -> AppResult<Findings> {
    let cur = s.app.current_procedure().await?;
    let mut f = form.clone();
    f.normalize();
    Ok(f.check(Check::Draft, s.app.today(), &cur.procedure))
}

/// Values that did not parse, and what the draft check finds in the rest, together.
async fn with_domain_errors(s: &AppState, form: &ReceptionForm, mut errs: FieldErrors) -> AppResult<AppError> {
    for e in draft_findings(s, form).await?.errors.0 {
        if errs.get(&e.field).is_none() {
            errs.push(e);
        }
    }
    Ok(AppError::Validation(errs))
}

/// The warnings of a form as typed.
pub(super) async fn warnings_of(s: &AppState, form: &ReceptionForm) -> AppResult<FieldErrors> {
    Ok(draft_findings(s, form).await?.warnings)
}

/// After a save: submit when asked (errors come back on the edit form), else show it.
async fn after_save(
    s: &AppState,
    cx: &Cx,
    viewer: &Viewer,
    r: StoredReception,
    intent: &str,
    late_reason: Option<&str>,
) -> AppResult<Response> {
    let secure = s.secure_cookies();
    if intent != "submit" {
        return Ok(redirect_with_flash(&format!("/receptions/{}", r.id), "flash.draft_saved", secure));
    }
    let step = receptions::Step { action: Action::Submit, version: Some(r.version), comment: "", late_reason };
    match receptions::act(&s.app, viewer, r.id, step, &cx.actor()).await {
        Ok(r) => Ok(redirect_with_flash(&format!("/receptions/{}", r.id), "flash.submitted", secure)),
        Err(jiedai_app::Error::Validation(errs)) => incomplete(s, cx, viewer, &r, &errs).await,
        Err(e) => Err(e.into()),
    }
}

/// The edit form of a stored request whose submission failed, with every problem marked.
pub(super) async fn incomplete(
    s: &AppState,
    cx: &Cx,
    viewer: &Viewer,
    r: &StoredReception,
    errs: &FieldErrors,
) -> AppResult<Response> {
    let warns = warnings_of(s, &r.form).await?;
    let state = FormState::of(&r.form).with_messages(cx.tr(), errs, &warns);
    let ctx = edit_context(s, cx, r).await?;
    form_page(s, cx, viewer, ctx, state, None, StatusCode::UNPROCESSABLE_ENTITY).await
}

async fn edit_context(s: &AppState, cx: &Cx, r: &StoredReception) -> AppResult<FormContext> {
    Ok(FormContext {
        title: cx.tr().t_with("reception.edit_title", &[("code", &r.code)]),
        action: format!("/receptions/{}/edit", r.id),
        version: Some(r.version),
        applicant: accounts::display_name(&s.app, r.requester_id).await?,
        department_id: Some(r.department_id),
        cancel_href: format!("/receptions/{}", r.id),
        late_reason: r.late_reason.clone(),
        return_note: (r.state == RState::Returned && !r.state_note.is_empty()).then(|| r.state_note.clone()),
        not_saved: false,
    })
}

/// `GET /receptions/{id}/edit`.
pub async fn edit_form(State(s): State<AppState>, cx: Cx, Id(id): Id<ReceptionId>) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let v = receptions::get(&s.app, &viewer, id).await?;
    if !v.editable() {
        return Ok(redirect_with_flash(&format!("/receptions/{id}"), "flash.error_not_editable", s.secure_cookies()));
    }
    let state = FormState::of(&v.r.form).with_messages(cx.tr(), &FieldErrors::new(), &v.warnings);
    let ctx = edit_context(&s, &cx, &v.r).await?;
    form_page(&s, &cx, &viewer, ctx, state, None, StatusCode::OK).await
}

/// `POST /receptions/{id}/edit`: saves the draft (and submits it when asked).
pub async fn save(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<ReceptionId>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let current = receptions::get(&s.app, &viewer, id).await?;
    let intent = one(&pairs, "intent").to_owned();
    let version: i32 = one(&pairs, "version").parse().unwrap_or(0);
    let (state, form, parse_errs) = FormState::parse(&pairs, intent.strip_prefix("more_"));
    let mut ctx = edit_context(&s, &cx, &current.r).await?;
    ctx.version = Some(version);
    ctx.late_reason = one(&pairs, "late_reason").to_owned();
    if intent.starts_with("more") {
        return form_page(&s, &cx, &viewer, ctx, state, None, StatusCode::OK).await;
    }
    let tr = cx.tr();
    let late_reason = Some(ctx.late_reason.clone());
    if intent == "submit" {
        let errs = submission_errors(&s, &form, parse_errs.clone(), late_reason.as_deref()).await?;
        if !errs.is_empty() {
            let warns = warnings_of(&s, &form).await?;
            let state = state.with_messages(tr, &errs, &warns);
            ctx.not_saved = true;
            return form_page(&s, &cx, &viewer, ctx, state, None, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    }
    let result = if parse_errs.is_empty() {
        receptions::update(&s.app, &viewer, id, version, form.clone(), late_reason.as_deref(), &cx.actor())
            .await
            .map_err(AppError::from)
    } else {
        Err(with_domain_errors(&s, &form, parse_errs).await?)
    };
    match result {
        Ok(r) => after_save(&s, &cx, &viewer, r, &intent, late_reason.as_deref()).await,
        Err(AppError::Validation(errs)) => {
            let warns = warnings_of(&s, &form).await?;
            let state = state.with_messages(tr, &errs, &warns);
            form_page(&s, &cx, &viewer, ctx, state, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(AppError::StaleVersion) => {
            // Keep what was typed; say what changed; the next save goes on top of the latest.
            ctx.version = Some(current.r.version);
            let msg = stale_message(&s, &cx, current.r.state, current.r.updated_at, "reception.stale_form");
            let (errs, warns) = (FieldErrors::new(), warnings_of(&s, &form).await?);
            let state = state.with_messages(tr, &errs, &warns);
            form_page(&s, &cx, &viewer, ctx, state, Some(msg), StatusCode::CONFLICT).await
        }
        Err(AppError::Forbidden) => {
            Ok(redirect_with_flash(&format!("/receptions/{id}"), "flash.error_not_editable", s.secure_cookies()))
        }
        Err(e) => Err(e),
    }
}

/// "Changed meanwhile: now … since …", for a form or an action that came too late.
pub(super) fn stale_message(
    s: &AppState,
    cx: &Cx,
    state: RState,
    at: chrono::DateTime<chrono::Utc>,
    key: &str,
) -> String {
    let tr = cx.tr();
    tr.t_with(key, &[("state", &state_label(tr, state)), ("at", &tr.datetime(at, s.tz()))])
}
