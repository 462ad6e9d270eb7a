//! Extractors shared by pages and the API: their rejections are `AppError`s, so a
//! malformed body, query or id answers like every other error.

use axum::Json;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use std::any::TypeId;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, LazyLock, RwLock};
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ArrayItems, Schema, SchemaType, Type};

use crate::error::AppError;
use axum::extract::rejection::JsonRejection;
use jiedai_domain::FieldError;

/// A JSON body, read as its OpenAPI schema says; a malformed one is a 400 problem naming what
/// is wrong. A number written with a fraction of zero (`3.0`, `1e3`) is the integer it equals,
/// as JSON Schema reads it, so an integer field takes it. What the schema declares an object
/// must be one (serde would also take a struct written as an array of its fields). A declared
/// text holding a NUL character is refused (422 `control_chars`): no text of the service holds
/// one, and PostgreSQL cannot store one.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + utoipa::ToSchema + 'static> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let malformed = |detail: String| AppError::BadRequest { code: "malformed_json", detail: Some(detail) };
        let Json(mut value) = Json::<serde_json::Value>::from_request(req, state).await.map_err(|rej| match rej {
            JsonRejection::MissingJsonContentType(_) => AppError::UnsupportedMediaType,
            JsonRejection::BytesRejection(_) if rej.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
                AppError::PayloadTooLarge
            }
            rej => malformed(rej.body_text()),
        })?;
        integral_numbers(&mut value);
        let shape = shape_of::<T>();
        match as_declared(&value, &shape.root, &shape.components, "", 0) {
            Ok(()) => {}
            Err(Unlike::NotAnObject(at)) => {
                return Err(malformed(format!("Failed to deserialize the JSON body: {at} must be an object")));
            }
            Err(Unlike::Nul(at)) => return Err(AppError::field(FieldError::new(&at, "control_chars"))),
        }
        serde_json::from_value(value)
            .map(ApiJson)
            .map_err(|e| malformed(format!("Failed to deserialize the JSON body into the target type: {e}")))
    }
}

/// A JSON body that may be left out: no body at all (no content, or no content type and
/// no length) is `None`; any other is read as [`ApiJson`] reads it.
impl<S: Send + Sync, T: DeserializeOwned + utoipa::ToSchema + 'static> axum::extract::OptionalFromRequest<S>
    for ApiJson<T>
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Option<Self>, Self::Rejection> {
        let headers = req.headers();
        let length = headers.get(axum::http::header::CONTENT_LENGTH).and_then(|v| v.to_str().ok());
        let typed = headers.contains_key(axum::http::header::CONTENT_TYPE);
        let chunked = headers.contains_key(axum::http::header::TRANSFER_ENCODING);
        if length == Some("0") || (!typed && length.is_none() && !chunked) {
            return Ok(None);
        }
        <ApiJson<T> as FromRequest<S>>::from_request(req, state).await.map(Some)
    }
}

/// A body type's schema and the component schemas it names, made once per type.
struct Shape {
    root: RefOr<Schema>,
    components: BTreeMap<String, RefOr<Schema>>,
}

fn shape_of<T: utoipa::ToSchema + 'static>() -> Arc<Shape> {
    static SHAPES: LazyLock<RwLock<HashMap<TypeId, Arc<Shape>>>> = LazyLock::new(Default::default);
    if let Some(shape) = SHAPES.read().unwrap_or_else(|e| e.into_inner()).get(&TypeId::of::<T>()) {
        return shape.clone();
    }
    let mut named = Vec::new();
    T::schemas(&mut named);
    let shape = Arc::new(Shape { root: T::schema(), components: named.into_iter().collect() });
    SHAPES.write().unwrap_or_else(|e| e.into_inner()).insert(TypeId::of::<T>(), shape.clone());
    shape
}

/// How a body differs from its schema where serde would not see it; each names the place.
#[derive(Debug, PartialEq, Eq)]
enum Unlike {
    /// An array where the schema declares an object.
    NotAnObject(String),
    /// A declared text holding a NUL character.
    Nul(String),
}

