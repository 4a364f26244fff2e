-- Invitations to join an organisation, sent by email. Only the SHA-256 of the link's token is
-- stored; an invitation is pending until accepted, cancelled (or superseded) or expired.
-- Forward-only.

CREATE TABLE invitations (
    id BIGSERIAL PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'developer', 'billing')),
    token_hash TEXT NOT NULL UNIQUE,
    invited_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    accepted_at TIMESTAMP,
    cancelled_at TIMESTAMP
);
-- An organisation's invitations, newest first.
CREATE INDEX invitations_organization_id_id ON invitations (organization_id, id);
