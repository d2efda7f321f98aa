//! The documented endpoints of Chillr mass collect: the one list its router and its endpoint
//! names are derived from.

use super::handlers;
use crate::diagnosis::DocumentedOutcome;
use crate::state::AppState;
use axum::routing::{MethodRouter, post};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    /// "Create batch": `POST /api/v5/collect`.
    Collect,
    /// "Status check API": `POST /api/v5/check_collect_status`.
    CheckCollectStatus,
}

const fn outcome(code: &'static str, meaning: &'static str) -> DocumentedOutcome {
    DocumentedOutcome { code, meaning }
}

/// The document's "Failure codes", by `status_code`; the success is `status_code` 0.
const COLLECT: &[DocumentedOutcome] = &[
    outcome("0", "Collect batch creation accepted"),
    outcome("50", "api_key param is missing"),
    outcome("51", "api_secret_key param is missing"),
    outcome("52", "name param is missing"),
    outcome("53", "expiry_date param is missing"),
    outcome("54", "customer param is missing"),
    outcome("55", "expiry_date format errro (dd-mm-yyyy)"),
    outcome("56", "api_secret_key mismatch error"),
    outcome("57", "Merchant not found error"),
    outcome(
        "58",
        "error due invalid parameters (Failed to create batch, data.reason)",
    ),
    outcome("59", "Internal server error"),
];

const CHECK_COLLECT_STATUS: &[DocumentedOutcome] = &[
    outcome("0", "Success: the batch's status"),
    outcome("50", "api_key param is missing"),
    outcome("51", "api_secret_key param is missing"),
    outcome("56", "api_secret_key mismatch error"),
    outcome("57", "Merchant not found error"),
    outcome("59", "Internal server error"),
    outcome("60", "batch_id param is missing"),
    outcome("61", "Batch not found (the sample says 62)"),
];

impl crate::providers::endpoint::Endpoint for Endpoint {
    const ALL: &'static [Self] = &[Endpoint::Collect, Endpoint::CheckCollectStatus];

    fn name(self) -> &'static str {
        match self {
            Endpoint::Collect => "collect",
            Endpoint::CheckCollectStatus => "check_collect_status",
        }
    }

    fn outcomes(self) -> &'static [DocumentedOutcome] {
        match self {
            Endpoint::Collect => COLLECT,
            Endpoint::CheckCollectStatus => CHECK_COLLECT_STATUS,
        }
    }

    fn routes(self) -> Vec<(&'static str, MethodRouter<AppState>)> {
        match self {
            Endpoint::Collect => vec![("/api/v5/collect", post(handlers::collect))],
            Endpoint::CheckCollectStatus => vec![(
                "/api/v5/check_collect_status",
                post(handlers::check_collect_status),
            )],
        }
    }
}
