//! The dashboard's forms: clock, fault rules, reset, fixtures. Each checks the CSRF token,
//! runs the matching control-plane call and answers 303 to the overview, or shows the
//! refusal on the overview page.

use super::control_call::call;
use super::form::{CheckedForm, field, segment};
use super::layout::base;
use super::session::{Session, check_csrf};
use super::{layout, overview};
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{Method, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Json};
use serde_json::{Map, Value, json};

/// 303 to the overview on success, the overview with the refusal otherwise.
fn done(state: &AppState, session: &Session, result: Result<Value, String>) -> Response {
    match result {
        Ok(_) => Redirect::to(&base()).into_response(),
        Err(message) => overview::refused(state, session, &message),
    }
}

async fn json_call(
    state: &AppState,
    method: Method,
    path: &str,
    body: Value,
) -> Result<Value, String> {
    call(state, method, path, "application/json", body.to_string()).await
}

pub async fn clock(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    CheckedForm(fields): CheckedForm,
) -> Response {
    let change = match field(&fields, "do") {
        Some("set") => json!({ "set": field(&fields, "set").unwrap_or_default() }),
        Some("advance") => json!({ "advance": field(&fields, "advance").unwrap_or_default() }),
        Some("real") => json!({ "real": true }),
        _ => return overview::refused(&state, &session, "choose set, advance or real"),
    };
    let result = json_call(&state, Method::POST, "/clock", change).await;
    done(&state, &session, result)
}

pub async fn add_fault(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    CheckedForm(fields): CheckedForm,
) -> Response {
    let mut spec = match field(&fields, "fields").map(serde_json::from_str::<Map<String, Value>>) {
        None => Map::new(),
        Some(Ok(more)) => more,
        Some(Err(e)) => {
            let message =
                format!("more fields: not a JSON object such as {{\"status\": 503}} ({e})");
            return overview::refused(&state, &session, &message);
        }
    };
    for name in ["provider", "endpoint", "kind"] {
        if let Some(value) = field(&fields, name) {
            spec.insert(name.into(), Value::String(value.into()));
        }
    }
    let result = json_call(&state, Method::POST, "/faults", Value::Object(spec)).await;
    done(&state, &session, result)
}

pub async fn remove_fault(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
    _: CheckedForm,
) -> Response {
    let path = format!("/faults/{}", segment(&id));
    let result = call(
        &state,
        Method::DELETE,
        &path,
        "application/json",
        Body::empty(),
    )
    .await;
    done(&state, &session, result)
}

pub async fn clear_faults(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    _: CheckedForm,
) -> Response {
    let result = call(
        &state,
        Method::DELETE,
        "/faults",
        "application/json",
        Body::empty(),
    )
    .await;
    done(&state, &session, result)
}

pub async fn reset(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    CheckedForm(fields): CheckedForm,
) -> Response {
    let empty = field(&fields, "empty") == Some("true");
    let path = format!("/reset?empty={empty}");
    let result = call(
        &state,
        Method::POST,
        &path,
        "application/json",
        Body::empty(),
    )
    .await;
    done(&state, &session, result)
}

/// A fixture file from a `multipart/form-data` upload: its CSRF token, name and text.
async fn upload(
    headers: &axum::http::HeaderMap,
    body: Body,
) -> Result<(Option<String>, String, Vec<u8>), String> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let boundary = multer::parse_boundary(content_type)
        .map_err(|_| "send the file as multipart/form-data".to_string())?;
    let mut multipart = multer::Multipart::new(body.into_data_stream(), boundary);
    let (mut csrf, mut file) = (None, None);
    while let Some(part) = multipart
        .next_field()
        .await
        .map_err(|e| format!("the upload is unreadable: {e}"))?
    {
        match part.name() {
            Some("csrf") => csrf = Some(part.text().await.map_err(|e| e.to_string())?),
            Some("file") => {
                let name = part
                    .file_name()
                    .filter(|n| !n.is_empty())
                    .unwrap_or("upload.json")
                    .to_string();
                file = Some((
                    name,
                    part.bytes().await.map_err(|e| e.to_string())?.to_vec(),
                ));
            }
            _ => {}
        }
    }
    let (name, bytes) = file.ok_or("choose a fixture file to upload")?;
    Ok((csrf, name, bytes))
}

pub async fn fixtures(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    headers: axum::http::HeaderMap,
    body: Body,
) -> Response {
    let (csrf, name, bytes) = match upload(&headers, body).await {
        Ok(upload) => upload,
        // Without a readable form there is no CSRF token either: refuse as a cross-site post.
        Err(message) => {
            return match check_csrf(&session, None) {
                Err(refused) => refused.into_response(),
                Ok(()) => overview::refused(&state, &session, &message),
            };
        }
    };
    if let Err(refused) = check_csrf(&session, csrf.as_deref()) {
        return refused.into_response();
    }
    let yaml = name.ends_with(".yaml") || name.ends_with(".yml");
    let content_type = if yaml {
        "application/yaml"
    } else {
        "application/json"
    };
    let query: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("name", &name)
        .finish();
    let result = call(
        &state,
        Method::POST,
        &format!("/fixtures?{query}"),
        content_type,
        bytes,
    )
    .await;
    done(&state, &session, result)
}

/// The state as a fixture document, as a download.
pub async fn download_state(State(state): State<AppState>) -> Response {
    match call(
        &state,
        Method::GET,
        "/state",
        "application/json",
        Body::empty(),
    )
    .await
    {
        Ok(document) => (
            [(
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"sandbox-state.json\"",
            )],
            Json(document),
        )
            .into_response(),
        Err(message) => layout::error_page(
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            "State",
            &message,
        ),
    }
}
