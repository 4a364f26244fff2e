-- The typed ledger (SQLite): `kind` and its detail fields replace the `reason` string protocol.
-- Forward-only. SQLite cannot add constraints to a table, so it is rebuilt; every row keeps its
-- id, delta and balance, so each user's balance still equals the sum of the ledger's deltas.
--
-- Detail fields a kind requires are checked one way only (a purchase has its package, ...), so a
-- later kind (a reservation, a transfer) needs no rebuild to be added.

CREATE TABLE credit_ledger_typed (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    delta BIGINT NOT NULL CHECK (delta <> 0),
    kind TEXT NOT NULL,
    package_id TEXT CHECK (kind <> 'purchase' OR package_id IS NOT NULL),
    route TEXT CHECK (kind NOT IN ('spend', 'refund') OR route IS NOT NULL),
    refunded_entry_id BIGINT REFERENCES credit_ledger_typed (id)
        CHECK (kind <> 'refund' OR refunded_entry_id IS NOT NULL),
    note TEXT CHECK (kind <> 'grant' OR note IS NOT NULL),
    reference TEXT UNIQUE,
    balance_after BIGINT NOT NULL CHECK (balance_after >= 0),
    created_at TIMESTAMP NOT NULL
);

-- The first release wrote `purchase:<package>`, `admin: <note>`, `refund: <route>` (with the
-- reference `refund:<entry id>`) and the bare route of a spend.
INSERT INTO credit_ledger_typed
    (id, user_id, delta, kind, package_id, route, refunded_entry_id, note, reference,
     balance_after, created_at)
SELECT id, user_id, delta, kind,
       CASE WHEN kind = 'purchase' THEN substr(reason, 10) END,
       CASE WHEN kind = 'refund' THEN substr(reason, 9)
            WHEN kind = 'spend' THEN reason END,
       CASE WHEN kind = 'refund' THEN CAST(substr(reference, 8) AS INTEGER) END,
       CASE WHEN kind = 'grant' AND reason LIKE 'admin: %' THEN substr(reason, 8)
            WHEN kind = 'grant' THEN reason END,
       reference, balance_after, created_at
FROM (
    SELECT *,
           CASE WHEN reason LIKE 'purchase:%' THEN 'purchase'
                WHEN reason LIKE 'refund: %' AND reference LIKE 'refund:%' THEN 'refund'
                WHEN reason LIKE 'admin: %' OR delta > 0 THEN 'grant'
                ELSE 'spend' END AS kind
    FROM credit_ledger
)
ORDER BY id;

DROP TABLE credit_ledger;
ALTER TABLE credit_ledger_typed RENAME TO credit_ledger;
-- Keyset pagination (newest first per user) and the usage chart both walk this index.
CREATE INDEX credit_ledger_user_id_id ON credit_ledger (user_id, id);
