-- Tasks: the example resource an organisation owns, the one to copy. `version` starts at 1
-- and goes up with every change: it is the ETag that `If-Match` is compared with, so two
-- teammates never overwrite each other unseen. Forward-only.

CREATE TABLE tasks (
    id BIGSERIAL PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('todo', 'doing', 'done')),
    due_date DATE,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
-- The list, newest first, with or without a status filter.
CREATE INDEX tasks_organization_id_id ON tasks (organization_id, id);
CREATE INDEX tasks_organization_id_status_id ON tasks (organization_id, status, id);
