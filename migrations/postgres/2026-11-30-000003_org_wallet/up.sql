-- Organisations own the credits, the ledger and the API keys. Each user's balance, ledger rows
-- and keys move into their personal organisation, so every balance still equals the sum of its
-- ledger. Ledger rows keep the acting user (for rows from before, the account whose balance it
-- was) and record the acting key; keys record who created them. A session remembers the
-- organisation its user last switched to. Forward-only.

ALTER TABLE organizations ADD COLUMN credits BIGINT NOT NULL DEFAULT 0 CHECK (credits >= 0);
UPDATE organizations o SET credits = u.credits FROM users u WHERE o.personal_user_id = u.id;
ALTER TABLE users DROP COLUMN credits;

ALTER TABLE api_keys RENAME COLUMN user_id TO created_by;
ALTER TABLE api_keys ADD COLUMN organization_id BIGINT REFERENCES organizations (id) ON DELETE CASCADE;
UPDATE api_keys k SET organization_id = o.id FROM organizations o WHERE o.personal_user_id = k.created_by;
ALTER TABLE api_keys ALTER COLUMN organization_id SET NOT NULL;
ALTER INDEX api_keys_user_id RENAME TO api_keys_created_by;
CREATE INDEX api_keys_organization_id ON api_keys (organization_id);

ALTER TABLE credit_ledger ADD COLUMN organization_id BIGINT REFERENCES organizations (id) ON DELETE CASCADE;
UPDATE credit_ledger l SET organization_id = o.id FROM organizations o WHERE o.personal_user_id = l.user_id;
ALTER TABLE credit_ledger ALTER COLUMN organization_id SET NOT NULL;
-- The acting user: a member who leaves, or an operator's grant, leaves the row in place.
ALTER TABLE credit_ledger ALTER COLUMN user_id DROP NOT NULL;
ALTER TABLE credit_ledger DROP CONSTRAINT credit_ledger_user_id_fkey;
ALTER TABLE credit_ledger ADD CONSTRAINT credit_ledger_user_id_fkey
    FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE credit_ledger ADD COLUMN api_key_id BIGINT REFERENCES api_keys (id) ON DELETE SET NULL;
-- Keyset pagination (newest first per organisation) and the usage chart both walk this index.
DROP INDEX credit_ledger_user_id_id;
CREATE INDEX credit_ledger_organization_id_id ON credit_ledger (organization_id, id);

-- NULL: the user's personal organisation.
ALTER TABLE sessions ADD COLUMN organization_id BIGINT REFERENCES organizations (id) ON DELETE SET NULL;
