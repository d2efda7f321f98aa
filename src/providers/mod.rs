//! The four emulated providers and what the kernel may ask of each.
//!
//! The kernel (journal, faults, fixtures, control plane) knows no provider string: it asks the
//! [`Provider`] trait for a provider's name, endpoint names, envelopes, migrations and fixture
//! section.
//! Each provider lives in its own folder with its router, errors, store and fixtures.

pub mod aggrepay;
pub mod chillr;
pub mod endpoint;
pub mod jaze;
pub mod openapi;
pub mod paypro;
#[cfg(test)]
mod skeleton;

use crate::db::Migration;
use crate::fixtures::SectionError;
use crate::state::AppState;
use axum::Router;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::Serialize;
use serde_json::Value;

/// A documented value that triggers a behaviour without set-up, as test card numbers do.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MagicValue {
    pub field: &'static str,
    pub value: &'static str,
    pub effect: &'static str,
}

pub trait Provider: Send + Sync + 'static {
    /// The prefix (without slash) and the name used in fault rules and the journal.
    fn name(&self) -> &'static str;

    /// The endpoint names (the last path segment of each documented endpoint).
    fn endpoints(&self) -> &'static [&'static str];

    /// Whether a path outside every prefix is one of this provider's root aliases.
    fn owns_root_path(&self, path: &str) -> bool;

    /// The provider's API, mounted under its prefix and at the root.
    fn router(&self) -> Router<AppState>;

    /// Its `/__sandbox/<name>/...` actions (act as the customer or the bank).
    fn actions(&self) -> Router<AppState> {
        Router::new()
    }

    /// Its `paysandbox pay <name> ...` subcommand, calling one of its actions.
    fn pay_command(&self) -> Option<crate::cli::pay_command::PayCommand> {
        None
    }

    /// The body of the provider's own answer for a service outage (sent with HTTP 200 unless
    /// a fault rule gives another status).
    fn outage_body(&self) -> Value;

    /// The provider's envelope for a request that never reached an endpoint (404, 405, 413).
    fn http_error_body(&self, status: StatusCode, message: &str) -> Value;

    /// The names of the request fields this provider reads as secrets (passwords, keys,
    /// MPINs, OTPs), as it spells them; the journal masks their values in every channel, names
    /// in any case. Credentials in `Authorization` are masked for every provider anyway.
    fn secret_fields(&self) -> &'static [&'static str];

    /// Its schema, as files in its `migrations/` folder. Versions are global across providers
    /// (each new one takes the next free number), so existing databases keep working.
    fn migrations(&self) -> &'static [Migration];

    fn magic_values(&self) -> Vec<MagicValue> {
        Vec::new()
    }

    /// The OpenAPI paths of its actions, merged into `/__sandbox/openapi.json`.
    fn openapi(&self) -> Option<utoipa::openapi::OpenApi> {
        None
    }

    /// The OpenAPI 3.1 description of its emulated API (`/__sandbox/openapi/<name>.json`):
    /// every endpoint under its prefix and at its root alias, built with [`openapi::document`].
    fn api_description(&self) -> Option<Value> {
        None
    }

    /// The JSON Schema of its fixture section (`{"$ref", "$defs"}`, from
    /// [`openapi::section_schema`]), gathered into `/__sandbox/fixtures/schema.json`.
    fn fixture_schema(&self) -> Option<Value> {
        None
    }

    /// Loads this provider's section of a fixture document, inside the caller's transaction;
    /// `now` (the sandbox clock) is the default for times a fixture leaves out.
    fn load_fixtures(
        &self,
        conn: &Connection,
        section: &Value,
        now: DateTime<Utc>,
    ) -> Result<(), SectionError>;

    /// This provider's whole state as a fixture section, records in id order.
    fn export_fixtures(&self, conn: &Connection) -> Result<Value, crate::db::DbError>;

    /// Every rule a diagnosis of this provider can name (listed at `/__sandbox/rules`).
    fn rules(&self) -> &'static [crate::diagnosis::Rule] {
        &[]
    }

    /// Each endpoint's documented outcomes (its success first, then every error code or
    /// message the document lists for it), counted by the integration report. A slice keeps
    /// them in a `LazyLock` filled by [`endpoint::outcomes`].
    fn outcomes(
        &self,
    ) -> &'static [(&'static str, &'static [crate::diagnosis::DocumentedOutcome])] {
        &[]
    }

    /// The code of an endpoint's success: its first documented outcome. An answer that
    /// carries no [`crate::diagnosis::Outcome`] of its own is a success (every refusal goes
    /// through the slice's error type, which attaches one).
    fn success_code(&self, endpoint: &str) -> Option<&'static str> {
        self.outcomes()
            .iter()
            .find(|(name, _)| *name == endpoint)
            .and_then(|(_, outcomes)| outcomes.first())
            .map(|outcome| outcome.code)
    }

    /// Lint findings over this provider's recorded traffic (oldest first): habits the
    /// sandbox tolerates that would hurt against the real service.
    fn lint(&self, _traffic: &[crate::diagnosis::Traffic]) -> Vec<crate::diagnosis::Finding> {
        Vec::new()
    }

    /// Its dashboard pages, mounted at `/__sandbox/ui/<name>` behind the dashboard's session
    /// guard (build them with [`crate::dashboard::kit`]).
    fn pages(&self) -> Router<AppState> {
        Router::new()
    }

    /// The overview's counts of this provider's records (label, count), e.g. ("orders", 12).
    fn counts(&self, _conn: &Connection) -> Result<Vec<(&'static str, i64)>, crate::db::DbError> {
        Ok(Vec::new())
    }

    /// Its section of the phone page: what it "sent" to this mobile number (10 digits) and
    /// the wallets on it; `None` when it has nothing for the number.
    fn phone(
        &self,
        _conn: &Connection,
        _ui: &crate::dashboard::kit::Ui,
        _mobile: &str,
    ) -> Result<Option<maud::Markup>, crate::db::DbError> {
        Ok(None)
    }

    /// The endpoint a path (inside the provider) addresses: the first segment that is one of
    /// [`Provider::endpoints`].
    fn endpoint_of(&self, path: &str) -> Option<&'static str> {
        path.split('/')
            .find_map(|segment| self.endpoints().iter().find(|e| **e == segment).copied())
    }
}

