//! The one list of a provider's documented endpoints: every slice's `endpoints.rs` holds an
//! enum implementing [`Endpoint`], and both its router and [`crate::providers::Provider::endpoints`]
//! are derived from it, so the two can never disagree.

use crate::diagnosis::DocumentedOutcome;
use crate::state::AppState;
use axum::Router;
use axum::routing::MethodRouter;

/// A documented endpoint of one provider.
pub trait Endpoint: Copy + Sized + 'static {
    /// Every endpoint, in the document's order.
    const ALL: &'static [Self];

    /// Its name: the path segment the journal, faults and the log know it by (the last
    /// segment of its documented path).
    fn name(self) -> &'static str;

    /// The routes that serve it, relative to the provider's prefix (one endpoint may have
    /// several paths, e.g. with and without a path parameter).
    fn routes(self) -> Vec<(&'static str, MethodRouter<AppState>)>;

    /// The outcomes the document defines for it: its success, then each error code or
    /// message, as the provider answers them.
    fn outcomes(self) -> &'static [DocumentedOutcome] {
        &[]
    }
}

/// Every endpoint of `E` with its documented outcomes, for
/// [`crate::providers::Provider::outcomes`].
pub fn outcomes<E: Endpoint>() -> Vec<(&'static str, &'static [DocumentedOutcome])> {
    E::ALL.iter().map(|e| (e.name(), e.outcomes())).collect()
}

/// The router of every endpoint of `E`.
pub fn router<E: Endpoint>() -> Router<AppState> {
    E::ALL
        .iter()
        .flat_map(|e| e.routes())
        .fold(Router::new(), |router, (path, method)| {
            router.route(path, method)
        })
}

/// The names of every endpoint of `E`, for [`crate::providers::Provider::endpoints`]; a slice
/// keeps them in a `LazyLock` (the endpoint lookup runs on every request).
pub fn names<E: Endpoint>() -> Vec<&'static str> {
    E::ALL.iter().map(|e| e.name()).collect()
}
