//! The application: the router (each provider under its prefix and at the root,
//! `/__sandbox` beside them), and start-up (database, fixtures, the start state that reset
//! returns to, the tenant registry).

use crate::clock::Clock;
use crate::config::ServeArgs;
use crate::db::{self, Db};
use crate::fixtures::start::StartFixtures;
use crate::fixtures::{self, FixtureError, LoadError};
use crate::state::{AppState, ExtraRoutes};
use crate::tenants::{self, Registry, Template};
use crate::{control, dashboard, server};
use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde_json::json;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;

/// Why the sandbox could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("fixtures refused: {0}")]
    Fixtures(#[from] FixtureError),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

pub struct Application {
    listener: TcpListener,
    start_fixtures: StartFixtures,
    state: AppState,
    router: Router,
    tenants: Arc<Registry>,
}

impl Application {
    /// Opens the database, loads fixtures into an empty one, binds the port.
    pub async fn build(config: ServeArgs) -> Result<Self, StartError> {
        Self::build_with_routes(config, Vec::new()).await
    }

    pub async fn build_with_routes(
        config: ServeArgs,
        extra: ExtraRoutes,
    ) -> Result<Self, StartError> {
        let readers = config
            .read_connections
            .map_or_else(db::default_read_connections, usize::from);
        let providers = Arc::new(crate::catalogue::providers());
        let db = Db::connect_with(&config.database, &providers.migrations(), readers)?;
        let clock = Clock::real();
        let start_fixtures = fixtures::start::load(&db, &providers, &config, clock.now())
            .await
            .map_err(start_error)?;
        let start_state = Arc::new(db.snapshot().await.map_err(anyhow::Error::from)?);
        // A database file kept from an earlier run starts from its own state; new tenants
        // start from the fixtures, loaded into a scratch database once.
        let fixture_start = match start_fixtures {
            StartFixtures::Loaded { .. } => start_state.clone(),
            StartFixtures::Skipped { .. } => {
                let scratch = Db::connect_with("sqlite::memory:", &providers.migrations(), 1)?;
                fixtures::start::load(&scratch, &providers, &config, clock.now())
                    .await
                    .map_err(start_error)?;
                Arc::new(scratch.snapshot().await.map_err(anyhow::Error::from)?)
            }
        };
        let listener = TcpListener::bind((config.host.as_str(), config.port))
            .await
            .map_err(|e| {
                anyhow::anyhow!("cannot listen on {}:{}: {e}", config.host, config.port)
            })?;
        let port = listener.local_addr().map_err(anyhow::Error::from)?.port();

        let config = Arc::new(config);
        let registry = Arc::new(Registry::new(Template {
            config: config.clone(),
            providers: providers.clone(),
            port,
            start: fixture_start,
            extra: extra.clone(),
            router,
            folder: db::file_path(&config.database).map(|file| {
                file.parent()
                    .map(|dir| dir.join("tenants"))
                    .unwrap_or_else(|| "tenants".into())
            }),
        }));
        registry
            .open_existing()
            .await
            .map_err(|e| anyhow::anyhow!("cannot open the tenants kept from before: {e}"))?;
        let state = AppState::new(
            db,
            start_state,
            config,
            providers,
            port,
            "".into(),
            Some(registry.clone()),
        );
        let router = router(state.clone(), extra);
        Ok(Application {
            listener,
            start_fixtures,
            state,
            router,
            tenants: registry,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().expect("a bound listener")
    }

    pub fn port(&self) -> u16 {
        self.local_addr().port()
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// What start-up did about fixtures (the binary logs it in the listening line).
    pub fn start_fixtures(&self) -> &StartFixtures {
        &self.start_fixtures
    }

    /// Serves until `shutdown` completes, then lets open requests finish (a few seconds).
    pub async fn run_until(self, shutdown: impl Future<Output = ()>) -> std::io::Result<()> {
        let reaper = tokio::spawn(tenants::reaper::run(Arc::downgrade(&self.tenants)));
        let served = server::serve(self.listener, self.router, self.state, shutdown).await;
        reaper.abort();
        served
    }
}

/// Loads the start fixtures into an empty database.
fn start_error(e: LoadError) -> StartError {
    match e {
        LoadError::Refused(e) => StartError::Fixtures(e),
        LoadError::Database(e) => StartError::Other(e.into()),
    }
}

/// One tenant's whole router; the dashboard's root redirect follows its prefix.
pub fn router(state: AppState, mut extra: ExtraRoutes) -> Router {
    let home = format!("{}{}", state.prefix, dashboard::BASE);
    let mut app = Router::new()
        .route("/", get(move || async move { Redirect::to(&home) }))
        .nest(dashboard::BASE, dashboard::router(&state))
        .nest("/__sandbox", control::router(&state));
    for provider in state.providers.iter() {
        let mut routes = provider.router();
        for (_, more) in extra.extract_if(.., |(name, _)| *name == provider.name()) {
            routes = routes.merge(more);
        }
        app = app
            .nest(&format!("/{}", provider.name()), routes.clone())
            .merge(routes);
    }
    app.fallback(not_found)
        // The front has already read the body under its own limit.
        .layer(DefaultBodyLimit::disable())
        .with_state(state)
}

/// An unknown path: in the provider's envelope when the path names one.
async fn not_found(State(state): State<AppState>, uri: Uri) -> Response {
    let path = uri.path();
    let message = format!("No endpoint at {path}");
    match state.providers.route(path) {
        Some(routed) => (
            StatusCode::NOT_FOUND,
            axum::Json(
                routed
                    .provider
                    .http_error_body(StatusCode::NOT_FOUND, &message),
            ),
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, axum::Json(json!({"error": message}))).into_response(),
    }
}
