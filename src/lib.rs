//! paysandbox: a self-hosted sandbox that emulates payment providers' HTTP APIs (the README
//! names them) over a real state model.
//!
//! The kernel (clock, database, fixtures, journal, faults, control plane, the front, tenants)
//! knows no provider; each provider is a slice under `providers/` behind the
//! [`providers::Provider`] trait. Tests start the real server with [`app::Application`] on a
//! free port.

pub mod app;
pub mod catalogue;
pub mod cli;
pub mod clock;
pub mod command_line;
pub mod config;
pub mod connections;
pub mod control;
pub mod dashboard;
pub mod db;
pub mod depth;
pub mod diagnosis;
pub mod faults;
pub mod fixtures;
pub mod healthcheck;
pub mod journal;
pub mod lenient;
pub mod log_output;
pub mod mask;
pub mod money;
pub mod phone;
pub mod providers;
pub mod report;
pub mod server;
pub mod state;
pub mod tenants;
pub mod text;
pub mod timezone;

pub use app::{Application, StartError};
pub use config::ServeArgs;
pub use state::AppState;
