//! The database's own tests (the HTTP-level ones are in tests/api/concurrency.rs).
use super::migrate::{Migration, ordered};
use super::open::location;
use super::*;

fn all_migrations() -> Vec<Migration> {
    ordered(&crate::catalogue::providers().migrations()).unwrap()
}

/// A made-up provider's schema: these tests need tables, not any real provider's.
const MADE_UP: &[Migration] = &[
    Migration {
        version: 1,
        name: "0001_users",
        sql: "create table users (phone text primary key);",
    },
    Migration {
        version: 2,
        name: "0002_orders",
        sql: "create table orders (id integer primary key);",
    },
    Migration {
        version: 3,
        name: "0003_usage",
        sql: "create table usage (id integer primary key);",
    },
];

/// Opens a database with the made-up schema.
fn connect(database: &str) -> Db {
    Db::connect_with(database, MADE_UP, default_read_connections()).unwrap()
}

#[test]
fn every_migration_file_is_returned_by_its_provider_with_versions_one_to_n() {
    let providers = crate::catalogue::providers();
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/src/providers");
    for provider in providers.iter() {
        let dir = std::path::Path::new(root)
            .join(provider.name())
            .join("migrations");
        let mut files: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".sql"))
            .map(|name| name.trim_end_matches(".sql").to_string())
            .collect();
        files.sort();
        let mut returned: Vec<String> = provider
            .migrations()
            .iter()
            .map(|m| {
                let file = dir.join(format!("{}.sql", m.name));
                assert_eq!(std::fs::read_to_string(&file).unwrap(), m.sql, "{}", m.name);
                // The file name starts with the global version, zero-padded.
                assert!(
                    m.name.starts_with(&format!("{:04}_", m.version)),
                    "{}",
                    m.name
                );
                m.name.to_string()
            })
            .collect();
        returned.sort();
        assert_eq!(files, returned, "{}", provider.name());
    }
    let versions: Vec<u32> = all_migrations().iter().map(|m| m.version).collect();
    assert_eq!(versions, (1..=versions.len() as u32).collect::<Vec<_>>());
}

#[test]
fn migration_versions_with_a_gap_or_a_duplicate_are_refused() {
    let at = |version| Migration {
        version,
        name: "m",
        sql: "",
    };
    assert!(ordered(&[at(2), at(1), at(3)]).is_ok());
    let gap = ordered(&[at(1), at(3)]).unwrap_err().to_string();
    assert!(gap.contains("found 3"), "{gap}");
    let duplicate = ordered(&[at(1), at(2), at(2)]).unwrap_err().to_string();
    assert!(duplicate.contains("found 2"), "{duplicate}");
    assert!(ordered(&[at(0)]).is_err());
    let mut conn = Connection::open_in_memory().unwrap();
    assert!(super::migrate::migrate(&mut conn, &[at(2)]).is_err());
    let version: i64 = conn
        .query_row("pragma user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 0);
}

#[test]
fn urls_and_paths_name_the_same_places() {
    assert_eq!(location("sqlite::memory:"), None);
    assert_eq!(
        location("sqlite:///data/p.db?mode=rwc").as_deref(),
        Some("/data/p.db")
    );
    assert_eq!(location("sqlite://p.db").as_deref(), Some("p.db"));
    assert_eq!(location("sqlite:p.db").as_deref(), Some("p.db"));
    assert_eq!(location("./p.db").as_deref(), Some("./p.db"));
}

#[tokio::test]
async fn a_file_database_is_migrated_once_and_keeps_its_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let path = path.to_str().unwrap();
    let db = connect(path);
    db.write(|c| c.execute("insert into users (phone) values ('9447741462')", []))
        .await
        .unwrap();
    drop(db);
    let db = connect(path);
    let count: i64 = db
        .read(|c| c.query_row("select count(*) from users", [], |r| r.get(0)))
        .await
        .unwrap();
    assert_eq!(count, 1);
    let version: i64 = db
        .read(|c| c.query_row("pragma user_version", [], |r| r.get(0)))
        .await
        .unwrap();
    assert_eq!(version, MADE_UP.len() as i64);
}

