//! The handlers of Chillr's two documented endpoints, one file per section of the document.
//! Extractors (extract.rs) have read, checked and authenticated the request before a handler
//! runs; a handler answers `Result<Answer, ChillrError>`.

mod collect;
mod extract;
mod status;

pub use collect::collect;
pub use status::check_collect_status;