/// All providers, in the order their fixture sections are loaded and exported.
pub struct Providers(Vec<Box<dyn Provider>>);

/// Which provider a request path belongs to, and the path inside it.
pub struct Routed<'a> {
    pub provider: &'a dyn Provider,
    pub inner_path: &'a str,
}

impl Providers {
    /// The providers in the order given (the catalogue's, `src/catalogue.rs`).
    pub fn new(providers: Vec<Box<dyn Provider>>) -> Self {
        Providers(providers)
    }

    pub fn iter(&self) -> impl Iterator<Item = &dyn Provider> {
        self.0.iter().map(|p| p.as_ref())
    }

    pub fn names(&self) -> Vec<&'static str> {
        self.iter().map(|p| p.name()).collect()
    }

    /// Every provider's migrations, in no particular order (the migrator sorts and checks).
    pub fn migrations(&self) -> Vec<Migration> {
        self.iter()
            .flat_map(|p| p.migrations().iter().copied())
            .collect()
    }

    pub fn by_name(&self, name: &str) -> Option<&dyn Provider> {
        self.iter().find(|p| p.name() == name)
    }

    /// [`Providers::by_name`], or the refusal a control call answers for a name no provider
    /// has: it names the providers.
    pub fn named(&self, name: &str) -> Result<&dyn Provider, String> {
        self.by_name(name).ok_or_else(|| {
            format!(
                "unknown provider `{name}`; the providers are {}",
                self.names().join(", ")
            )
        })
    }

    /// For a path no provider owns (outside the control plane), the provider with an endpoint
    /// name close to one of its segments: the request was most likely meant for it, so it is
    /// journaled and diagnosed as that provider's (its answer stays the plain 404).
    pub fn near<'a>(&'a self, path: &'a str) -> Option<Routed<'a>> {
        if path.starts_with("/__sandbox") {
            return None;
        }
        self.iter()
            .find(|p| !crate::diagnosis::near_miss::suggest(path, p.endpoints()).is_empty())
            .map(|provider| Routed {
                provider,
                inner_path: path,
            })
    }

    /// The provider a request path belongs to: under its prefix, or one of its root aliases.
    pub fn route<'a>(&'a self, path: &'a str) -> Option<Routed<'a>> {
        for provider in self.iter() {
            let rest = path
                .strip_prefix('/')
                .and_then(|p| p.strip_prefix(provider.name()));
            if let Some(rest) = rest
                && (rest.is_empty() || rest.starts_with('/'))
            {
                return Some(Routed {
                    provider,
                    inner_path: rest,
                });
            }
        }
        self.iter()
            .find(|p| p.owns_root_path(path))
            .map(|provider| Routed {
                provider,
                inner_path: path,
            })
    }
}