/// Walks a body along its schema (declared properties only: unknown ones are ignored anyway).
fn as_declared(
    value: &serde_json::Value,
    schema: &RefOr<Schema>,
    components: &BTreeMap<String, RefOr<Schema>>,
    at: &str,
    depth: usize,
) -> Result<(), Unlike> {
    use serde_json::Value;
    if depth > 32 {
        return Ok(());
    }
    let schema = match schema {
        RefOr::Ref(r) => {
            let name = r.ref_location.rsplit('/').next().unwrap_or_default();
            return match components.get(name) {
                Some(s) => as_declared(value, s, components, at, depth + 1),
                None => Ok(()),
            };
        }
        RefOr::T(s) => s,
    };
    let any_of = |items: &[RefOr<Schema>]| {
        // An optional object is `oneOf [null, object]`: the value is null or as the other says.
        let mut first = Ok(());
        for s in items.iter().filter(|s| !is_null_schema(s)) {
            match as_declared(value, s, components, at, depth + 1) {
                Ok(()) => return Ok(()),
                Err(e) => first = first.and(Err(e)),
            }
        }
        first
    };
    match schema {
        Schema::Object(o) => {
            let types: &[Type] = match &o.schema_type {
                SchemaType::Type(t) => std::slice::from_ref(t),
                SchemaType::Array(ts) => ts,
                SchemaType::AnyValue => &[],
            };
            match value {
                // Only a declared text: anything else given as a string is serde's 400.
                Value::String(text) if text.contains('\0') && (types.is_empty() || types.contains(&Type::String)) => {
                    Err(Unlike::Nul(at.to_owned()))
                }
                Value::Object(fields) => {
                    for (name, v) in fields {
                        if let Some(property) = o.properties.get(name) {
                            let path = if at.is_empty() { name.clone() } else { format!("{at}.{name}") };
                            as_declared(v, property, components, &path, depth + 1)?;
                        }
                    }
                    Ok(())
                }
                Value::Array(_) if types.contains(&Type::Object) && !types.contains(&Type::Array) => {
                    Err(Unlike::NotAnObject(if at.is_empty() { "the body".to_owned() } else { format!("`{at}`") }))
                }
                _ => Ok(()),
            }
        }
        Schema::Array(a) => match (value, &a.items) {
            (Value::Array(items), ArrayItems::RefOrSchema(item)) => items
                .iter()
                .enumerate()
                .try_for_each(|(i, v)| as_declared(v, item, components, &format!("{at}[{i}]"), depth + 1)),
            _ => Ok(()),
        },
        Schema::AllOf(all) => all.items.iter().try_for_each(|s| as_declared(value, s, components, at, depth + 1)),
        Schema::OneOf(one) if !value.is_null() => any_of(&one.items),
        Schema::AnyOf(any) if !value.is_null() => any_of(&any.items),
        _ => Ok(()),
    }
}

/// `{"type": "null"}`, the other branch of an optional object.
fn is_null_schema(schema: &RefOr<Schema>) -> bool {
    matches!(schema, RefOr::T(Schema::Object(o)) if o.schema_type == SchemaType::Type(Type::Null))
}

