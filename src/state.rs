//! The state every request of one tenant reaches (its database, clock, journal, report
//! counters, faults, configuration and the providers), and the extra routes tests mount.

use crate::clock::Clock;
use crate::config::ServeArgs;
use crate::db::{self, Db};
use crate::faults::Faults;
use crate::journal::Journal;
use crate::mask::Masker;
use crate::providers::Providers;
use crate::tenants::Registry;
use axum::Router;
use std::sync::Arc;

/// What every request of one tenant reaches. Cloned for the router, for each handler and for
/// each extractor that takes the state, so a clone is one reference count: with a count per
/// field it was eleven atomic increments and as many decrements per clone, on counters every
/// worker thread touches.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

/// The fields of [`AppState`], reached through it.
pub struct Shared {
    pub db: Db,
    pub clock: Arc<Clock>,
    pub journal: Arc<Journal>,
    /// The integration report's outcome counters, since the last reset.
    pub outcomes: Arc<crate::report::counters::Counters>,
    pub faults: Arc<Faults>,
    pub config: Arc<ServeArgs>,
    pub providers: Arc<Providers>,
    /// The port the server listens on (the configured one, or the one port 0 picked).
    pub port: u16,
    /// The database right after start, copied in memory: what `reset` returns to.
    pub start_state: Arc<db::Snapshot>,
    /// What every URL the sandbox hands out starts with: `""` for the default tenant,
    /// `/t/<name>` for a named one.
    pub prefix: Arc<str>,
    /// The named tenants, on the default tenant only (its control plane manages them).
    pub tenants: Option<Arc<Registry>>,
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl AppState {
    /// A tenant's state over its own database, with a fresh clock, journal, faults and report;
    /// `tenants` on the default tenant only.
    pub fn new(
        db: Db,
        start_state: Arc<db::Snapshot>,
        config: Arc<ServeArgs>,
        providers: Arc<Providers>,
        port: u16,
        prefix: Arc<str>,
        tenants: Option<Arc<Registry>>,
    ) -> Self {
        AppState(Arc::new(Shared {
            db,
            clock: Arc::new(Clock::real()),
            outcomes: Arc::default(),
            journal: Arc::new(Journal::new(
                config.journal_limit,
                Masker::new(
                    providers
                        .iter()
                        .flat_map(|p| p.secret_fields().iter().copied()),
                ),
            )),
            faults: Arc::new(Faults::default()),
            providers,
            port,
            start_state,
            config,
            prefix,
            tenants,
        }))
    }
}

/// Extra routes mounted into a provider's router (under its prefix and at the root), so the
/// kernel's middleware can be exercised before that provider has endpoints of its own.
pub type ExtraRoutes = Vec<(&'static str, Router<AppState>)>;
