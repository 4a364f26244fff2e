-- An absolute end for every session family (SESSION_MAX_AGE): refreshing no longer slides a
-- session's life for ever. Forward-only. Families already open end 30 days (the default) after
-- their first sign-in.
ALTER TABLE sessions ADD COLUMN ends_at TIMESTAMP;
UPDATE sessions SET ends_at = family.started + INTERVAL '30 days'
FROM (SELECT family_id, MIN(created_at) AS started FROM sessions GROUP BY family_id) AS family
WHERE family.family_id = sessions.family_id;
ALTER TABLE sessions ALTER COLUMN ends_at SET NOT NULL;
-- The periodic purge deletes by expiry.
CREATE INDEX sessions_expires_at ON sessions (expires_at);
