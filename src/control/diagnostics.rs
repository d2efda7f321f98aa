//! Why the sandbox answered as it did: one journal entry by request id, the catalogue of
//! rules a diagnosis names, and the integration report.

use super::ApiError;
use crate::diagnosis::{KERNEL_RULES, Rule};
use crate::journal::Entry;
use crate::report::{self, LINT_HEADER, Report};
use crate::state::AppState;
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

/// The journal entry of one request, by the id its answer carried in `X-Sandbox-Request-Id`.
#[utoipa::path(
    get,
    path = "/__sandbox/requests/{id}",
    operation_id = "requests_one",
    tag = "requests",
    params(("id" = u64, Path, description = "The request id.")),
    responses(
        (status = 200, body = Entry),
        (status = 404, body = super::ErrorBody, description = "no such request, or the journal no longer keeps it")
    )
)]
pub async fn request(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Entry>, ApiError> {
    let number: u64 = id
        .parse()
        .map_err(|_| ApiError::not_found(format!("no request {id:?}: ids are numbers")))?;
    state.journal.get(number).map(Json).ok_or_else(|| {
        ApiError::not_found(format!(
            "no request {number} in the journal (never made, cleared, or evicted)"
        ))
    })
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RuleEntry {
    /// The provider the rule belongs to; `sandbox` for the front's own.
    provider: &'static str,
    #[serde(flatten)]
    rule: Rule,
}

/// Every rule a diagnosis can name, with its provider code and document section.
#[utoipa::path(get, path = "/__sandbox/rules", operation_id = "rules", tag = "diagnosis", responses((status = 200, body = Vec<RuleEntry>)))]
pub async fn rules(State(state): State<AppState>) -> Json<Vec<RuleEntry>> {
    let kernel = KERNEL_RULES.iter().map(|rule| RuleEntry {
        provider: "sandbox",
        rule: *rule,
    });
    let providers = state.providers.iter().flat_map(|p| {
        p.rules().iter().map(move |rule| RuleEntry {
            provider: p.name(),
            rule: *rule,
        })
    });
    Json(kernel.chain(providers).collect())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// `json` (default), `junit` or `markdown`.
    format: Option<String>,
    /// Only this provider.
    provider: Option<String>,
    /// Only traffic at or after this instant (RFC 3339, sandbox clock).
    #[param(value_type = Option<String>)]
    since: Option<DateTime<FixedOffset>>,
}

/// For each provider and endpoint, every documented outcome marked exercised or not since the
/// last reset, and lint findings over the recorded traffic. The answer counts the findings in
/// `X-Sandbox-Lint-Findings`.
#[utoipa::path(
    get,
    path = "/__sandbox/report",
    operation_id = "report",
    tag = "diagnosis",
    params(ReportQuery),
    responses(
        (status = 200, description = "the report, in the format asked for", content(
            (Report = "application/json"),
            (String = "application/xml"),
            (String = "text/markdown")
        )),
        (status = 400, body = super::ErrorBody)
    )
)]
pub async fn integration_report(
    State(state): State<AppState>,
    query: Result<Query<ReportQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|e| ApiError::bad_request(e.body_text()))?;
    if let Some(provider) = query.provider.as_deref()
        && state.providers.by_name(provider).is_none()
    {
        return Err(ApiError::bad_request(format!(
            "no provider {provider:?}; the providers are {}",
            state.providers.names().join(", ")
        )));
    }
    let report = report::build(
        &state.providers,
        &state.outcomes,
        &state.journal,
        query.provider.as_deref(),
        query.since,
    );
    let findings = report.lint.len().to_string();
    let mut response = match query.format.as_deref().unwrap_or("json") {
        "json" => Json(&report).into_response(),
        "junit" => (
            [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
            report.junit(),
        )
            .into_response(),
        "markdown" => (
            [(header::CONTENT_TYPE, "text/markdown; charset=utf-8")],
            report.markdown(),
        )
            .into_response(),
        other => {
            return Err(ApiError::bad_request(format!(
                "format {other:?} is none of json, junit, markdown"
            )));
        }
    };
    if let Ok(value) = header::HeaderValue::from_str(&findings) {
        response.headers_mut().insert(LINT_HEADER, value);
    }
    Ok(response)
}
