//! The server's settings: every one has a flag and an environment variable (the command line
//! that reads them is `command_line.rs`).

use clap::{Args, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Port to listen on (0 picks a free one).
    #[arg(long, env = "PORT", default_value_t = 8080)]
    pub port: u16,

    /// Address to bind.
    #[arg(long, env = "HOST", default_value = "0.0.0.0")]
    pub host: String,

    /// SQLite database: a URL (`sqlite:///data/paysandbox.db?mode=rwc`,
    /// `sqlite::memory:`) or a plain file path; a missing file is created.
    #[arg(long, env = "DATABASE_URL", default_value = "./paysandbox.db")]
    pub database: String,

    /// Folder of fixture files (*.json, *.yaml, *.yml, loaded in name order) to load into an
    /// empty database at start, instead of (`--fixtures-mode replace`) or on top of (`add`)
    /// the built-in default fixtures.
    #[arg(long, env = "FIXTURES_DIR")]
    pub fixtures: Option<PathBuf>,

    /// What the `--fixtures` folder does to the built-in default fixtures.
    #[arg(long, env = "FIXTURES_MODE", value_enum, default_value_t = FixturesMode::Replace)]
    pub fixtures_mode: FixturesMode,

    /// When set, every /__sandbox call but health needs `Authorization: Bearer <token>`.
    #[arg(long, env = "ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,

    /// Largest request body, in bytes, that is read and judged by the provider's rules;
    /// larger ones are answered 413.
    #[arg(long, env = "MAX_BODY", default_value_t = 16 * 1024 * 1024)]
    pub max_body: usize,

    /// How many requests the journal keeps (the oldest go first).
    #[arg(long, env = "JOURNAL_LIMIT", default_value_t = 10_000)]
    pub journal_limit: usize,

    /// Log format: one line per request, as text or JSON.
    #[arg(long, env = "LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,

    /// Seconds a client has, from the first byte of a request head, to send the whole head;
    /// then the connection is closed without an answer (0: no limit).
    #[arg(long, env = "HEADER_READ_TIMEOUT", default_value_t = 30)]
    pub header_read_timeout: u64,

    /// Seconds a connection may stay open with no request in flight and no byte moving;
    /// then it is closed (0: no limit).
    #[arg(long, env = "IDLE_TIMEOUT", default_value_t = 60)]
    pub idle_timeout: u64,

    /// Most connections open at once; lowered to the open-file limit less 64. Past it the
    /// longest-waiting connection with no request in flight is closed to make room, or, when
    /// all are busy, the new one is answered 503 with `Retry-After: 1`.
    #[arg(long, env = "MAX_CONNECTIONS", default_value_t = 10_000)]
    pub max_connections: usize,
    /// Read connections to the database, each serving one request at a time beside the one
    /// writer (default: one per core).
    #[arg(long, env = "READ_CONNECTIONS", value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub read_connections: Option<u16>,

    /// Most named tenants (`/t/<tenant>/...`) at once; past it a new tenant is answered 503.
    #[arg(long, env = "MAX_TENANTS", default_value_t = 100)]
    pub max_tenants: usize,

    /// Seconds after its last request that an in-memory tenant is dropped (0: never). Tenants
    /// on files are kept.
    #[arg(long, env = "TENANT_IDLE", default_value_t = 3600)]
    pub tenant_idle: u64,

    /// Read connections to each named tenant's database (the default tenant has
    /// `--read-connections`): few, so an idle tenant costs little memory.
    #[arg(long, env = "TENANT_READ_CONNECTIONS", default_value_t = 2,
          value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub tenant_read_connections: u16,
}

#[derive(Debug, Clone, Args)]
pub struct HealthcheckArgs {
    /// Port the sandbox listens on.
    #[arg(long, env = "PORT", default_value_t = 8080)]
    pub port: u16,
}

/// Whether a start folder replaces the default fixtures or adds to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FixturesMode {
    /// Load the default fixtures, then the folder.
    Add,
    /// Load only the folder.
    Replace,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

impl ServeArgs {
    /// Settings for a throw-away sandbox: in-memory database, a free port on loopback.
    pub fn ephemeral() -> Self {
        ServeArgs {
            port: 0,
            host: "127.0.0.1".into(),
            database: "sqlite::memory:".into(),
            fixtures: None,
            fixtures_mode: FixturesMode::Replace,
            admin_token: None,
            max_body: 16 * 1024 * 1024,
            journal_limit: 10_000,
            log_format: LogFormat::Text,
            header_read_timeout: 30,
            idle_timeout: 60,
            max_connections: 10_000,
            read_connections: None,
            max_tenants: 100,
            tenant_idle: 3600,
            tenant_read_connections: 2,
        }
    }
}
