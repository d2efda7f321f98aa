//! Tenants: isolated sandboxes behind one listener, named by a path prefix `/t/<tenant>/`.
//!
//! Each tenant is an [`AppState`] of its own (database, clock, faults, journal, report
//! counters, start state) with its own router; the default tenant (no prefix) is the
//! application's own state and is not in the registry. The front resolves the tenant once per
//! request ([`name::target`], [`Registry::get_or_create`]) and runs the rest of its pipeline
//! against that tenant's state. In-memory tenants left idle are dropped by [`reaper`]; on a
//! database file, each tenant has a file of its own in a `tenants/` folder beside it.

pub mod front;
pub mod listing;
pub mod name;
pub mod reaper;
mod registry;
mod storage;

pub use registry::{CreateError, Registry, Template};

use crate::state::AppState;
use axum::Router;
use chrono::{DateTime, Utc};
use std::path::PathBuf;
use std::sync::atomic::{AtomicI64, Ordering};

/// One named tenant: its state and router, and what the listing shows of it.
pub struct Tenant {
    pub name: String,
    pub state: AppState,
    pub router: Router,
    pub created: DateTime<Utc>,
    /// Wall-clock milliseconds since the epoch of the last request (not the sandbox clock,
    /// which the tenant may have moved).
    last_used_ms: AtomicI64,
    /// The database file, when the tenant lives on one (never dropped when idle).
    pub file: Option<PathBuf>,
}

impl Tenant {
    fn new(name: &str, state: AppState, router: Router, file: Option<PathBuf>) -> Self {
        let created = Utc::now();
        Tenant {
            name: name.to_string(),
            state,
            router,
            created,
            last_used_ms: AtomicI64::new(created.timestamp_millis()),
            file,
        }
    }

    pub fn touch(&self) {
        self.last_used_ms
            .store(Utc::now().timestamp_millis(), Ordering::Relaxed);
    }

    pub fn last_used(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(self.last_used_ms.load(Ordering::Relaxed))
            .unwrap_or(self.created)
    }
}
