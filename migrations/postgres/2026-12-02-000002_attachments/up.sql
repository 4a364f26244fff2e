-- Files attached to tasks. The bytes are in the object store (`storage_key`, a random name
-- under the organisation's prefix); a row is written only once they are stored. What an
-- organisation's files add up to is kept beside its balance, so the quota is checked and
-- counted by one conditional UPDATE. Forward-only.

ALTER TABLE organizations ADD COLUMN storage_used BIGINT NOT NULL DEFAULT 0;

CREATE TABLE attachments (
    id BIGSERIAL PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    task_id BIGINT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    -- The file's name as uploaded (no directories), for the download's Content-Disposition.
    name TEXT NOT NULL,
    size BIGINT NOT NULL,
    -- Decided from the file's first bytes, never from the client's header.
    content_type TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    storage_key TEXT NOT NULL UNIQUE,
    uploaded_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX attachments_task_id ON attachments (task_id, id);
