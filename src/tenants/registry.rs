//! The named tenants: found by name, created on first use (or by the control plane) under the
//! tenant limit, removed, and dropped when idle in memory.

use super::{Tenant, storage};
use crate::config::ServeArgs;
use crate::db::{self, Db, Snapshot};
use crate::fixtures::{self, Document, LoadError};
use crate::providers::Providers;
use crate::state::{AppState, ExtraRoutes};
use axum::Router;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Duration;

/// What every tenant is made from, besides its own database.
pub struct Template {
    pub config: Arc<ServeArgs>,
    pub providers: Arc<Providers>,
    pub port: u16,
    /// The database right after the start fixtures were loaded: a new tenant starts here.
    pub start: Arc<Snapshot>,
    /// Test-only routes mounted into every tenant's router, as into the default one.
    pub extra: ExtraRoutes,
    /// Builds a tenant's router over its state, as the default tenant's is built (the
    /// application's, given here so that the tenants need not know the application).
    pub router: fn(AppState, ExtraRoutes) -> Router,
    /// `tenants/` beside the database file; `None` when the sandbox runs in memory.
    pub folder: Option<PathBuf>,
}

/// Why a tenant could not be created.
#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    #[error("tenant `{0}` exists")]
    Exists(String),
    #[error(
        "the sandbox already has its maximum of {0} tenants; delete one (DELETE /__sandbox/tenants/<name>) or raise --max-tenants"
    )]
    Limit(usize),
    #[error("fixture refused")]
    Refused(crate::fixtures::FixtureError),
    #[error("cannot create the tenant's database: {0}")]
    Failed(String),
}

pub struct Registry {
    template: Template,
    tenants: RwLock<HashMap<String, Arc<Tenant>>>,
    /// Creation is serialised (it is rare), so the limit holds and a name is created once.
    creating: tokio::sync::Mutex<()>,
}

impl Registry {
    pub fn new(template: Template) -> Self {
        Registry {
            template,
            tenants: RwLock::default(),
            creating: tokio::sync::Mutex::new(()),
        }
    }

    pub fn limit(&self) -> usize {
        self.template.config.max_tenants
    }

    /// How long an in-memory tenant may stay unused; `None`: forever.
    pub fn idle(&self) -> Option<Duration> {
        let seconds = self.template.config.tenant_idle;
        (seconds > 0).then(|| Duration::from_secs(seconds))
    }

    pub fn get(&self, name: &str) -> Option<Arc<Tenant>> {
        let tenants = self.tenants.read().unwrap_or_else(|e| e.into_inner());
        tenants.get(name).cloned()
    }

    /// The tenant, created from the start fixtures if it is not there yet; marked used.
    pub async fn get_or_create(&self, name: &str) -> Result<Arc<Tenant>, CreateError> {
        let tenant = match self.get(name) {
            Some(tenant) => tenant,
            None => match self.create(name, None).await {
                Ok(tenant) => tenant,
                // Created by a request that was waiting for the lock before this one.
                Err(CreateError::Exists(_)) => self
                    .get(name)
                    .ok_or_else(|| CreateError::Failed("removed while being created".into()))?,
                Err(e) => return Err(e),
            },
        };
        tenant.touch();
        Ok(tenant)
    }

    /// Creates a tenant from `document`, or from the start fixtures without one.
    pub async fn create(
        &self,
        name: &str,
        document: Option<Document>,
    ) -> Result<Arc<Tenant>, CreateError> {
        let _creating = self.creating.lock().await;
        if self.get(name).is_some() {
            return Err(CreateError::Exists(name.to_string()));
        }
        if self.len() >= self.limit() {
            return Err(CreateError::Limit(self.limit()));
        }
        let tenant = Arc::new(self.build(name, document).await?);
        tracing::info!(tenant = name, "tenant created");
        self.tenants
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(name.to_string(), tenant.clone());
        Ok(tenant)
    }