#[tokio::test]
async fn an_in_memory_database_grows_while_it_is_read() {
    let db = connect("sqlite::memory:");
    db.write(|c| c.execute_batch("create table t (x blob)"))
        .await
        .unwrap();
    let blob = vec![7u8; 4096];
    for round in 0..10i64 {
        db.write(|c| -> Result<(), DbError> {
            // Reads the pages written so far, then grows the database by ~2 MB.
            let before: i64 =
                c.query_row("select count(*) from t where length(x) = 4096", [], |r| {
                    r.get(0)
                })?;
            assert_eq!(before, round * 500);
            let mut insert = c.prepare_cached("insert into t (x) values (?)")?;
            for _ in 0..500 {
                insert.execute([&blob])?;
            }
            Ok(())
        })
        .await
        .unwrap();
    }
    let total: i64 = db
        .read(|c| c.query_row("select sum(length(x)) from t", [], |r| r.get(0)))
        .await
        .unwrap();
    assert_eq!(total, 5000 * 4096);
}

#[tokio::test]
async fn an_in_memory_database_keeps_its_pages_in_the_heap_and_its_files_stay_empty() {
    let db = connect("sqlite::memory:");
    let folder = db.0._memory.as_ref().unwrap().database();
    let folder = folder.parent().unwrap().to_path_buf();
    for phone in ["9447741462", "9447741463", "9447741464"] {
        db.write(|c| c.execute("insert into users (phone) values (?)", [phone]))
            .await
            .unwrap();
    }
    assert_eq!(users(&db).await, 3, "a reader reads the writer's pages");
    let mut names = vec![];
    for entry in std::fs::read_dir(&folder).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        assert_eq!(
            entry.metadata().unwrap().len(),
            0,
            "{name} holds bytes on disk"
        );
        names.push(name);
    }
    names.sort();
    assert!(
        names.contains(&"sandbox.db".to_string()),
        "the main file is there as the anchor of its locks: {names:?}"
    );
    let main = folder.join("sandbox.db");
    assert!(super::heap_files::holds(&main));
    drop(db);
    assert!(!folder.exists());
    assert!(
        !super::heap_files::holds(&main),
        "the bytes are freed with the last connection"
    );
}

#[tokio::test]
async fn two_in_memory_databases_are_separate() {
    let one = connect("sqlite::memory:");
    let two = connect("sqlite::memory:");
    one.write(|c| c.execute("insert into users (phone) values ('9447741462')", []))
        .await
        .unwrap();
    let count: i64 = two
        .read(|c| c.query_row("select count(*) from users", [], |r| r.get(0)))
        .await
        .unwrap();
    assert_eq!(count, 0);
}

#[tokio::test]
async fn a_database_migrated_by_the_sqlx_version_gets_only_the_newer_migrations() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        // What the sqlx migrator left: the first two applied and recorded in its table.
        let old = Connection::open(&path).unwrap();
        for migration in &MADE_UP[..2] {
            old.execute_batch(migration.sql).unwrap();
        }
        old.execute_batch(
            "create table _sqlx_migrations (version bigint primary key, description text, \
             installed_on text, success boolean, checksum blob, execution_time bigint);",
        )
        .unwrap();
        for version in 1..=2 {
            old.execute(
                "insert into _sqlx_migrations (version, success) values (?, true)",
                [version],
            )
            .unwrap();
        }
        old.execute("insert into users (phone) values ('9447741462')", [])
            .unwrap();
    }
    let db = connect(path.to_str().unwrap());
    let (version, users, has_usage): (i64, i64, bool) = db
        .read(|c| {
            Ok::<_, DbError>((
                c.query_row("pragma user_version", [], |r| r.get(0))?,
                c.query_row("select count(*) from users", [], |r| r.get(0))?,
                c.query_row(
                    "select exists(select 1 from sqlite_master where name = 'usage')",
                    [],
                    |r| r.get(0),
                )?,
            ))
        })
        .await
        .unwrap();
    assert_eq!(version, MADE_UP.len() as i64);
    assert_eq!(users, 1);
    assert!(has_usage);
}

#[tokio::test]
async fn a_failed_write_changes_nothing() {
    let db = connect("sqlite::memory:");
    let result: Result<(), DbError> = db
        .write(|c| {
            c.execute("insert into users (phone) values ('9447741462')", [])?;
            c.execute("insert into users (phone) values ('9447741462')", [])?;
            Ok(())
        })
        .await;
    assert!(is_unique_violation(&result.unwrap_err()));
    let count: i64 = db
        .read(|c| c.query_row("select count(*) from users", [], |r| r.get(0)))
        .await
        .unwrap();
    assert_eq!(count, 0);
}

#[tokio::test]
async fn restore_brings_back_the_snapshot() {
    let db = connect("sqlite::memory:");
    db.write(|c| c.execute("insert into users (phone) values ('9447741462')", []))
        .await
        .unwrap();
    let snapshot = db.snapshot().await.unwrap();
    db.write(|c| c.execute("insert into users (phone) values ('9447741463')", []))
        .await
        .unwrap();
    db.restore(&snapshot).await.unwrap();
    let count: i64 = db
        .read(|c| c.query_row("select count(*) from users", [], |r| r.get(0)))
        .await
        .unwrap();
    assert_eq!(count, 1);
}

