//! Files on a request: uploaded from the reception's page or the API (multipart, field
//! `file`), kept in the database, served back with the type their own bytes told.

use axum::extract::{Multipart, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiedai_app::receptions::{self, attachments};
use jiedai_domain::reception::attachment::MAX_ATTACHMENT_BYTES;
use jiedai_domain::{FieldError, ReceptionId};
use utoipa::ToSchema;

use super::api::AttachmentInfo;
use crate::auth::Cx;
use crate::auth::csrf::check_token;
use crate::error::{AppError, AppResult};
use crate::extract::{Id, IdAnd};
use crate::render::{Problem, json, redirect_with_flash, urlencode};
use crate::state::AppState;

/// The body limit of an upload: the largest file and room for the form around it.
pub const UPLOAD_BODY_BYTES: usize = MAX_ATTACHMENT_BYTES + 64 * 1024;

/// An upload: the file in the multipart field `file`.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct AttachmentUpload {
    /// The file: a PDF or an image (PNG, JPEG, GIF, WebP), at most 10 MiB.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// What a multipart body held: the file (its name and bytes) and the CSRF token.
pub(crate) struct Upload {
    pub(crate) name: String,
    pub(crate) bytes: Option<Vec<u8>>,
    pub(crate) csrf: String,
}

/// Reads a multipart upload (field `file`, and `csrf` from a page's form); a body over the
/// route's limit is refused as it streams in (413), never read whole.
pub(crate) async fn read_upload(mut form: Multipart) -> AppResult<Upload> {
    let bad = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::PayloadTooLarge
        } else {
            AppError::BadRequest { code: "malformed_form", detail: None }
        }
    };
    let mut up = Upload { name: String::new(), bytes: None, csrf: String::new() };
    while let Some(field) = form.next_field().await.map_err(bad)? {
        match field.name().unwrap_or("") {
            "csrf" => up.csrf = field.text().await.map_err(bad)?,
            "file" if up.bytes.is_none() => {
                up.name = field.file_name().unwrap_or("").to_owned();
                up.bytes = Some(field.bytes().await.map_err(bad)?.to_vec());
            }
            _ => {}
        }
    }
    Ok(up)
}

/// Attaches a file (an itinerary, a guest list) to a request: a PDF or an image (PNG,
/// JPEG, GIF, WebP) told by its own bytes, at most 10 MiB, 20 files on one request.
#[utoipa::path(post, path = "/api/v1/receptions/{id}/attachments", tag = "receptions",
    params(("id" = i32, Path, description = "Reception id", example = 1)),
    request_body(content = AttachmentUpload, content_type = "multipart/form-data"),
    responses((status = 201, body = AttachmentInfo),
        (status = 403, description = "The caller may not add files to this reception (or it is closed)", body = Problem),
        (status = 404, body = Problem),
        (status = 413, description = "Over 10 MiB", body = Problem),
        (status = 422, description = "No file, a file that is not a PDF or an image (`unsupported_file_type`), or the request has 20 files already", body = Problem)))]
pub async fn upload(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<ReceptionId>,
    form: Multipart,
) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let up = read_upload(form).await?;
    let bytes = up.bytes.ok_or_else(|| AppError::field(FieldError::new("file", "required")))?;
    let meta = attachments::attach(&s.app, &viewer, id, &up.name, bytes, &cx.actor()).await?;
    Ok(json(StatusCode::CREATED, AttachmentInfo::from(&meta)))
}

/// An attachment's bytes, with the type its own bytes told.
#[utoipa::path(get, path = "/api/v1/attachments/{id}", tag = "receptions",
    params(("id" = i32, Path, description = "Attachment id", example = 1)),
    responses((status = 200, description = "The file, with the type its bytes told",
            content((String = "application/pdf"), (String = "image/png"), (String = "image/jpeg"), (String = "image/gif"), (String = "image/webp"))),
        (status = 404, body = Problem)))]
pub async fn download(State(s): State<AppState>, cx: Cx, Id(id): Id<i32>) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let (meta, data) = attachments::read(&s.app, &viewer, id).await?;
    file_response(&meta.content_type, &meta.name, data, "inline")
}

