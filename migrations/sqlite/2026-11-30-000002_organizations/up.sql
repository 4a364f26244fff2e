-- Organisations and their members: the first step of organisations owning credits and keys.
-- Every user has a personal organisation (personal_user_id, at most one per user) of which they
-- are the owner; existing users get theirs here. Forward-only.

CREATE TABLE organizations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    -- The user whose personal organisation this is; NULL for a team's.
    personal_user_id BIGINT UNIQUE REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE memberships (
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'developer', 'billing')),
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (organization_id, user_id)
);
-- A user's organisations.
CREATE INDEX memberships_user_id ON memberships (user_id);

INSERT INTO organizations (name, personal_user_id, created_at)
SELECT 'Personal', id, created_at FROM users;
INSERT INTO memberships (organization_id, user_id, role, created_at)
SELECT id, personal_user_id, 'owner', created_at FROM organizations;
