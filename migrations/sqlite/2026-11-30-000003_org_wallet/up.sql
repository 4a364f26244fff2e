-- Organisations own the credits, the ledger and the API keys (SQLite). Each user's balance,
-- ledger rows and keys move into their personal organisation, so every balance still equals the
-- sum of its ledger. Ledger rows keep the acting user (for rows from before, the account whose
-- balance it was) and record the acting key; keys record who created them. A session remembers
-- the organisation its user last switched to. Forward-only. SQLite cannot add a NOT NULL foreign
-- key to a table, so api_keys and credit_ledger are rebuilt, every row keeping its id.

ALTER TABLE organizations ADD COLUMN credits BIGINT NOT NULL DEFAULT 0 CHECK (credits >= 0);
UPDATE organizations
SET credits = (SELECT credits FROM users WHERE users.id = organizations.personal_user_id)
WHERE personal_user_id IS NOT NULL;
ALTER TABLE users DROP COLUMN credits;

CREATE TABLE api_keys_of_orgs (
    id INTEGER PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    created_by BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    prefix TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at TIMESTAMP
);
INSERT INTO api_keys_of_orgs
    (id, organization_id, created_by, name, prefix, key_hash, created_at, last_used_at, revoked_at)
SELECT k.id, o.id, k.user_id, k.name, k.prefix, k.key_hash, k.created_at, k.last_used_at,
       k.revoked_at
FROM api_keys k JOIN organizations o ON o.personal_user_id = k.user_id
ORDER BY k.id;
DROP TABLE api_keys;
ALTER TABLE api_keys_of_orgs RENAME TO api_keys;
CREATE INDEX api_keys_created_by ON api_keys (created_by);
CREATE INDEX api_keys_organization_id ON api_keys (organization_id);

CREATE TABLE credit_ledger_of_orgs (
    id INTEGER PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    -- The acting user: a member who leaves, or an operator's grant, leaves the row in place.
    user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    api_key_id BIGINT REFERENCES api_keys (id) ON DELETE SET NULL,
    delta BIGINT NOT NULL CHECK (delta <> 0),
    kind TEXT NOT NULL,
    package_id TEXT CHECK (kind <> 'purchase' OR package_id IS NOT NULL),
    route TEXT CHECK (kind NOT IN ('spend', 'refund') OR route IS NOT NULL),
    refunded_entry_id BIGINT REFERENCES credit_ledger_of_orgs (id)
        CHECK (kind <> 'refund' OR refunded_entry_id IS NOT NULL),
    note TEXT CHECK (kind <> 'grant' OR note IS NOT NULL),
    reference TEXT UNIQUE,
    balance_after BIGINT NOT NULL CHECK (balance_after >= 0),
    created_at TIMESTAMP NOT NULL
);
INSERT INTO credit_ledger_of_orgs
    (id, organization_id, user_id, api_key_id, delta, kind, package_id, route,
     refunded_entry_id, note, reference, balance_after, created_at)
SELECT l.id, o.id, l.user_id, NULL, l.delta, l.kind, l.package_id, l.route,
       l.refunded_entry_id, l.note, l.reference, l.balance_after, l.created_at
FROM credit_ledger l JOIN organizations o ON o.personal_user_id = l.user_id
ORDER BY l.id;
DROP TABLE credit_ledger;
ALTER TABLE credit_ledger_of_orgs RENAME TO credit_ledger;
-- Keyset pagination (newest first per organisation) and the usage chart both walk this index.
CREATE INDEX credit_ledger_organization_id_id ON credit_ledger (organization_id, id);

-- NULL: the user's personal organisation.
ALTER TABLE sessions ADD COLUMN organization_id BIGINT REFERENCES organizations (id) ON DELETE SET NULL;
