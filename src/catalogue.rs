//! The providers this sandbox emulates, in the order their fixture sections are loaded and
//! exported: the one place above the kernel that names each slice.

use crate::providers::{Providers, aggrepay, chillr, jaze, paypro};

pub fn providers() -> Providers {
    Providers::new(vec![
        Box::new(chillr::Chillr),
        Box::new(paypro::PayPro),
        Box::new(aggrepay::AggrePay),
        Box::new(jaze::Jaze),
    ])
}

/// Opens (creating if missing) and migrates the database named by a URL or a file path,
/// with every provider's migrations and one read connection per core (for unit tests).
#[cfg(test)]
pub fn database(database: &str) -> anyhow::Result<crate::db::Db> {
    crate::db::Db::connect_with(
        database,
        &providers().migrations(),
        crate::db::default_read_connections(),
    )
}
