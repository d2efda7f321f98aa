//! The salts of other merchants, read only to explain a hash mismatch (a hash made with
//! another merchant's salt); never shown.

use crate::db::DbError;
use rusqlite::Connection;

/// How many other salts a mismatch tries at most (one SHA-512 each).
const MOST: i64 = 64;

/// The distinct salts of every merchant but `merchant_id`, other than its own salt.
pub fn of_others(conn: &Connection, merchant_id: i64) -> Result<Vec<String>, DbError> {
    let mut statement = conn.prepare_cached(
        "select distinct salt from aggrepay_merchants where id <> ?1 and salt <> \
         (select salt from aggrepay_merchants where id = ?1) limit ?2",
    )?;
    let salts = statement
        .query_map((merchant_id, MOST), |row| row.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    Ok(salts)
}