    /// Opens the tenant files a previous run left in the folder (file mode only).
    pub async fn open_existing(&self) -> Result<(), CreateError> {
        let Some(folder) = self.template.folder.as_deref() else {
            return Ok(());
        };
        for (name, _) in storage::existing(folder) {
            let tenant = Arc::new(self.build(&name, None).await?);
            tracing::info!(tenant = name, "tenant found again");
            self.tenants
                .write()
                .unwrap_or_else(|e| e.into_inner())
                .insert(name, tenant);
        }
        Ok(())
    }

    /// Drops a tenant (and its file); false when there was none.
    pub fn remove(&self, name: &str) -> bool {
        let removed = self
            .tenants
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .remove(name);
        match removed {
            Some(tenant) => {
                if let Some(file) = &tenant.file {
                    storage::remove(file);
                }
                tracing::info!(tenant = name, "tenant deleted");
                true
            }
            None => false,
        }
    }

    /// Every tenant, by name.
    pub fn all(&self) -> Vec<Arc<Tenant>> {
        let tenants = self.tenants.read().unwrap_or_else(|e| e.into_inner());
        let mut all: Vec<_> = tenants.values().cloned().collect();
        all.sort_by(|a, b| a.name.cmp(&b.name));
        all
    }

    pub fn len(&self) -> usize {
        self.tenants.read().unwrap_or_else(|e| e.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Drops the in-memory tenants unused for longer than the idle time; their names.
    pub fn drop_idle(&self) -> Vec<String> {
        let Some(idle) = self.idle() else {
            return Vec::new();
        };
        let now = chrono::Utc::now();
        let idle = chrono::Duration::from_std(idle).unwrap_or(chrono::Duration::MAX);
        let mut tenants = self.tenants.write().unwrap_or_else(|e| e.into_inner());
        let expired: Vec<String> = tenants
            .values()
            .filter(|t| t.file.is_none() && now - t.last_used() > idle)
            .map(|t| t.name.clone())
            .collect();
        for name in &expired {
            tenants.remove(name);
        }
        expired
    }

    /// A tenant's state and router: its own database (a file found again is kept as it is;
    /// else the document, or the start fixtures, are loaded into it).
    async fn build(&self, name: &str, document: Option<Document>) -> Result<Tenant, CreateError> {
        let template = &self.template;
        let failed = |e: &dyn std::fmt::Display| CreateError::Failed(e.to_string());
        if let Some(folder) = &template.folder {
            std::fs::create_dir_all(folder).map_err(|e| failed(&e))?;
        }
        let (database, file) = storage::database_of(template.folder.as_deref(), name);
        let providers = template.providers.clone();
        let readers = usize::from(template.config.tenant_read_connections);
        let db = tokio::task::spawn_blocking(move || {
            Db::connect_with(&database, &providers.migrations(), readers)
        })
        .await
        .map_err(|e| failed(&e))?
        .map_err(|e| failed(&e))?;
        let empty = db.read(db::is_empty).await.map_err(|e| failed(&e))?;
        let start = match document {
            _ if !empty => Arc::new(db.snapshot().await.map_err(|e| failed(&e))?),
            Some(document) => {
                fixtures::load(&db, &template.providers, &[document], chrono::Utc::now())
                    .await
                    .map_err(|e| match e {
                        LoadError::Refused(e) => CreateError::Refused(e),
                        LoadError::Database(e) => failed(&e),
                    })?;
                Arc::new(db.snapshot().await.map_err(|e| failed(&e))?)
            }
            None => {
                db.restore(&template.start).await.map_err(|e| failed(&e))?;
                template.start.clone()
            }
        };
        // The copy left every page in the writer's cache; an idle tenant need not keep them.
        db.write(|conn| conn.execute_batch("pragma shrink_memory"))
            .await
            .map_err(|e| failed(&e))?;
        let state = AppState::new(
            db,
            start,
            template.config.clone(),
            template.providers.clone(),
            template.port,
            format!("/t/{name}").into(),
            None,
        );
        let router = (template.router)(state.clone(), template.extra.clone());
        Ok(Tenant::new(name, state, router, file))
    }
}
