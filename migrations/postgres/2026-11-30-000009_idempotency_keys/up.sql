-- Idempotency keys of paid POST requests: the first request with a key claims it in the
-- debit's own transaction (so 100 identical requests at once charge once), and its answer is
-- stored once it has one (`status_code`, `response_body`; NULL while it runs), to be replayed
-- to retries for 24 hours. `fingerprint`: the SHA-256 of the method, route and body, so the
-- same key with another request is refused. Keyed by organisation and key alone. Forward-only.

CREATE TABLE idempotency_keys (
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    idempotency_key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    status_code INTEGER,
    response_body TEXT,
    PRIMARY KEY (organization_id, idempotency_key)
);
-- The hourly purge of keys past their 24 hours.
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
