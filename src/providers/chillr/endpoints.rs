//! The documented endpoints of Chillr mass collect: the one list its router and its endpoint
//! names are derived from.

use super::handlers;
use crate::app::AppState;
use axum::routing::{MethodRouter, post};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    /// "Create batch": `POST /api/v5/collect`.
    Collect,
    /// "Status check API": `POST /api/v5/check_collect_status`.
    CheckCollectStatus,
}

impl crate::providers::endpoint::Endpoint for Endpoint {
    const ALL: &'static [Self] = &[Endpoint::Collect, Endpoint::CheckCollectStatus];

    fn name(self) -> &'static str {
        match self {
            Endpoint::Collect => "collect",
            Endpoint::CheckCollectStatus => "check_collect_status",
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
