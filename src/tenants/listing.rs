//! What `GET /__sandbox/tenants` shows of a tenant.

use super::Tenant;
use serde::Serialize;

#[derive(Serialize, utoipa::ToSchema)]
pub struct Listed {
    /// The tenant's name: its URLs start with `/t/<name>/`.
    pub name: String,
    /// `memory`, or `file` (kept across restarts, never dropped when idle).
    pub storage: &'static str,
    /// When it was created (or found again after a restart), RFC 3339, real time.
    pub created: String,
    /// When it last served a request, RFC 3339, real time.
    pub last_used: String,
    /// Its database's size in bytes.
    pub size_bytes: u64,
    /// When it is dropped unless used before then (in-memory tenants with an idle time
    /// configured); null when it is kept.
    #[schema(nullable)]
    pub idle_expires: Option<String>,
}

/// The listing entry of `tenant`, its idle expiry computed with `idle`.
pub async fn listed(tenant: &Tenant, idle: Option<std::time::Duration>) -> Listed {
    let size = tenant
        .state
        .db
        .read(|conn| {
            conn.query_row(
                "select page_count * page_size from pragma_page_count(), pragma_page_size()",
                [],
                |row| row.get::<_, i64>(0),
            )
        })
        .await
        .unwrap_or(0);
    let last_used = tenant.last_used();
    let idle_expires = match (&tenant.file, idle) {
        (None, Some(idle)) => chrono::Duration::from_std(idle)
            .ok()
            .and_then(|idle| last_used.checked_add_signed(idle))
            .map(|at| at.to_rfc3339()),
        _ => None,
    };
    Listed {
        name: tenant.name.clone(),
        storage: if tenant.file.is_some() {
            "file"
        } else {
            "memory"
        },
        created: tenant.created.to_rfc3339(),
        last_used: last_used.to_rfc3339(),
        size_bytes: u64::try_from(size).unwrap_or(0),
        idle_expires,
    }
}