/// Writes every number of a JSON value that has no fraction and fits an `i64` as an integer.
/// serde_json reads decimals on its fast path, which may land one unit in the last place off
/// (`2100365513284103.0` read as `…103.25`): a number that close to an integer is that integer.
fn integral_numbers(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Number(n) if n.is_f64() => {
            if let Some(f) = n.as_f64()
                && f.is_finite()
                && f >= i64::MIN as f64
                && f < i64::MAX as f64
            {
                let whole = f.round();
                let ulp = f64::from_bits(f.abs().to_bits() + 1) - f.abs();
                if (f - whole).abs() <= ulp {
                    *v = serde_json::Value::from(whole as i64);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(integral_numbers),
        serde_json::Value::Object(fields) => fields.values_mut().for_each(integral_numbers),
        _ => {}
    }
}

/// Query parameters; malformed ones are a 400 naming the problem (pages and API alike), and so
/// is a value holding a NUL character: no text of the service holds one, and PostgreSQL cannot
/// compare with one.
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let raw = parts.uri.query().unwrap_or_default();
        if raw.contains("%00")
            && let Ok(pairs) = serde_urlencoded::from_str::<Vec<(String, String)>>(raw)
            && let Some((name, _)) = pairs.iter().find(|(_, v)| v.contains('\0'))
        {
            let detail = format!("`{name}` holds a NUL character");
            return Err(AppError::BadRequest { code: "malformed_query", detail: Some(detail) });
        }
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

/// Two typed ids in the path (`/receptions/{id}/items/{line}`); either not parsing is a 404.
pub struct Ids<A, B>(pub A, pub B);

impl<S: Send + Sync, A: std::str::FromStr + Send, B: std::str::FromStr + Send> FromRequestParts<S> for Ids<A, B> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Path((a, b)) = axum::extract::Path::<(String, String)>::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::NotFound)?;
        Ok(Ids(a.parse().map_err(|_| AppError::NotFound)?, b.parse().map_err(|_| AppError::NotFound)?))
    }
}

/// Reads an optional query value, trimmed; an empty or blank one (`?limit=`) is the same as
/// none: what a form sends for a field left blank. The OpenAPI document says so of every
/// optional query parameter (see [`crate::openapi`]).
pub fn empty_as_none<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    match <Option<String> as serde::Deserialize>::deserialize(d)?.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => v.parse().map(Some).map_err(serde::de::Error::custom),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_without_a_fraction_are_integers() {
        // As sent: serde_json's fast path reads the last one as 2100365513284103.25.
        let text = r#"{"a": 3.0, "b": [1e3, 1.5, -2.0], "c": 2100365513284103.0, "d": 0.1}"#;
        let mut v: serde_json::Value = serde_json::from_str(text).unwrap();
        integral_numbers(&mut v);
        assert_eq!(v, serde_json::json!({"a": 3, "b": [1000, 1.5, -2], "c": 2100365513284103_i64, "d": 0.1}));
    }

    fn shaped<T: utoipa::ToSchema + 'static>(v: serde_json::Value) -> Result<(), Unlike> {
        let shape = shape_of::<T>();
        as_declared(&v, &shape.root, &shape.components, "", 0)
    }

    #[test]
    fn what_the_schema_declares_an_object_is_one() {
        use jiedai_domain::reception::ReceptionForm;
        assert!(shaped::<ReceptionForm>(serde_json::json!({"visit_start": "2026-01-01"})).is_ok());
        assert!(shaped::<ReceptionForm>(serde_json::json!({"companions": [{"name": "a"}], "hotel": {}})).is_ok());
        let not_an_object = |at: &str| Err(Unlike::NotAnObject(at.to_owned()));
        assert_eq!(shaped::<ReceptionForm>(serde_json::json!([])), not_an_object("the body"));
        assert_eq!(shaped::<ReceptionForm>(serde_json::json!({"hotel": []})), not_an_object("`hotel`"));
        assert_eq!(shaped::<ReceptionForm>(serde_json::json!({"companions": [[]]})), not_an_object("`companions[0]`"));
        let nul = serde_json::json!({"companions": [{"name": "a\u{0}"}], "x": "\u{0}"});
        assert_eq!(shaped::<ReceptionForm>(nul), Err(Unlike::Nul("companions[0].name".to_owned())));
        assert!(shaped::<ReceptionForm>(serde_json::json!({"unknown": "\u{0}"})).is_ok());
    }

    #[test]
    fn a_nul_where_no_text_is_declared_is_left_to_serde() {
        use jiedai_domain::reception::ReceptionForm;
        // `companion_count` is a number: a string there is the wrong type (400), not a text with a NUL.
        assert!(shaped::<ReceptionForm>(serde_json::json!({"companion_count": "1\u{0}"})).is_ok());
        let nul = serde_json::json!({"guest_organization": "x\u{0}"});
        assert_eq!(shaped::<ReceptionForm>(nul), Err(Unlike::Nul("guest_organization".to_owned())));
    }
}
