//! The overview's and the lists' row counts: one `select count(*) ...` query's answer.

use crate::db::DbError;
use rusqlite::Connection;

/// The number a `select count(*) ...` query (no parameters) answers.
pub fn count(conn: &Connection, sql: &str) -> Result<i64, DbError> {
    conn.prepare_cached(sql)?.query_row([], |r| r.get(0))
}

#[cfg(test)]
mod tests {
    use super::count;
    use rusqlite::Connection;

    #[test]
    fn counts_the_rows_a_query_selects() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("create table t (v integer); insert into t values (1), (2), (3);")
            .unwrap();
        assert_eq!(count(&conn, "select count(*) from t").unwrap(), 3);
        assert_eq!(
            count(&conn, "select count(*) from t where v > 1").unwrap(),
            2
        );
        assert!(count(&conn, "select count(*) from no_such_table").is_err());
    }
}