/// A stored file as an answer: the type its own bytes told, its name (`disposition`
/// `inline` or `attachment`), and a policy that lets nothing in it run.
pub(crate) fn file_response(content_type: &str, name: &str, data: Vec<u8>, disposition: &str) -> AppResult<Response> {
    let mut res = data.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_str(content_type).map_err(|e| AppError::Internal(e.into()))?);
    let ascii: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || ".-_".contains(c) { c } else { '_' }).collect();
    let disposition = format!("{disposition}; filename=\"{ascii}\"; filename*=UTF-8''{}", urlencode(name));
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition).map_err(|e| AppError::Internal(e.into()))?,
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"),
    );
    Ok(res)
}

/// Removes an attachment: whoever added it, the request's requester or an administrator,
/// while the reception is open.
#[utoipa::path(delete, path = "/api/v1/attachments/{id}", tag = "receptions",
    params(("id" = i32, Path, description = "Attachment id", example = 1)),
    responses((status = 204, description = "Removed"),
        (status = 403, description = "Not the caller's to remove", body = Problem),
        (status = 404, body = Problem)))]
pub async fn delete(State(s): State<AppState>, cx: Cx, Id(id): Id<i32>) -> AppResult<StatusCode> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    attachments::remove(&s.app, &viewer, id, &cx.actor()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The flash that says why a file was refused.
pub(crate) fn refusal(e: &AppError) -> Option<&'static str> {
    match e {
        AppError::PayloadTooLarge => Some("flash.attachment_too_large"),
        AppError::Validation(errs) => Some(match errs.0.first().map(|e| e.code) {
            Some("unsupported_file_type") => "flash.attachment_unsupported",
            Some("file_too_large") => "flash.attachment_too_large",
            Some("too_many_attachments") => "flash.attachment_too_many",
            Some("too_many_receipts") => "flash.receipt_too_many",
            _ => "flash.attachment_missing",
        }),
        _ => None,
    }
}

/// `POST /receptions/{id}/attachments`: the upload form of the reception's page.
pub async fn upload_page(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<ReceptionId>,
    form: Multipart,
) -> AppResult<Response> {
    let secure = s.secure_cookies();
    let back = format!("/receptions/{id}#attachments");
    let up = match read_upload(form).await {
        Ok(up) => up,
        Err(e) => return refusal(&e).map(|k| redirect_with_flash(&back, k, secure)).ok_or(e),
    };
    check_token(&cx, &up.csrf)?;
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let result = match up.bytes.filter(|b| !b.is_empty()) {
        Some(bytes) => {
            attachments::attach(&s.app, &viewer, id, &up.name, bytes, &cx.actor()).await.map_err(AppError::from)
        }
        None => Err(AppError::field(FieldError::new("file", "required"))),
    };
    match result {
        Ok(_) => Ok(redirect_with_flash(&back, "flash.attachment_added", secure)),
        Err(e) => refusal(&e).map(|k| redirect_with_flash(&back, k, secure)).ok_or(e),
    }
}

/// `POST /receptions/{id}/attachments/{attachment}/delete`.
pub async fn delete_page(
    State(s): State<AppState>,
    cx: Cx,
    IdAnd(id, attachment): IdAnd<ReceptionId>,
    crate::auth::csrf::CsrfForm(_): crate::auth::csrf::CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let attachment: i32 = attachment.parse().map_err(|_| AppError::NotFound)?;
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let meta = attachments::remove(&s.app, &viewer, attachment, &cx.actor()).await?;
    if meta.reception_id != id {
        return Err(AppError::NotFound);
    }
    Ok(redirect_with_flash(&format!("/receptions/{id}#attachments"), "flash.attachment_removed", s.secure_cookies()))
}

#[cfg(test)]
mod tests {
    use jiedai_domain::FieldError;

    use super::*;

    #[test]
    fn each_refusal_of_a_file_is_told_as_itself() {
        let told = |code: &'static str| refusal(&AppError::Validation(FieldError::with_limit("file", code, 10).into()));
        assert_eq!(told("too_many_receipts"), Some("flash.receipt_too_many"));
        assert_eq!(told("too_many_attachments"), Some("flash.attachment_too_many"));
        assert_eq!(told("unsupported_file_type"), Some("flash.attachment_unsupported"));
        assert_eq!(told("required"), Some("flash.attachment_missing"));
        assert_eq!(refusal(&AppError::PayloadTooLarge), Some("flash.attachment_too_large"));
    }
}
