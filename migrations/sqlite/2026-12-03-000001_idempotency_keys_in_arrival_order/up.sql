-- Idempotency keys stored in the order they arrive, their primary key an index beside them
-- (a rowid table, not WITHOUT ROWID). Keys are the clients' own random strings: a table keyed
-- by them takes each claim, and then its answer, at a random page of a large B-tree, and SQLite
-- writes every page a commit touched to the WAL whole. Here the claim's row lands on the last
-- page with the other new rows, its answer on the same page a moment later, and only the
-- index's small entry goes to a random page: a third less written per idempotent paid call
-- (BENCHMARKS.md). PostgreSQL's tables already work this way. Same columns and keys as before;
-- every row is kept. Forward-only. (SQLite)

CREATE TABLE idempotency_keys_by_arrival (
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    idempotency_key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    status_code INTEGER,
    response_body TEXT,
    PRIMARY KEY (organization_id, idempotency_key)
);
INSERT INTO idempotency_keys_by_arrival
    (organization_id, idempotency_key, fingerprint, created_at, status_code, response_body)
SELECT organization_id, idempotency_key, fingerprint, created_at, status_code, response_body
FROM idempotency_keys
ORDER BY created_at;
DROP TABLE idempotency_keys;
ALTER TABLE idempotency_keys_by_arrival RENAME TO idempotency_keys;
-- The hourly purge of keys past their 24 hours.
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
