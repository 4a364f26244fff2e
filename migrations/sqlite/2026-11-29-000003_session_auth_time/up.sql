-- When the person behind a session family last proved who they are (signed in with a password):
-- copied to every rotation, and carried in access tokens as `auth_time`, so widening access (a new
-- API key) can ask for a recent sign-in. Forward-only. Open families count from their sign-in.
ALTER TABLE sessions ADD COLUMN authenticated_at TIMESTAMP NOT NULL DEFAULT '1970-01-01 00:00:00';
UPDATE sessions SET authenticated_at = (
    SELECT MIN(family.created_at)
    FROM sessions AS family
    WHERE family.family_id = sessions.family_id
);
