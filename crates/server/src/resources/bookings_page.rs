//! Booking a room or car from a reception's items page, and cancelling a booking. A clash
//! with another reception comes back (409) with the form as typed and what it clashes with
//! (their codes and times), so that the coordinator may give a reason and book over it.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use jiedai_app::{receptions, resources};
use jiedai_domain::resources::{BookingInput, Purpose, ResourceKind};
use jiedai_domain::{BookingId, Code, FieldError, FieldErrors, ReceptionId, UserId};
use serde::Deserialize;

use super::items_page::{Sent, render};
use super::items_view::{BookingForm, Failure, failure, parse_local};
use crate::auth::Cx;
use crate::auth::csrf::CsrfForm;
use crate::error::{AppError, AppResult};
use crate::extract::{Id, IdAnd};
use crate::forms::FormErrors;
use crate::render::redirect_with_flash;
use crate::state::AppState;

/// The booking a form asks for, or the problems of what could not be read.
fn read_booking(s: &AppState, f: &BookingForm) -> Result<BookingInput, FieldErrors> {
    let mut errs = FieldErrors::new();
    let resource =
        f.resource.trim().split_once(':').and_then(|(k, n)| Some((ResourceKind::parse(k)?, n.parse::<i32>().ok()?)));
    if resource.is_none() {
        errs.push(if f.resource.trim().is_empty() {
            FieldError::new("resource_id", "required")
        } else {
            FieldError::new("resource_id", "unknown_reference")
        });
    }
    let starts_at = parse_local(s.tz(), &mut errs, "starts_at", &f.starts_at, true);
    let ends_at = parse_local(s.tz(), &mut errs, "ends_at", &f.ends_at, true);
    let driver_id = match f.driver_id.trim() {
        "" => None,
        v => v.parse::<UserId>().map_err(|_| errs.push(FieldError::new("driver_id", "person_not_active"))).ok(),
    };
    match (resource, starts_at, ends_at, errs.is_empty()) {
        (Some((resource_kind, resource_id)), Some(starts_at), Some(ends_at), true) => Ok(BookingInput {
            resource_kind,
            resource_id,
            starts_at,
            ends_at,
            driver_id,
            purpose: Purpose::parse(f.purpose.trim()).unwrap_or_default(),
            note: f.note.clone(),
            override_reason: f.override_reason.clone(),
        }),
        _ => Err(errs),
    }
}

/// `POST /receptions/{id}/bookings`.
pub async fn book(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<ReceptionId>,
    CsrfForm(f): CsrfForm<BookingForm>,
) -> AppResult<Response> {
    let tr = cx.tr();
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let input = match read_booking(&s, &f) {
        Ok(b) => b,
        Err(errs) => {
            let sent = Sent::Booking(f, FormErrors::of(tr, &errs), Vec::new());
            return render(&s, &cx, id, sent, None, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    match resources::book(&s.app, &viewer, id, &input, &cx.actor()).await {
        Ok(_) => {
            Ok(redirect_with_flash(&format!("/receptions/{id}/items#bookings"), "flash.booked", s.secure_cookies()))
        }
        Err(e) => match failure(tr, e)? {
            Failure::Form(errs, clashes, status) => {
                render(&s, &cx, id, Sent::Booking(f, errs, clashes), None, status).await
            }
            Failure::Stale => Err(AppError::StaleVersion),
        },
    }
}

/// A form that sends nothing but its token.
#[derive(Deserialize)]
pub struct NoFields {}

/// `POST /receptions/{id}/bookings/{booking}/delete`: a booking of this reception cancelled.
pub async fn cancel(
    State(s): State<AppState>,
    cx: Cx,
    IdAnd(id, booking): IdAnd<ReceptionId>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> AppResult<Response> {
    // Read after the form's token, so that a form without one is refused first.
    let booking: BookingId = booking.parse().map_err(|_| AppError::NotFound)?;
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    if !resources::bookings_of(&s.app, &viewer, id).await?.iter().any(|b| b.booking.id == booking) {
        return Err(AppError::NotFound);
    }
    resources::cancel_booking(&s.app, &viewer, booking, &cx.actor()).await?;
    Ok(redirect_with_flash(&format!("/receptions/{id}/items#bookings"), "flash.booking_cancelled", s.secure_cookies()))
}
