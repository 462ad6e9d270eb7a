//! Receipts of expenses: uploaded from the settlement page or the API (multipart, field
//! `file`), read and refused as a request's attachments are (the same reader: a body over the
//! limit is refused with 413 while it streams in), served back as downloads.

use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiedai_app::{receptions, settlement};
use jiedai_domain::{ExpenseId, FieldError, ReceiptId, ReceptionId};

use super::api::ReceiptInfo;
use crate::auth::Cx;
use crate::auth::csrf::check_token;
use crate::error::{AppError, AppResult};
use crate::extract::{Id, IdAnd};
use crate::receptions::attachments::{AttachmentUpload, file_response, read_upload, refusal};
use crate::render::{Problem, json, redirect_with_flash};
use crate::state::AppState;

/// Adds a receipt to an expense line: a PDF or an image (PNG, JPEG, GIF, WebP) told by its
/// own bytes, at most 10 MiB, 10 on a line; while the line may change.
#[utoipa::path(post, path = "/api/v1/expenses/{id}/receipts", tag = "settlement",
    params(("id" = i32, Path, description = "Expense id", example = 1)),
    request_body(content = AttachmentUpload, content_type = "multipart/form-data"),
    responses((status = 201, body = ReceiptInfo),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "The settlement is locked (`settlement_locked`)", body = Problem),
        (status = 413, description = "Over 10 MiB", body = Problem),
        (status = 422, description = "No file, a file that is not a PDF or an image (`unsupported_file_type`), or 10 receipts already", body = Problem)))]
pub async fn upload_receipt(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<ExpenseId>,
    form: Multipart,
) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let up = read_upload(form).await?;
    let bytes = up.bytes.ok_or_else(|| AppError::field(FieldError::new("file", "required")))?;
    let meta = settlement::add_receipt(&s.app, &viewer, id, &up.name, bytes, &cx.actor()).await?;
    Ok(json(StatusCode::CREATED, ReceiptInfo::from(&meta)))
}

/// A receipt's bytes, as a download, with the type its own bytes told.
#[utoipa::path(get, path = "/api/v1/receipts/{id}", tag = "settlement",
    params(("id" = i32, Path, description = "Receipt id", example = 1)),
    responses((status = 200, description = "The file, as a download (`Content-Disposition: attachment`)",
            content((String = "application/pdf"), (String = "image/png"), (String = "image/jpeg"), (String = "image/gif"), (String = "image/webp"))),
        (status = 404, body = Problem)))]
pub async fn download_receipt(State(s): State<AppState>, cx: Cx, Id(id): Id<ReceiptId>) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let (meta, data) = settlement::read_receipt(&s.app, &viewer, id).await?;
    file_response(&meta.content_type, &meta.name, data, "attachment")
}

/// Removes a receipt while its line may change.
#[utoipa::path(delete, path = "/api/v1/receipts/{id}", tag = "settlement",
    params(("id" = i32, Path, description = "Receipt id", example = 1)),
    responses((status = 204, description = "Removed"),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "The settlement is locked (`settlement_locked`)", body = Problem)))]
pub async fn delete_receipt(State(s): State<AppState>, cx: Cx, Id(id): Id<ReceiptId>) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    settlement::delete_receipt(&s.app, &viewer, id, &cx.actor()).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `POST /receptions/{id}/settlement/expenses/{expense}/receipts`: the upload form of the
/// settlement page.
pub async fn upload_page(
    State(s): State<AppState>,
    cx: Cx,
    IdAnd(id, expense): IdAnd<ReceptionId>,
    form: Multipart,
) -> AppResult<Response> {
    let secure = s.secure_cookies();
    let back = format!("/receptions/{id}/settlement#expense-{expense}");
    let expense: ExpenseId = expense.parse().map_err(|_| AppError::NotFound)?;
    let up = match read_upload(form).await {
        Ok(up) => up,
        Err(e) => return refusal(&e).map(|k| redirect_with_flash(&back, k, secure)).ok_or(e),
    };
    check_token(&cx, &up.csrf)?;
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let result = match up.bytes.filter(|b| !b.is_empty()) {
        Some(bytes) => settlement::add_receipt(&s.app, &viewer, expense, &up.name, bytes, &cx.actor())
            .await
            .map_err(AppError::from),
        None => Err(AppError::field(FieldError::new("file", "required"))),
    };
    match result {
        Ok(m) if m.reception_id == id => Ok(redirect_with_flash(&back, "flash.receipt_added", secure)),
        Ok(_) => Err(AppError::NotFound),
        Err(e) => refusal(&e).map(|k| redirect_with_flash(&back, k, secure)).ok_or(e),
    }
}

/// `POST /receptions/{id}/settlement/receipts/{receipt}/delete`.
pub async fn delete_page(
    State(s): State<AppState>,
    cx: Cx,
    IdAnd(id, receipt): IdAnd<ReceptionId>,
    crate::auth::csrf::CsrfForm(_): crate::auth::csrf::CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let receipt: ReceiptId = receipt.parse().map_err(|_| AppError::NotFound)?;
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let meta = settlement::delete_receipt(&s.app, &viewer, receipt, &cx.actor()).await?;
    if meta.reception_id != id {
        return Err(AppError::NotFound);
    }
    let back = format!("/receptions/{id}/settlement#expense-{}", meta.expense_id);
    Ok(redirect_with_flash(&back, "flash.receipt_removed", s.secure_cookies()))
}
