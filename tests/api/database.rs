//! Migrations on both backends.

use diesel::RunQueryDsl;
use diesel::sql_types::Text;
use woonservice::store::{DbConnection, migrations};

use crate::helpers::{TestDb, test_config};

#[derive(diesel::QueryableByName, Debug, PartialEq)]
struct Line {
    #[diesel(sql_type = Text)]
    line: String,
}

/// A text dump of the schema: tables, columns, types, nullability, defaults, indexes.
fn schema_dump(conn: &mut DbConnection) -> Vec<String> {
    let sql = match conn {
        DbConnection::Postgres(_) => {
            "SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '') AS line \
             FROM information_schema.columns WHERE table_schema = 'public' \
             UNION ALL SELECT indexname || ' ' || indexdef AS line FROM pg_indexes WHERE schemaname = 'public' \
             UNION ALL SELECT conname || ' ' || pg_get_constraintdef(oid) AS line FROM pg_constraint WHERE connamespace = 'public'::regnamespace \
             ORDER BY line"
        }
        DbConnection::Sqlite(_) => {
            "SELECT type || ' ' || name || ' ' || coalesce(sql, '') AS line FROM sqlite_master ORDER BY line"
        }
    };
    diesel::sql_query(sql)
        .load::<Line>(conn)
        .unwrap()
        .into_iter()
        .map(|l| l.line)
        .collect()
}

#[test]
fn migrations_run_up_down_and_up_again_to_the_same_schema() {
    let db = TestDb::new();
    let config = test_config(db.target.clone());
    let store = woonservice::store::Db::new(&config.database, 1);
    store
        .run_blocking(|conn| {
            let applied = migrations::run_pending(conn)?;
            assert!(!applied.is_empty());
            assert!(migrations::pending(conn)?.is_empty());
            let first = schema_dump(conn);
            let reverted = migrations::revert_all(conn)?;
            assert_eq!(reverted.len(), applied.len());
            assert_eq!(migrations::pending(conn)?.len(), applied.len());
            migrations::run_pending(conn)?;
            assert_eq!(schema_dump(conn), first);
            Ok(())
        })
        .unwrap();
}

#[test]
fn running_migrations_twice_applies_nothing_the_second_time() {
    let db = TestDb::new();
    let store = woonservice::store::Db::new(&db.target, 1);
    store.run_blocking(migrations::run_pending).unwrap();
    assert!(store.run_blocking(migrations::run_pending).unwrap().is_empty());
}