/// Both kinds of database, each in its own folder (kept alive by the returned guard).
fn both_kinds(readers: usize) -> Vec<(Db, Option<tempfile::TempDir>)> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.db");
    vec![
        (
            Db::connect_with("sqlite::memory:", MADE_UP, readers).unwrap(),
            None,
        ),
        (
            Db::connect_with(file.to_str().unwrap(), MADE_UP, readers).unwrap(),
            Some(dir),
        ),
    ]
}

async fn users(db: &Db) -> i64 {
    db.read(|c| c.query_row("select count(*) from users", [], |r| r.get(0)))
        .await
        .unwrap()
}

#[tokio::test]
async fn a_read_cannot_write() {
    for (db, _dir) in both_kinds(2) {
        let result = db
            .read(|c| c.execute("insert into users (phone) values ('9447741462')", []))
            .await;
        assert!(
            matches!(&result, Err(DbError::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::ReadOnly),
            "{result:?}"
        );
        assert_eq!(users(&db).await, 0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_during_a_write_sees_the_state_before_it_without_waiting() {
    for (db, _dir) in both_kinds(2) {
        let (written, mut wrote) = tokio::sync::mpsc::unbounded_channel();
        let (go_on, wait) = std::sync::mpsc::channel::<()>();
        let writer = tokio::spawn({
            let db = db.clone();
            async move {
                db.write(move |c| {
                    c.execute("insert into users (phone) values ('9447741462')", [])?;
                    written.send(()).unwrap();
                    // Holds the transaction open until the test has read.
                    wait.recv_timeout(Duration::from_secs(60)).unwrap();
                    Ok::<_, DbError>(())
                })
                .await
            }
        });
        wrote.recv().await.unwrap();
        let during = tokio::time::timeout(Duration::from_secs(30), users(&db))
            .await
            .expect("a read does not wait for the write in progress");
        assert_eq!(during, 0, "a read sees no uncommitted row");
        go_on.send(()).unwrap();
        writer.await.unwrap().unwrap();
        assert_eq!(users(&db).await, 1, "a read after the commit sees it");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn readers_see_one_committed_state_while_writes_move_money() {
    const ACCOUNTS: i64 = 20;
    const TOTAL: i64 = ACCOUNTS * 1_000;
    for (db, _dir) in both_kinds(3) {
        db.write(|c| {
            c.execute_batch("create table t (id integer primary key, balance integer)")?;
            for id in 0..ACCOUNTS {
                c.execute("insert into t values (?, 1000)", [id])?;
            }
            Ok::<_, DbError>(())
        })
        .await
        .unwrap();
        let writers: Vec<_> = (0..3i64)
            .map(|w| {
                let db = db.clone();
                tokio::spawn(async move {
                    for n in 0..300i64 {
                        // Some moves are long: many statements in one transaction.
                        let steps = if n % 50 == 0 { 2_000 } else { 3 };
                        db.write(|c| {
                            for s in 0..steps {
                                let (from, to) =
                                    ((n + s + w) % ACCOUNTS, (n * 7 + s + 1) % ACCOUNTS);
                                c.execute(
                                    "update t set balance = balance - 1 where id = ?",
                                    [from],
                                )?;
                                c.execute("update t set balance = balance + 1 where id = ?", [to])?;
                            }
                            Ok::<_, DbError>(())
                        })
                        .await
                        .unwrap();
                    }
                })
            })
            .collect();
        let readers: Vec<_> = (0..3)
            .map(|_| {
                let db = db.clone();
                tokio::spawn(async move {
                    let mut reads = 0;
                    loop {
                        // One statement per account, one snapshot: the balances add up
                        // only if every statement sees the same committed state.
                        let total: i64 = db
                            .read(|c| {
                                let mut one =
                                    c.prepare_cached("select balance from t where id = ?")?;
                                (0..ACCOUNTS)
                                    .map(|id| one.query_row([id], |r| r.get::<_, i64>(0)))
                                    .sum::<Result<i64, DbError>>()
                            })
                            .await
                            .unwrap();
                        assert_eq!(total, TOTAL, "read {reads}");
                        reads += 1;
                        if reads >= 2_000 {
                            break;
                        }
                        tokio::task::yield_now().await;
                    }
                })
            })
            .collect();
        for task in writers.into_iter().chain(readers) {
            task.await.unwrap();
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_read_sees_the_write_acknowledged_before_it() {
    for (db, _dir) in both_kinds(4) {
        for n in 1..=200i64 {
            db.write(|c| {
                c.execute(
                    "insert into users (phone) values (?)",
                    [format!("94477{n:05}")],
                )
            })
            .await
            .unwrap();
            assert_eq!(users(&db).await, n);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readers_read_the_restored_state() {
    for (db, _dir) in both_kinds(3) {
        let snapshot = db.snapshot().await.unwrap();
        db.write(|c| c.execute("insert into users (phone) values ('9447741462')", []))
            .await
            .unwrap();
        // Every reader has the count cached before the restore.
        let counts = futures_util::future::join_all((0..6).map(|_| users(&db))).await;
        assert!(counts.iter().all(|&n| n == 1), "{counts:?}");
        db.restore(&snapshot).await.unwrap();
        let counts = futures_util::future::join_all((0..6).map(|_| users(&db))).await;
        assert!(counts.iter().all(|&n| n == 0), "{counts:?}");
    }
}

/// How many users [`Db::read_memo`] says there are, counting the reads it really made.
async fn memo_users(db: &Db, reads: &std::sync::atomic::AtomicUsize) -> i64 {
    db.read_memo("users", "all", |c| {
        reads.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        c.query_row("select count(*) from users", [], |r| r.get::<_, i64>(0))
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn a_kept_value_is_read_again_only_after_its_table_changes() {
    for (db, _dir) in both_kinds(2) {
        let reads = std::sync::atomic::AtomicUsize::new(0);
        let read = || reads.load(std::sync::atomic::Ordering::SeqCst);
        assert_eq!(memo_users(&db, &reads).await, 0);
        assert_eq!(memo_users(&db, &reads).await, 0);
        assert_eq!(read(), 1, "the second time comes from memory");
        db.write(|c| c.execute("insert into orders (id) values (1)", []))
            .await
            .unwrap();
        assert_eq!(memo_users(&db, &reads).await, 0);
        assert_eq!(read(), 1, "a write to another table keeps it");
        db.write(|c| c.execute("insert into users (phone) values ('9447741462')", []))
            .await
            .unwrap();
        assert_eq!(
            memo_users(&db, &reads).await,
            1,
            "the acknowledged write is seen"
        );
        assert_eq!(read(), 2);
        let failed: Result<(), DbError> = db
            .write(|c| {
                c.execute("insert into users (phone) values ('9447741463')", [])?;
                Err(DbError::QueryReturnedNoRows)
            })
            .await;
        assert!(failed.is_err());
        assert_eq!(memo_users(&db, &reads).await, 1);
        assert_eq!(read(), 2, "a write rolled back changed nothing");
        db.write(wipe).await.unwrap();
        assert_eq!(
            memo_users(&db, &reads).await,
            0,
            "a wiped table is read again"
        );
    }
}

#[tokio::test]
async fn a_restore_makes_every_kept_value_read_again() {
    let db = connect("sqlite::memory:");
    let snapshot = db.snapshot().await.unwrap();
    let reads = std::sync::atomic::AtomicUsize::new(0);
    db.write(|c| c.execute("insert into users (phone) values ('9447741462')", []))
        .await
        .unwrap();
    assert_eq!(memo_users(&db, &reads).await, 1);
    db.restore(&snapshot).await.unwrap();
    assert_eq!(memo_users(&db, &reads).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 6)]
async fn by_default_a_read_finds_a_connection_while_three_long_reads_hold_theirs() {
    let db = Db::connect_with("sqlite::memory:", MADE_UP, default_read_connections()).unwrap();
    let (release, held) = std::sync::mpsc::channel::<()>();
    let held = Arc::new(std::sync::Mutex::new(held));
    let (started, long_reads_in) = std::sync::mpsc::channel::<()>();
    let long: Vec<_> = (0..3)
        .map(|_| {
            let (db, held, started) = (db.clone(), held.clone(), started.clone());
            tokio::spawn(async move {
                db.read(move |_| {
                    started.send(()).unwrap();
                    let _ = held.lock().unwrap().recv();
                })
                .await
            })
        })
        .collect();
    for _ in 0..3 {
        long_reads_in
            .recv_timeout(Duration::from_secs(10))
            .expect("the long reads start");
    }
    let short = tokio::time::timeout(Duration::from_secs(5), users(&db)).await;
    assert_eq!(short.ok(), Some(0), "a fourth read is served meanwhile");
    drop(release);
    for read in long {
        read.await.unwrap();
    }
}
