//! Changing a reception's item list from its page: a line added, changed, ticked (检查) or
//! removed; everything counted out at once; a line counted back (or written off). A form
//! with a problem comes back with what was typed and its messages next to its fields; a
//! line changed meanwhile is shown again as it is now.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use jiedai_app::{receptions, resources};
use jiedai_domain::resources::{ItemLineInput, ItemSource};
use jiedai_domain::{Code, FieldError, FieldErrors, ItemLineId, ReceptionId, StockItemId, UserId};
use serde::Deserialize;

use super::items_page::{Sent, render};
use super::items_view::{CountForm, Failure, LineForm, failure, number};
use crate::auth::Cx;
use crate::auth::csrf::CsrfForm;
use crate::error::{AppError, AppResult};
use crate::extract::{Id, IdAnd};
use crate::forms::FormErrors;
use crate::render::redirect_with_flash;
use crate::state::AppState;

/// A line as its form typed it, and the problems of what could not be read (with those its
/// values have besides, so that every problem shows at once).
fn read_line(f: &LineForm) -> (ItemLineInput, FieldErrors) {
    let mut errs = FieldErrors::new();
    let source = ItemSource::parse(f.source.trim()).unwrap_or_default();
    let id = |errs: &mut FieldErrors, field: &str, raw: &str| match raw.trim() {
        "" => None,
        v => v.parse::<i32>().map_err(|_| errs.push(FieldError::new(field, "unknown_reference"))).ok(),
    };
    let responsible_id = id(&mut errs, "responsible_id", &f.responsible_id).map(UserId);
    let stock_item_id = id(&mut errs, "stock_item_id", &f.stock_item_id).map(StockItemId);
    let return_due = match f.return_due.trim() {
        "" => None,
        d => NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map_err(|_| errs.push(FieldError::new("return_due", "invalid_date")))
            .ok(),
    };
    let quantity = number(&mut errs, "quantity", &f.quantity);
    let line = ItemLineInput {
        category: f.category.clone(),
        name: f.name.clone(),
        unit: f.unit.clone(),
        quantity,
        responsible_id,
        source,
        // A stock item belongs to a line from stock, a return day to a rental: the other
        // choices' leftovers are not held against the form.
        stock_item_id: stock_item_id.filter(|_| source == ItemSource::Stock),
        vendor: f.vendor.clone(),
        return_due: return_due.filter(|_| source == ItemSource::Rental),
        checked: f.is_checked(),
        notes: f.notes.clone(),
    };
    if !errs.is_empty()
        && let Err(more) = line.check()
    {
        let seen: Vec<String> = errs.0.iter().map(|e| e.field.clone()).collect();
        errs.0.extend(more.0.into_iter().filter(|e| !seen.contains(&e.field)));
    }
    (line, errs)
}

/// A line's id in the path (read after the form's token, so that a form without one is
/// refused before anything else); anything else is not found.
fn line_id(raw: &str) -> AppResult<ItemLineId> {
    raw.parse().map_err(|_| AppError::NotFound)
}

fn items_of(id: ReceptionId, anchor: &str) -> String {
    format!("/receptions/{id}/items#{anchor}")
}

/// The page again with a notice over it: what went wrong with a form that has no place for
/// it (a button), or a change made meanwhile.
async fn with_notice(s: &AppState, cx: &Cx, id: ReceptionId, f: Failure) -> AppResult<Response> {
    let tr = cx.tr();
    let (notice, status) = match f {
        Failure::Stale => (tr.t("items.stale").to_owned(), StatusCode::CONFLICT),
        Failure::Form(errs, _, status) => (errs.messages().into_iter().cloned().collect::<Vec<_>>().join(" "), status),
    };
    render(s, cx, id, Sent::Nothing, Some(notice), status).await
}

