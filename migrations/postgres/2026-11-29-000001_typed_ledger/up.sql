-- The typed ledger (PostgreSQL): `kind` and its detail fields replace the `reason` string
-- protocol. Forward-only; every row keeps its id, delta and balance, so each user's balance still
-- equals the sum of the ledger's deltas.
--
-- Detail fields a kind requires are checked one way only (a purchase has its package, ...), so a
-- later kind (a reservation, a transfer) is added without touching these constraints.

ALTER TABLE credit_ledger
    ADD COLUMN kind TEXT,
    ADD COLUMN package_id TEXT,
    ADD COLUMN route TEXT,
    ADD COLUMN refunded_entry_id BIGINT REFERENCES credit_ledger (id),
    ADD COLUMN note TEXT;

-- The first release wrote `purchase:<package>`, `admin: <note>`, `refund: <route>` (with the
-- reference `refund:<entry id>`) and the bare route of a spend.
UPDATE credit_ledger SET kind = CASE
    WHEN reason LIKE 'purchase:%' THEN 'purchase'
    WHEN reason LIKE 'refund: %' AND reference LIKE 'refund:%' THEN 'refund'
    WHEN reason LIKE 'admin: %' OR delta > 0 THEN 'grant'
    ELSE 'spend' END;

UPDATE credit_ledger SET
    package_id = CASE WHEN kind = 'purchase' THEN substr(reason, 10) END,
    route = CASE WHEN kind = 'refund' THEN substr(reason, 9)
                 WHEN kind = 'spend' THEN reason END,
    refunded_entry_id = CASE WHEN kind = 'refund' THEN CAST(substr(reference, 8) AS BIGINT) END,
    note = CASE WHEN kind = 'grant' AND reason LIKE 'admin: %' THEN substr(reason, 8)
                WHEN kind = 'grant' THEN reason END;

ALTER TABLE credit_ledger
    ALTER COLUMN kind SET NOT NULL,
    ADD CONSTRAINT credit_ledger_purchase_package CHECK (kind <> 'purchase' OR package_id IS NOT NULL),
    ADD CONSTRAINT credit_ledger_route CHECK (kind NOT IN ('spend', 'refund') OR route IS NOT NULL),
    ADD CONSTRAINT credit_ledger_refund_entry CHECK (kind <> 'refund' OR refunded_entry_id IS NOT NULL),
    ADD CONSTRAINT credit_ledger_grant_note CHECK (kind <> 'grant' OR note IS NOT NULL),
    DROP COLUMN reason;
