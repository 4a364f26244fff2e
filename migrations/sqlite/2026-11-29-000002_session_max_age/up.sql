-- An absolute end for every session family (SESSION_MAX_AGE): refreshing no longer slides a
-- session's life for ever. Forward-only. Families already open end 30 days (the default) after
-- their first sign-in.
ALTER TABLE sessions ADD COLUMN ends_at TIMESTAMP NOT NULL DEFAULT '1970-01-01 00:00:00';
UPDATE sessions SET ends_at = (
    SELECT datetime(MIN(family.created_at), '+30 days')
    FROM sessions AS family
    WHERE family.family_id = sessions.family_id
);
-- The periodic purge deletes by expiry.
CREATE INDEX sessions_expires_at ON sessions (expires_at);
