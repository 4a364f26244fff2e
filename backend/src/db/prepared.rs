//! `Prepared`: an UPDATE on the paid-call path, kept prepared by diesel like a SELECT. Diesel
//! prepares every UPDATE again on each call, since a changeset may skip its `None` fields and so
//! change the SQL; SQLite's parser then costs the writer thread more than the statement runs.

use diesel::{
    QueryResult, RunQueryDsl,
    backend::Backend,
    query_builder::{AstPass, Query, QueryFragment, QueryId},
};

/// `Q`, whose SQL its type alone decides (a changeset of `eq`s, never of `Option` fields),
/// prepared once per connection and found again. Run it with
/// `get_result` or `load` (an UPDATE with a `RETURNING` clause): `execute` hands diesel a
/// reference, and diesel asks a reference's statement whether it may be kept without asking
/// `Prepared`.
#[derive(Debug, Clone, Copy)]
pub struct Prepared<Q>(pub Q);

impl<Q: QueryId> QueryId for Prepared<Q> {
    type QueryId = Prepared<Q::QueryId>;
    const HAS_STATIC_QUERY_ID: bool = Q::HAS_STATIC_QUERY_ID;
}

impl<DB: Backend, Q: QueryFragment<DB>> QueryFragment<DB> for Prepared<Q> {
    fn walk_ast<'b>(&'b self, out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        self.0.walk_ast(out)
    }

    fn is_safe_to_cache_prepared(&self, _backend: &DB) -> QueryResult<bool> {
        Ok(true)
    }
}

impl<Q: Query> Query for Prepared<Q> {
    type SqlType = Q::SqlType;
}

impl<Conn, Q> RunQueryDsl<Conn> for Prepared<Q> {}

#[cfg(test)]
mod tests {
    use std::sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    };

    use diesel::{
        Connection, SqliteConnection, connection::InstrumentationEvent, prelude::*, sql_query,
    };

    use super::Prepared;

    diesel::table! {
        counters (id) {
            id -> BigInt,
            n -> BigInt,
        }
    }

    /// Runs `bump` three times on one connection; how many statements diesel kept prepared.
    fn kept(bump: impl Fn(&mut SqliteConnection) -> QueryResult<i64>) -> usize {
        let mut conn = SqliteConnection::establish(":memory:").expect("an in-memory database");
        sql_query("CREATE TABLE counters (id BIGINT PRIMARY KEY, n BIGINT NOT NULL)")
            .execute(&mut conn)
            .expect("the table is created");
        sql_query("INSERT INTO counters VALUES (1, 0)")
            .execute(&mut conn)
            .expect("the row is inserted");
        let cached = Arc::new(AtomicUsize::new(0));
        let seen = cached.clone();
        conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
            if let InstrumentationEvent::CacheQuery { .. } = event {
                seen.fetch_add(1, Ordering::Relaxed);
            }
        });
        let last = (0..3).map(|_| bump(&mut conn)).last();
        assert_eq!(last.map(|n| n.expect("the update runs")), Some(3));
        cached.load(Ordering::Relaxed)
    }

    #[test]
    fn an_update_is_kept_prepared_only_when_wrapped() {
        let bump = || {
            diesel::update(counters::table.find(1))
                .set(counters::n.eq(counters::n + 1))
                .returning(counters::n)
        };
        assert_eq!(kept(|conn| bump().get_result(conn)), 0);
        assert_eq!(kept(|conn| Prepared(bump()).get_result(conn)), 1);
    }
}