/// `POST /receptions/{id}/items/{line}`: saves a line read at its version; with
/// `only=check`, only its tick changes.
pub async fn save(
    State(s): State<AppState>,
    cx: Cx,
    IdAnd(id, line): IdAnd<ReceptionId>,
    CsrfForm(f): CsrfForm<LineForm>,
) -> AppResult<Response> {
    let line = line_id(&line)?;
    let tr = cx.tr();
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let tick = f.only == "check";
    let input = if tick {
        let list = resources::item_list(&s.app, &viewer, id).await?;
        let stored = list.lines.into_iter().find(|l| l.line.id == line).ok_or(AppError::NotFound)?.line;
        ItemLineInput { checked: f.is_checked(), ..stored.line }
    } else {
        let (input, errs) = read_line(&f);
        if !errs.is_empty() {
            let sent = Sent::Line(Some(line), f, FormErrors::of(tr, &errs), Vec::new());
            return render(&s, &cx, id, sent, None, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
        input
    };
    match resources::save_line(&s.app, &viewer, id, Some((line, f.version)), &input, &cx.actor()).await {
        Ok(_) => {
            Ok(redirect_with_flash(&items_of(id, &format!("line-{line}")), "flash.items_saved", s.secure_cookies()))
        }
        Err(e) => match failure(tr, e)? {
            Failure::Form(errs, clashes, status) if !tick => {
                render(&s, &cx, id, Sent::Line(Some(line), f, errs, clashes), None, status).await
            }
            other => with_notice(&s, &cx, id, other).await,
        },
    }
}

/// `POST /receptions/{id}/items`: a line added at the end of the list.
pub async fn add(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<ReceptionId>,
    CsrfForm(f): CsrfForm<LineForm>,
) -> AppResult<Response> {
    let tr = cx.tr();
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let (input, errs) = read_line(&f);
    if !errs.is_empty() {
        let sent = Sent::Line(None, f, FormErrors::of(tr, &errs), Vec::new());
        return render(&s, &cx, id, sent, None, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    match resources::save_line(&s.app, &viewer, id, None, &input, &cx.actor()).await {
        Ok(l) => {
            Ok(redirect_with_flash(&items_of(id, &format!("line-{}", l.id)), "flash.items_added", s.secure_cookies()))
        }
        Err(e) => match failure(tr, e)? {
            Failure::Form(errs, clashes, status) => {
                render(&s, &cx, id, Sent::Line(None, f, errs, clashes), None, status).await
            }
            other => with_notice(&s, &cx, id, other).await,
        },
    }
}

/// What a removal sends.
#[derive(Deserialize)]
pub struct VersionForm {
    #[serde(default)]
    version: i32,
}

/// `POST /receptions/{id}/items/{line}/delete`: a line not yet counted out removed.
pub async fn delete(
    State(s): State<AppState>,
    cx: Cx,
    IdAnd(id, line): IdAnd<ReceptionId>,
    CsrfForm(f): CsrfForm<VersionForm>,
) -> AppResult<Response> {
    let line = line_id(&line)?;
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let secure = s.secure_cookies();
    match resources::delete_line(&s.app, &viewer, id, line, f.version, &cx.actor()).await {
        Ok(()) => Ok(redirect_with_flash(&items_of(id, "item-list"), "flash.items_removed", secure)),
        Err(jiedai_app::Error::StaleVersion) => {
            Ok(redirect_with_flash(&items_of(id, &format!("line-{line}")), "flash.error_line_changed", secure))
        }
        Err(e) => {
            let f = failure(cx.tr(), e)?;
            with_notice(&s, &cx, id, f).await
        }
    }
}

/// `POST /receptions/{id}/items/count-out`: every line not yet counted out, at once.
pub async fn count_out(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<ReceptionId>,
    CsrfForm(_): CsrfForm<VersionForm>,
) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    match resources::count_out(&s.app, &viewer, id, None, &cx.actor()).await {
        Ok(_) => Ok(redirect_with_flash(&items_of(id, "item-list"), "flash.items_counted_out", s.secure_cookies())),
        Err(e) => {
            let f = failure(cx.tr(), e)?;
            with_notice(&s, &cx, id, f).await
        }
    }
}

/// `POST /receptions/{id}/items/{line}/count-back`: how a line came back (or written off).
pub async fn count_back(
    State(s): State<AppState>,
    cx: Cx,
    IdAnd(id, line): IdAnd<ReceptionId>,
    CsrfForm(f): CsrfForm<CountForm>,
) -> AppResult<Response> {
    let line = line_id(&line)?;
    let tr = cx.tr();
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let mut errs = FieldErrors::new();
    let count = f.read(&mut errs);
    if !errs.is_empty() {
        let sent = Sent::Count(line, f, FormErrors::of(tr, &errs));
        return render(&s, &cx, id, sent, None, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    match resources::count_back(&s.app, &viewer, id, line, &count, &cx.actor()).await {
        Ok(_) => {
            let to = items_of(id, &format!("line-{line}"));
            Ok(redirect_with_flash(&to, "flash.items_counted_back", s.secure_cookies()))
        }
        Err(e) => match failure(tr, e)? {
            Failure::Form(errs, _, status) => render(&s, &cx, id, Sent::Count(line, f, errs), None, status).await,
            other => with_notice(&s, &cx, id, other).await,
        },
    }
}
