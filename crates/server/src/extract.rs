//! Extractors shared by pages and the API: their rejections are `AppError`s, so a
//! malformed body, query or id answers like every other error.

use axum::Json;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::error::AppError;

/// A JSON body; a malformed one is a 400 problem naming what is wrong.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(ApiJson(v)),
            Err(rej) => Err(AppError::BadRequest { code: "malformed_json", detail: Some(rej.body_text()) }),
        }
    }
}

/// Query parameters; malformed ones are a 400 naming the problem (pages and API alike).
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(Query(v)),
            Err(rej) => Err(AppError::BadRequest { code: "malformed_query", detail: Some(rej.body_text()) }),
        }
    }
}

/// A typed id in the path (`ReceptionId`, `UserId`…); anything that does not parse is a 404.
pub struct Id<T>(pub T);

impl<S: Send + Sync, T: std::str::FromStr + Send> FromRequestParts<S> for Id<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Path(raw) =
            axum::extract::Path::<String>::from_request_parts(parts, state).await.map_err(|_| AppError::NotFound)?;
        raw.parse().map(Id).map_err(|_| AppError::NotFound)
    }
}

/// A typed id and an action name in the path (`/receptions/{id}/{action}`).
pub struct IdAnd<T>(pub T, pub String);

impl<S: Send + Sync, T: std::str::FromStr + Send> FromRequestParts<S> for IdAnd<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Path((raw, second)) =
            axum::extract::Path::<(String, String)>::from_request_parts(parts, state)
                .await
                .map_err(|_| AppError::NotFound)?;
        Ok(IdAnd(raw.parse().map_err(|_| AppError::NotFound)?, second))
    }
}
